// Runs Athena named queries on DuckDB against Parquet files in the Firehose partition
// layout. Input (stdin, JSON): {root, table, queries: [{name, sql}]}. Output (stdout,
// JSON): {name: [row objects]}. Test harness only: it defines date_format, the one Trino
// function the queries use that DuckDB lacks, as a macro over strftime (same %-codes).
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const input = JSON.parse(readFileSync(0, 'utf8'));
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`SET TimeZone = 'UTC'`);
await con.run(`CREATE MACRO date_format(d, f) AS strftime(d, f)`);
const glob = input.root.replaceAll("'", "''") + '/**/*.parquet';
await con.run(`CREATE VIEW ${input.table} AS SELECT * FROM read_parquet('${glob}',
  hive_partitioning = true,
  hive_types = {'year': VARCHAR, 'month': VARCHAR, 'day': VARCHAR, 'hour': VARCHAR})`);
const out = {};
for (const q of input.queries) {
  try {
    const reader = await con.runAndReadAll(q.sql);
    out[q.name] = reader.getRowObjectsJson();
  } catch (e) {
    process.stderr.write(`query ${q.name}: ${e.message}\n`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(out));
