package collector

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"ccwb.dev/contract/schema"
	"go.yaml.in/yaml/v3"
)

var emfOptions = Options{
	Issuer:    "https://dev-123.okta.com/oauth2/default",
	Audience:  "0oa1clientid",
	LogGroup:  "ccwb-dev-metrics",
	Namespace: "ClaudeCode/dev",
	Region:    "eu-west-1",
}

// parse renders o and reads the YAML back the way the collector would: as a generic tree.
func parse(t *testing.T, o Options) map[string]any {
	t.Helper()
	out, err := YAML(o)
	if err != nil {
		t.Fatalf("YAML: %v", err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("generated config is not YAML: %v\n%s", err, out)
	}
	return doc
}

// at walks a path of map keys and list indexes ("receivers.otlp.protocols.http").
func at(t *testing.T, doc any, path string) any {
	t.Helper()
	cur := doc
	for _, key := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			t.Fatalf("%s: %q is not under a map (%T)", path, key, cur)
		}
		if cur, ok = m[key]; !ok {
			t.Fatalf("%s: no key %q", path, key)
		}
	}
	return cur
}

func TestReceiversAcceptOnlyAuthenticatedRequests(t *testing.T) {
	doc := parse(t, emfOptions)
	for _, proto := range []string{"http", "grpc"} {
		p := "receivers.otlp.protocols." + proto
		if got := at(t, doc, p+".auth.authenticator"); got != "oidc" {
			t.Errorf("%s authenticator = %v, want oidc", proto, got)
		}
		if got := at(t, doc, p+".include_metadata"); got != true {
			t.Errorf("%s include_metadata = %v, want true (the headers carry the identity)", proto, got)
		}
	}
	if got := at(t, doc, "receivers.otlp.protocols.http.endpoint"); got != "0.0.0.0:4318" {
		t.Errorf("http endpoint = %v", got)
	}
	if n := len(at(t, doc, "receivers").(map[string]any)); n != 1 {
		t.Errorf("%d receivers: any receiver besides the authenticated otlp one is an open path", n)
	}
	if got := at(t, doc, "extensions.oidc.issuer_url"); got != emfOptions.Issuer {
		t.Errorf("issuer_url = %v", got)
	}
	if got := at(t, doc, "extensions.oidc.audience"); got != emfOptions.Audience {
		t.Errorf("audience = %v", got)
	}
	if got := at(t, doc, "extensions.oidc.username_claim"); got != "sub" {
		t.Errorf("username_claim = %v, want sub by default", got)
	}
	okta := emfOptions
	okta.Audience, okta.SubjectClaim = "api://ccwb-telemetry", "uid"
	if got := at(t, parse(t, okta), "extensions.oidc.username_claim"); got != "uid" {
		t.Errorf("username_claim = %v, want the telemetry token's user claim", got)
	}
	if got := at(t, doc, "service.extensions"); !reflect.DeepEqual(got, []any{"health_check", "oidc"}) {
		t.Errorf("service extensions = %v", got)
	}
}

func TestIdentityComesFromTheRequest(t *testing.T) {
	doc := parse(t, emfOptions)
	actions := at(t, doc, "processors.attributes/identity.actions").([]any)
	fromContext := map[string]string{}
	deleted, hashed := map[string]int{}, map[string]int{}
	for i, a := range actions {
		a := a.(map[string]any)
		key := a["key"].(string)
		switch a["action"] {
		case "delete":
			deleted[key] = i
		case "insert":
			fromContext[key] = a["from_context"].(string)
			if _, ok := deleted[key]; !ok {
				t.Errorf("%s is inserted without deleting the client's own value first", key)
			}
		case "hash":
			if _, ok := fromContext[key]; !ok {
				t.Errorf("%s is hashed before it is set", key)
			}
			hashed[key] = i
		default:
			t.Errorf("unexpected action %v", a)
		}
	}
	for _, a := range schema.IdentityAttributes() {
		if _, ok := deleted[a.Name]; !ok {
			t.Errorf("%s: a client-set value is not deleted", a.Name)
		}
		want := "metadata." + a.Header
		if a.Hashed {
			// Never from a header: the hash of the subject the authenticator verified.
			want = "auth.subject"
			if _, ok := hashed[a.Name]; !ok {
				t.Errorf("%s is not hashed", a.Name)
			}
		}
		if got := fromContext[a.Name]; got != want {
			t.Errorf("%s from_context = %q, want %q", a.Name, got, want)
		}
	}
	resActions := at(t, doc, "processors.resource/identity.attributes").([]any)
	if len(resActions) != len(schema.IdentityAttributes()) {
		t.Errorf("resource processor deletes %d attributes, want every identity attribute", len(resActions))
	}
}

