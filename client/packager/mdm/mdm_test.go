package mdm

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/uuid"
	"howett.net/plist"

	"ccwb.dev/contract/testenv"
)

var input = Input{
	Name: "ccwb", Profile: "ClaudeCode", Version: "1.4.0",
	ManagedUnix:    []byte(`{"env": {"AWS_PROFILE": "ClaudeCode", "CLAUDE_CODE_USE_BEDROCK": "1"}, "otelHeadersHelper": "\"$HOME/claude-code-with-bedrock/otel-helper\""}`),
	ManagedWindows: []byte("{\n  \"env\": {\"AWS_PROFILE\": \"ClaudeCode\"},\n  \"otelHeadersHelper\": \"\\\"%USERPROFILE%\\\\claude-code-with-bedrock\\\\otel-helper.exe\\\"\"\n}\n"),
	Desktop:        Desktop{Profile: "ClaudeCode", Region: "us-east-1", Models: []string{"us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-haiku-4-5-20251001-v1:0"}},
}

func files(t *testing.T) map[string][]byte {
	t.Helper()
	fs, err := Files(input)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range fs {
		out[f.Path] = f.Data
	}
	again, _ := Files(input)
	for _, f := range again {
		if !bytes.Equal(out[f.Path], f.Data) {
			t.Errorf("%s differs between two runs: a regenerated profile must replace, not duplicate, the installed one", f.Path)
		}
	}
	return out
}

// profileOf parses a .mobileconfig with howett.net/plist and with Python's plistlib (a
// second, independent parser) and returns the payload's keys.
func profileOf(t *testing.T, data []byte, domain string) map[string]any {
	t.Helper()
	var top map[string]any
	if _, err := plist.Unmarshal(data, &top); err != nil {
		t.Fatalf("plist: %v", err)
	}
	py := testenv.Need(t, "python3", "apt-get install python3")
	cmd := exec.Command(py, "-c", "import plistlib,sys,json; d=plistlib.loads(sys.stdin.buffer.read()); print(json.dumps(d, default=str))")
	cmd.Stdin = bytes.NewReader(data)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3 plistlib rejects the profile: %v\n%s", err, stderr.String())
	}
	var viaPython map[string]any
	if err := json.Unmarshal(out, &viaPython); err != nil {
		t.Fatal(err)
	}
	if top["PayloadType"] != "Configuration" || viaPython["PayloadType"] != "Configuration" || top["PayloadVersion"] != uint64(1) {
		t.Fatalf("top level %v", top)
	}
	content := top["PayloadContent"].([]any)
	if len(content) != 1 {
		t.Fatalf("%d payloads", len(content))
	}
	p := content[0].(map[string]any)
	if p["PayloadType"] != domain {
		t.Fatalf("payload type %v, want %s", p["PayloadType"], domain)
	}
	for _, k := range []string{"PayloadUUID"} {
		if _, err := uuid.Parse(p[k].(string)); err != nil || p[k] == top[k] {
			t.Errorf("payload %s %v (top %v)", k, p[k], top[k])
		}
	}
	pyKeys := viaPython["PayloadContent"].([]any)[0].(map[string]any)
	for k, v := range p {
		if fmtJSON(v) != fmtJSON(pyKeys[k]) && k != "PayloadVersion" {
			t.Errorf("the parsers disagree on %s: %v and %v", k, v, pyKeys[k])
		}
	}
	return p
}

func fmtJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestClaudeCodeProfileHoldsTheManagedSettings(t *testing.T) {
	f := files(t)
	p := profileOf(t, f["claude-code/"+ClaudeCodeDomain+".mobileconfig"], ClaudeCodeDomain)
	var want map[string]any
	json.Unmarshal(input.ManagedUnix, &want)
	for k, v := range want {
		if !reflect.DeepEqual(p[k], v) {
			t.Errorf("profile key %s = %v, want the managed settings' %v", k, p[k], v)
		}
	}
	if !bytes.Equal(f["claude-code/macos-linux/managed-settings.json"], input.ManagedUnix) {
		t.Error("the plain JSON is not the managed settings as given")
	}
}

var regLine = regexp.MustCompile(`^"((?:[^"\\]|\\.)*)"="((?:[^"\\]|\\.)*)"$`)

