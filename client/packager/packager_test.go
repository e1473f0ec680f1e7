package packager

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"ccwb.dev/client/idptest"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/testenv"
)

// compiled holds the client binaries for every target, built at most once per test
// binary run: cross-compiling 5 targets is the expensive part, every test assembles from it.
var (
	compileOnce sync.Once
	compiled    *Binaries
	compileErr  error
	compileDir  string
)

func TestMain(m *testing.M) {
	idptest.BrowserMain()
	flag.Parse()
	code := m.Run()
	if compileDir != "" {
		os.RemoveAll(compileDir)
	}
	os.Exit(code)
}

func moduleDir() string {
	abs, _ := filepath.Abs("..")
	return abs
}

// needCompiled returns the shared cross-compiled client.
func needCompiled(t *testing.T) *Binaries {
	t.Helper()
	testenv.Slow(t, "cross-compiles the client")
	compileOnce.Do(func() {
		if compileDir, compileErr = os.MkdirTemp("", "ccwb-packager-test-"); compileErr != nil {
			return
		}
		compiled, compileErr = Compile(context.Background(), CompileOptions{ModuleDir: moduleDir(), Version: "1.0.0-test", OutDir: compileDir, Jobs: 2, Progress: os.Stderr})
	})
	if compileErr != nil {
		t.Fatal(compileErr)
	}
	return compiled
}

var exampleClaude = Claude{
	Region:         "us-east-1",
	Model:          "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
	SmallFastModel: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
}