func TestPipelineOrder(t *testing.T) {
	doc := parse(t, emfOptions)
	got := at(t, doc, "service.pipelines.metrics.processors")
	want := []any{"memory_limiter", "resource/identity", "attributes/identity", "batch"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("processors = %v, want %v (memory limiter first, identity before batch)", got, want)
	}
	if got := at(t, doc, "service.pipelines.metrics.exporters"); !reflect.DeepEqual(got, []any{"awsemf"}) {
		t.Errorf("exporters = %v", got)
	}
	if got := at(t, doc, "service.pipelines.metrics.receivers"); !reflect.DeepEqual(got, []any{"otlp"}) {
		t.Errorf("receivers = %v", got)
	}
}

func TestEMFExporter(t *testing.T) {
	doc := parse(t, emfOptions)
	for path, want := range map[string]any{
		"exporters.awsemf.namespace":               "ClaudeCode/dev",
		"exporters.awsemf.log_group_name":          "ccwb-dev-metrics",
		"exporters.awsemf.region":                  "eu-west-1",
		"exporters.awsemf.dimension_rollup_option": "NoDimensionRollup",
	} {
		if got := at(t, doc, path); got != want {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
	decls := at(t, doc, "exporters.awsemf.metric_declarations").([]any)
	if len(decls) != len(schema.Metrics) {
		t.Fatalf("%d metric declarations for %d metrics and no declared dimension", len(decls), len(schema.Metrics))
	}
	lowCardinality := []string{"model", "type", "tool", "decision"}
	for i, d := range decls {
		d := d.(map[string]any)
		sel := d["metric_name_selectors"].([]any)[0].(string)
		if !strings.Contains(sel, strings.ReplaceAll(schema.Metrics[i].Name, ".", `\.`)) {
			t.Errorf("declaration %d selects %s, want %s", i, sel, schema.Metrics[i].Name)
		}
		sets := d["dimensions"].([]any)
		if len(sets) == 0 {
			t.Errorf("%s has no dimension set", sel)
		}
		unique := map[string]bool{}
		for _, set := range sets {
			var names []string
			for _, n := range set.([]any) {
				names = append(names, n.(string))
				// Each value of a dimension is a custom metric: only attributes with a
				// short list of values, never one that names a person or a session.
				if !slices.Contains(lowCardinality, n.(string)) {
					t.Errorf("%s: dimension %q is not one of the low-cardinality attributes %v", sel, n, lowCardinality)
				}
			}
			if len(names) > 30 {
				t.Errorf("%s: dimension set %v has %d dimensions (CloudWatch allows at most 30)", sel, names, len(names))
			}
			key := strings.Join(names, ",")
			if unique[key] {
				t.Errorf("%s: dimension set %v listed twice", sel, names)
			}
			unique[key] = true
		}
	}
}

// A declared group dimension gets one declaration per metric that matches only the
// declared values and the attribute's default, whatever else a client sends.
func TestGroupDimensionMatchesOnlyDeclaredValues(t *testing.T) {
	o := emfOptions
	o.Dimensions = []GroupDimension{{Attribute: "department", Values: []string{"engineering", "sales (EMEA)"}}}
	decls := at(t, parse(t, o), "exporters.awsemf.metric_declarations").([]any)
	if len(decls) != 2*len(schema.Metrics) {
		t.Fatalf("%d declarations, want %d: the base ones and one per metric for department", len(decls), 2*len(schema.Metrics))
	}
	for _, d := range decls[len(schema.Metrics):] {
		d := d.(map[string]any)
		if got := fmt.Sprint(d["dimensions"]); got != "[[department]]" {
			t.Errorf("dimensions %s, want [[department]]", got)
		}
		m := d["label_matchers"].([]any)[0].(map[string]any)
		if fmt.Sprint(m["label_names"]) != "[department]" {
			t.Errorf("label matcher on %v", m["label_names"])
		}
		re := regexp.MustCompile(m["regex"].(string)) // awsemf compiles it with Go's regexp
		for v, want := range map[string]bool{
			"engineering": true, "sales (EMEA)": true, "unspecified": true, // the default
			"sales": false, "engineering2": false, "salesXEMEA)": false, "": false, "x-attacker-1": false,
		} {
			if re.MatchString(v) != want {
				t.Errorf("regex %s matches %q: %v, want %v", re, v, !want, want)
			}
		}
	}
}

func TestFileVariantSwapsOnlyTheExporter(t *testing.T) {
	fileOpts := emfOptions
	fileOpts.Exporter, fileOpts.FilePath = File, "/tmp/out.json"
	emf, file := parse(t, emfOptions), parse(t, fileOpts)
	if got := at(t, file, "exporters.file.path"); got != "/tmp/out.json" {
		t.Errorf("file path = %v", got)
	}
	if got := at(t, file, "service.pipelines.metrics.exporters"); !reflect.DeepEqual(got, []any{"file"}) {
		t.Errorf("exporters = %v", got)
	}
	for _, section := range []string{"extensions", "receivers", "processors", "service.extensions", "service.pipelines.metrics.processors", "service.pipelines.metrics.receivers"} {
		if !reflect.DeepEqual(at(t, emf, section), at(t, file, section)) {
			t.Errorf("%s differs between the awsemf and file variants", section)
		}
	}
}

func TestOptionsValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"missing issuer", func(o *Options) { o.Issuer = "" }, "issuer"},
		{"issuer not a URL", func(o *Options) { o.Issuer = "dev-123.okta.com" }, "issuer"},
		{"missing audience", func(o *Options) { o.Audience = " " }, "audience"},
		{"missing log group", func(o *Options) { o.LogGroup = "" }, "log group"},
		{"file without path", func(o *Options) { o.Exporter = File }, "file path"},
		{"unknown exporter", func(o *Options) { o.Exporter = 7 }, "exporter 7"},
		{"port out of range", func(o *Options) { o.HTTPPort = 70000 }, "HTTP port"},
		{"per-person dimension", func(o *Options) {
			o.Dimensions = []GroupDimension{{Attribute: "user.email", Values: []string{"a@b.c"}}}
		}, `dimension 1 attribute: "user.email" cannot be a metric dimension`},
		{"dimension without values", func(o *Options) { o.Dimensions = []GroupDimension{{Attribute: "team.id"}} }, "dimension 1 values: 0 values"},
		{"too many values", func(o *Options) {
			o.Dimensions = []GroupDimension{{Attribute: "team.id", Values: make([]string, MaxGroupValues+1)}}
		}, "dimension 1 values: 101 values"},
		{"non-ASCII value", func(o *Options) {
			o.Dimensions = []GroupDimension{{Attribute: "location", Values: []string{"Zürich"}}}
		}, `dimension 1 values[0]: "Zürich" is not a CloudWatch dimension value`},
		{"repeated value", func(o *Options) { o.Dimensions = []GroupDimension{{Attribute: "role", Values: []string{"dev", "dev"}}} }, `dimension 1 values[1]: "dev" is listed twice`},
		{"repeated attribute", func(o *Options) {
			o.Dimensions = []GroupDimension{{Attribute: "role", Values: []string{"dev"}}, {Attribute: "role", Values: []string{"ops"}}}
		}, "dimension 2: role is declared twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := emfOptions
			tc.edit(&o)
			_, err := YAML(o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one naming %q", err, tc.want)
			}
		})
	}
	if _, err := YAML(emfOptions); err != nil {
		t.Fatalf("valid options rejected: %v", err)
	}
}

func TestDimensionsCoverEveryMetric(t *testing.T) {
	for _, m := range schema.Metrics {
		if len(Dimensions[m.Name]) == 0 {
			t.Errorf("%s has no dimension sets", m.Name)
		}
	}
	if len(Dimensions) != len(schema.Metrics) {
		t.Errorf("Dimensions has %d metrics, schema.Metrics %d: a metric was renamed or dropped", len(Dimensions), len(schema.Metrics))
	}
}
