package cost

import (
	"flag"
	"os"
	"regexp"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated tables of docs/platform/cost.md")

const costDoc = "../../docs/platform/cost.md"

// TestCostDocMatchesModel: the tables of docs/platform/cost.md are what the model computes
// from the generated collector config (and the old one, for the comparison), so the
// numbers cannot drift from the code. After a change, rerun with -update.
func TestCostDocMatchesModel(t *testing.T) {
	raw, err := os.ReadFile(costDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	tables := Tables(NewModel(DefaultUsage, config(t)), NewModel(DefaultUsage, before(t)))
	for name, want := range tables {
		re := regexp.MustCompile(`(?s)(<!-- cost:` + name + ` -->\n)(.*?)(<!-- /cost:` + name + ` -->)`)
		m := re.FindStringSubmatch(doc)
		if m == nil {
			t.Errorf("%s has no <!-- cost:%s --> ... <!-- /cost:%s --> section", costDoc, name, name)
			continue
		}
		if m[2] != want {
			if *update {
				doc = re.ReplaceAllLiteralString(doc, m[1]+want+m[3])
				continue
			}
			t.Errorf("%s section %s is not what the model computes; run `go test ./cost/ -run TestCostDoc -update` in constructs/ and review the diff:\n%s", costDoc, name, want)
		}
	}
	if *update {
		if err := os.WriteFile(costDoc, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