func exampleConfig(t testing.TB) *config.File {
	t.Helper()
	f, err := os.Open("testdata/example-config.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := config.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

var fixed = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func TestPackageExample(t *testing.T) {
	needCompiled(t)
	dist := t.TempDir()
	pkg, err := Assemble(compiled, Options{Config: exampleConfig(t), Claude: exampleClaude, DistDir: dist, Now: fixed})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dist, "ClaudeCode", "20261128T120000Z"); pkg.Dir != want {
		t.Errorf("package dir = %s, want %s", pkg.Dir, want)
	}

	// Every file, and nothing else.
	var got []string
	filepath.WalkDir(pkg.Dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(pkg.Dir, path)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	var want []string
	for _, p := range []string{"darwin-universal", "linux-amd64", "linux-arm64", "windows-amd64"} {
		for _, c := range compiled.Commands {
			if p == "windows-amd64" {
				c += ".exe"
			}
			want = append(want, "bin/"+p+"/"+c)
		}
	}
	want = append(want, "README.md", "SHA256SUMS", "UNSIGNED", "VERSION", "claude-settings.json", "config.json", "install.bat", "install.ps1", "install.sh",
		"mdm/macos-linux/managed-settings.json", "mdm/windows/managed-settings.json")
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("package files:\n got %v\nwant %v", got, want)
	}

	if v := string(readFile(t, pkg.Dir, "VERSION")); v != "1.0.0-test\n" {
		t.Errorf("VERSION = %q, want the stamped version", v)
	}
	if readme := string(readFile(t, pkg.Dir, "README.md")); !strings.Contains(readme, "This package is UNSIGNED") {
		t.Error("the README of an unsigned package does not say so")
	}

	// SHA256SUMS covers every other file, in the sha256sum -c format.
	sums := readFile(t, pkg.Dir, "SHA256SUMS")
	sc := bufio.NewScanner(bytes.NewReader(sums))
	n := 0
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("bad SHA256SUMS line %q", sc.Text())
		}
		h := sha256.Sum256(readFile(t, pkg.Dir, name))
		if hex.EncodeToString(h[:]) != sum {
			t.Errorf("SHA256SUMS: %s does not match", name)
		}
		n++
	}
	if n != len(want)-1 {
		t.Errorf("SHA256SUMS lists %d files, want %d", n, len(want)-1)
	}

	// Binaries: a universal Mach-O with both slices, ELF for the Linux CPUs, PE for Windows.
	for _, c := range compiled.Commands {
		ff, err := macho.OpenFat(filepath.Join(pkg.Dir, "bin", "darwin-universal", c))
		if err != nil {
			t.Fatalf("%s for macOS is not a universal Mach-O: %v", c, err)
		}
		var cpus []macho.Cpu
		for _, a := range ff.Arches {
			cpus = append(cpus, a.Cpu)
			if a.Type != macho.TypeExec {
				t.Errorf("%s %s slice is a %v, want an executable", c, a.Cpu, a.Type)
			}
		}
		ff.Close()
		if !slices.Equal(cpus, []macho.Cpu{macho.CpuAmd64, macho.CpuArm64}) {
			t.Errorf("%s universal slices = %v, want amd64 and arm64", c, cpus)
		}
		for arch, machine := range map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64} {
			ef, err := elf.Open(filepath.Join(pkg.Dir, "bin", "linux-"+arch, c))
			if err != nil {
				t.Fatalf("%s for linux/%s is not ELF: %v", c, arch, err)
			}
			if ef.Machine != machine || ef.Type != elf.ET_EXEC {
				t.Errorf("%s linux/%s: machine %v type %v", c, arch, ef.Machine, ef.Type)
			}
			if slices.ContainsFunc(ef.Progs, func(p *elf.Prog) bool { return p.Type == elf.PT_INTERP }) {
				t.Errorf("%s linux/%s is dynamically linked (cgo leaked in)", c, arch)
			}
			ef.Close()
		}
		pf, err := pe.Open(filepath.Join(pkg.Dir, "bin", "windows-amd64", c+".exe"))
		if err != nil {
			t.Fatalf("%s for windows is not PE: %v", c, err)
		}
		if pf.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
			t.Errorf("%s windows machine = %#x", c, pf.Machine)
		}
		pf.Close()
		if st, _ := os.Stat(filepath.Join(pkg.Dir, "bin", "linux-amd64", c)); st.Mode().Perm() != 0o755 {
			t.Errorf("%s mode %v, want 0755", c, st.Mode().Perm())
		}
	}
	// The version is stamped: the native binary says so.
	out, err := exec.Command(filepath.Join(pkg.Dir, "bin", "linux-amd64", "ccwb-setup"), "version").Output()
	if err != nil || strings.TrimSpace(string(out)) != "1.0.0-test" {
		t.Errorf("ccwb-setup version = %q (%v), want the stamped 1.0.0-test", out, err)
	}

	// config.json is the input, and parses as the binaries will read it.
	cfg, err := config.Parse(bytes.NewReader(readFile(t, pkg.Dir, "config.json")))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg, exampleConfig(t)) {
		t.Errorf("config.json = %+v, want the input", cfg)
	}

	// Claude Code settings.
	var settings struct {
		Env               map[string]string `json:"env"`
		OtelHeadersHelper string            `json:"otelHeadersHelper"`
		AWSAuthRefresh    string            `json:"awsAuthRefresh"`
	}
	if err := json.Unmarshal(readFile(t, pkg.Dir, "claude-settings.json"), &settings); err != nil {
		t.Fatal(err)
	}
	wantEnv := map[string]string{
		"CLAUDE_CODE_USE_BEDROCK":       "1",
		"AWS_REGION":                    "us-east-1",
		"AWS_PROFILE":                   "ClaudeCode",
		"ANTHROPIC_MODEL":               exampleClaude.Model,
		"ANTHROPIC_DEFAULT_HAIKU_MODEL": exampleClaude.SmallFastModel,
		"ANTHROPIC_SMALL_FAST_MODEL":    exampleClaude.SmallFastModel,
		"CLAUDE_CODE_ENABLE_TELEMETRY":  "1",
		"OTEL_METRICS_EXPORTER":         "otlp",
		"OTEL_EXPORTER_OTLP_PROTOCOL":   "http/protobuf",
		"OTEL_EXPORTER_OTLP_ENDPOINT":   cfg.Profiles["ClaudeCode"].OTelEndpoint,
		"OTEL_RESOURCE_ATTRIBUTES":      "ccwb.profile=ClaudeCode",
		"CCWB_SIGN_IN":                  "defer",
	}
	if !reflect.DeepEqual(settings.Env, wantEnv) {
		t.Errorf("claude settings env:\n got %v\nwant %v", settings.Env, wantEnv)
	}
	wantHelper := ""
	if slices.Contains(compiled.Commands, "otel-helper") {
		wantHelper = "otel-helper"
	}
	if settings.OtelHeadersHelper != wantHelper {
		t.Errorf("otelHeadersHelper = %q, want %q", settings.OtelHeadersHelper, wantHelper)
	}
	if settings.AWSAuthRefresh != "credential-process --profile ClaudeCode --refresh-if-needed" {
		t.Errorf("awsAuthRefresh = %q", settings.AWSAuthRefresh)
	}

	// Installers: valid POSIX sh, CRLF Windows scripts, all naming the profile.
	if out, err := exec.Command("sh", "-n", filepath.Join(pkg.Dir, "install.sh")).CombinedOutput(); err != nil {
		t.Errorf("install.sh is not valid sh: %v\n%s", err, out)
	}
	if st, _ := os.Stat(filepath.Join(pkg.Dir, "install.sh")); st.Mode().Perm() != 0o755 {
		t.Errorf("install.sh mode %v", st.Mode().Perm())
	}
	for _, name := range []string{"install.ps1", "install.bat"} {
		data := string(readFile(t, pkg.Dir, name))
		if strings.Count(data, "\n") != strings.Count(data, "\r\n") {
			t.Errorf("%s has LF-only lines; Windows scripts need CRLF", name)
		}
	}
	for _, name := range []string{"install.sh", "install.ps1", "install.bat", "README.md"} {
		if data := string(readFile(t, pkg.Dir, name)); !strings.Contains(data, "ClaudeCode") || strings.Contains(data, "<no value>") {
			t.Errorf("%s does not name the profile or has an unfilled template field", name)
		}
	}
	if !strings.Contains(string(readFile(t, pkg.Dir, "install.ps1")), `bin\windows-amd64\`) {
		t.Error("install.ps1 does not take the Windows binaries")
	}
}

// The same inputs give the same package, byte for byte, even when the second build shares
// nothing with the first: it compiles every target again with an empty build cache of its
// own (with a shared cache it would only relink the first build's objects).
func TestPackageIsReproducible(t *testing.T) {
	needCompiled(t)
	again, err := Compile(context.Background(), CompileOptions{ModuleDir: moduleDir(), Version: "1.0.0-test", OutDir: t.TempDir(), Jobs: 2,
		Env: []string{"GOCACHE=" + t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	one, err := Assemble(compiled, Options{Config: exampleConfig(t), Claude: exampleClaude, DistDir: t.TempDir(), Now: fixed})
	if err != nil {
		t.Fatal(err)
	}
	two, err := Assemble(again, Options{Config: exampleConfig(t), Claude: exampleClaude, DistDir: t.TempDir(), Now: fixed.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(one.Files, two.Files) {
		for i := range one.Files {
			if i < len(two.Files) && one.Files[i] != two.Files[i] {
				t.Errorf("%s differs between builds", one.Files[i].Path)
			}
		}
		t.Fatal("two builds from the same inputs differ")
	}
	if !bytes.Equal(readFile(t, one.Dir, "SHA256SUMS"), readFile(t, two.Dir, "SHA256SUMS")) {
		t.Fatal("SHA256SUMS differ")
	}
}

func TestAssembleRejects(t *testing.T) {
	bins := &Binaries{Dir: t.TempDir(), Commands: RequiredCommands}
	cfg := exampleConfig(t)
	if _, err := Assemble(bins, Options{Config: cfg, Profile: "Other", DistDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), `profile "Other" not found`) {
		t.Errorf("unknown profile: %v", err)
	}
	if _, err := Assemble(bins, Options{Config: cfg, DistDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "compiled credential-process for darwin-amd64") {
		t.Errorf("missing binaries: %v", err)
	}
	bad := *cfg
	bad.Profiles = map[string]config.Profile{"ClaudeCode": {}}
	if _, err := Assemble(bins, Options{Config: &bad, DistDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "issuer") {
		t.Errorf("invalid config: %v", err)
	}
	if _, err := Compile(context.Background(), CompileOptions{ModuleDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "has no cmd/credential-process") {
		t.Errorf("wrong module dir: %v", err)
	}
}

func TestResourceAttributes(t *testing.T) {
	got := ResourceAttributes(map[string]string{"team": "a b,c=d", "ccwb.profile": "X"})
	if want := "ccwb.profile=X,team=a%20b%2Cc%3Dd"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func readFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