// regValues decodes a .reg file and checks its grammar: UTF-16LE with a BOM, the version
// header, one [key], "name"="value" lines, CRLF.
func regValues(t *testing.T, data []byte, key string) map[string]string {
	t.Helper()
	if len(data) < 2 || data[0] != 0xff || data[1] != 0xfe || len(data)%2 != 0 {
		t.Fatal("not UTF-16LE with a byte-order mark")
	}
	units := make([]uint16, 0, len(data)/2)
	for i := 2; i < len(data); i += 2 {
		units = append(units, uint16(data[i])|uint16(data[i+1])<<8)
	}
	text := string(utf16.Decode(units))
	if strings.Contains(strings.ReplaceAll(text, "\r\n", ""), "\n") {
		t.Fatal("a line ends without CR")
	}
	lines := strings.Split(strings.TrimRight(text, "\r\n"), "\r\n")
	if lines[0] != regHeader || lines[1] != "" || lines[2] != "["+key+"]" {
		t.Fatalf("header %q", lines[:3])
	}
	values := map[string]string{}
	unescape := strings.NewReplacer(`\\`, `\`, `\"`, `"`)
	for _, l := range lines[3:] {
		m := regLine.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("not a string value line: %q", l)
		}
		values[unescape.Replace(m[1])] = unescape.Replace(m[2])
	}
	return values
}

func TestRegistryFiles(t *testing.T) {
	f := files(t)
	code := regValues(t, f["claude-code/ClaudeCode.reg"], ClaudeCodeRegKey)
	var got, want any
	if err := json.Unmarshal([]byte(code[ClaudeCodeRegValue]), &got); err != nil {
		t.Fatalf("Settings is not JSON: %v", err)
	}
	json.Unmarshal(input.ManagedWindows, &want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Settings = %v, want the Windows managed settings %v", got, want)
	}
	desktop := regValues(t, f["claude-desktop/Claude.reg"], DesktopRegKey)
	checkDesktopKeys(t, desktop)
}

// desktopKeyDocs is the configuration reference of Claude Desktop's third-party
// inference keys, where each key below is documented.
const desktopKeyDocs = "https://claude.com/docs/third-party/claude-desktop/configuration"

// desktopKeys are the keys ccwb may set and their documented types. Claude Desktop stores
// every value as a string, booleans and arrays too (arrays as JSON text).
var desktopKeys = map[string]string{
	"inferenceProvider":       "string",        // "bedrock"
	"inferenceBedrockRegion":  "string",        // the Region Bedrock is called in
	"inferenceBedrockProfile": "string",        // the AWS named profile (credential_process)
	"inferenceModels":         "string[] JSON", // the models offered
}

// checkDesktopKeys: only documented keys, every value a string, arrays as JSON text.
func checkDesktopKeys(t *testing.T, keys map[string]string) {
	t.Helper()
	for k, v := range keys {
		typ, ok := desktopKeys[k]
		if !ok {
			t.Errorf("%s is not a documented Claude Desktop key (%s)", k, desktopKeyDocs)
		}
		if strings.HasSuffix(typ, "JSON") && !json.Valid([]byte(v)) {
			t.Errorf("%s = %q is not JSON text", k, v)
		}
	}
	if keys["inferenceProvider"] != "bedrock" || keys["inferenceBedrockProfile"] != input.Desktop.Profile || keys["inferenceBedrockRegion"] != "us-east-1" {
		t.Errorf("Desktop keys %v", keys)
	}
	var models []struct{ Name string }
	json.Unmarshal([]byte(keys["inferenceModels"]), &models)
	if len(models) != 2 || models[0].Name != input.Desktop.Models[0] {
		t.Errorf("inferenceModels %s", keys["inferenceModels"])
	}
}

func TestClaudeDesktopProfileAndJSON(t *testing.T) {
	f := files(t)
	p := profileOf(t, f["claude-desktop/"+DesktopDomain+".mobileconfig"], DesktopDomain)
	keys := map[string]string{}
	for k, v := range p {
		if strings.HasPrefix(k, "Payload") {
			continue
		}
		s, ok := v.(string)
		if !ok {
			t.Errorf("%s is a %T, not a string: Claude Desktop reads every value as a string", k, v)
		}
		keys[k] = s
	}
	checkDesktopKeys(t, keys)
	var plain map[string]string
	if err := json.Unmarshal(f["claude-desktop/claude-desktop.json"], &plain); err != nil || !reflect.DeepEqual(plain, keys) {
		t.Errorf("claude-desktop.json %v (%v), want the profile's keys %v", plain, err, keys)
	}
}

// install-macos.sh, as Jamf runs it (root, package path in $4): it runs the package's
// install.sh as the console user with their HOME (a path with a space), and the second
// run finds the version installed and changes nothing.
func TestMacInstallScriptIsPerUserAndIdempotent(t *testing.T) {
	sh := testenv.Need(t, "sh", "a POSIX shell")
	root := t.TempDir()
	home := filepath.Join(root, "Users", "Jane Doe")
	os.MkdirAll(home, 0o755)
	pkg := filepath.Join(root, "package dir")
	os.MkdirAll(pkg, 0o755)
	log := filepath.Join(root, "install.log")
	os.WriteFile(filepath.Join(pkg, "VERSION"), []byte("1.4.0\n"), 0o644)
	os.WriteFile(filepath.Join(pkg, "install.sh"), []byte(`set -eu
echo "install.sh HOME=$HOME USER_AS=$RUN_AS NONINTERACTIVE=${CCWB_NONINTERACTIVE:-}" >> '`+log+`'
mkdir -p "$HOME/claude-code-with-bedrock"
cp "$(dirname "$0")/VERSION" "$HOME/claude-code-with-bedrock/VERSION"
`), 0o755)
	bin := t.TempDir()
	for name, body := range map[string]string{
		"stat":      `echo jane`,
		"dscl":      `echo "NFSHomeDirectory: ` + home + `"`,
		"id":        `echo 501`,
		"launchctl": `[ "$1" = asuser ] && [ "$2" = 501 ] || exit 9; shift 2; exec "$@"`,
		"sudo":      `[ "$1" = -u ] || exit 9; export RUN_AS=$2; shift 2; exec "$@"`,
	} {
		os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755)
	}
	script := filepath.Join(t.TempDir(), "install-macos.sh")
	os.WriteFile(script, files(t)["scripts/install-macos.sh"], 0o755)
	run := func() string {
		cmd := exec.Command(sh, script, "/", "mac", "root", pkg)
		cmd.Env = []string{"PATH=" + bin + ":" + os.Getenv("PATH")}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("install-macos.sh: %v\n%s", err, out)
		}
		return string(out)
	}
	if out := run(); !strings.Contains(out, "installed 1.4.0 for jane") {
		t.Fatalf("first run: %s", out)
	}
	if out := run(); !strings.Contains(out, "already has 1.4.0") {
		t.Fatalf("second run: %s", out)
	}
	got, _ := os.ReadFile(log)
	if want := "install.sh HOME=" + home + " USER_AS=jane NONINTERACTIVE=1\n"; string(got) != want {
		t.Errorf("install.sh ran as:\n%s\nwant once:\n%s", got, want)
	}
}
