// Package collector generates the OpenTelemetry collector configuration of a ccwb
// deployment from the identity-attribute list (contract/schema.Attributes): OTLP receivers
// that accept only requests carrying a valid ID token of the deployment's identity provider,
// identity attributes taken from the authenticated request, and the awsemf exporter to the
// deployment's metrics log group. The same generator, with the file exporter swapped in,
// drives the pipeline test. It imports no CDK: values may be CDK tokens, which the
// construct resolves when the config string lands in the task definition.
package collector

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ImageVersion is the OpenTelemetry collector release the deployment runs (the pinned
// contrib image) and the pipeline test builds; the config targets it.
const ImageVersion = "0.160.0"

// Image is the pinned collector image: the contrib distribution, which contains every
// component the config uses (otlp receiver, oidc authenticator, health_check, memory_limiter,
// resource, attributes, batch, awsemf).
const Image = "otel/opentelemetry-collector-contrib:" + ImageVersion

// Default ports the collector listens on inside the task.
const (
	DefaultHTTPPort   = 4318  // OTLP/HTTP, the port behind the load balancer
	DefaultGRPCPort   = 4317  // OTLP/gRPC
	DefaultHealthPort = 13133 // health_check extension, the target group's health check
)

// Exporter names which exporter ends the metrics pipeline.
type Exporter int

// The exporters the generator knows.
const (
	// EMF writes CloudWatch embedded-metric-format events to the metrics log group:
	// CloudWatch extracts the metrics, and the analytics Firehose subscribes to the group.
	EMF Exporter = iota
	// File writes OTLP JSON lines to a file; the pipeline test's stand-in for awsemf.
	File
)

// Options describe one deployment's collector.
type Options struct {
	// Issuer is the identity provider's issuer URL, exactly as in the ID token's iss.
	Issuer string
	// Audience is the bearer token's expected aud: the IdP client ID of the deployment (ID
	// tokens), or its telemetry audience (access tokens STS does not accept).
	Audience string
	// SubjectClaim is the token's claim that names the user, hashed into user.id
	// (default "sub").
	SubjectClaim string
	// IssuerCAPath is a PEM file of CAs to trust for the issuer's discovery and JWKS
	// (an IdP behind a private CA); "" uses the system roots.
	IssuerCAPath string

	// Exporter selects awsemf (default) or the file exporter.
	Exporter Exporter
	// Namespace is the CloudWatch metrics namespace (EMF; default DefaultNamespace).
	Namespace string
	// LogGroup is the metrics log group name (EMF, required).
	LogGroup string
	// LogStream is the log stream the exporter writes to (EMF; default "collector").
	LogStream string
	// Region of the log group (EMF; "" lets the exporter use the task's region).
	Region string
	// FilePath is where the file exporter writes (File, required).
	FilePath string
	// Dimensions are the group attributes charted as metric dimensions, beyond the fixed
	// low-cardinality sets (collector.Dimensions); none by default.
	Dimensions []GroupDimension

	// Host is the listen address of receivers and health check (default "0.0.0.0").
	Host string
	// HTTPPort, GRPCPort and HealthPort default to the Default*Port constants.
	HTTPPort, GRPCPort, HealthPort int
	// BatchTimeout is the batch processor's timeout as a Go duration (default "10s").
	BatchTimeout string
}

// DefaultNamespace is the CloudWatch namespace when Options.Namespace is empty.
const DefaultNamespace = "ClaudeCode"

// Component IDs used in the generated config.
const (
	authenticatorID = "oidc"
	healthID        = "health_check"
	receiverID      = "otlp"
	memoryID        = "memory_limiter"
	resourceID      = "resource/identity"
	attributesID    = "attributes/identity"
	batchID         = "batch"
	emfID           = "awsemf"
	fileID          = "file"
)

func (o Options) withDefaults() Options {
	if o.Namespace == "" {
		o.Namespace = DefaultNamespace
	}
	if o.LogStream == "" {
		o.LogStream = "collector"
	}
	if o.Host == "" {
		o.Host = "0.0.0.0"
	}
	if o.HTTPPort == 0 {
		o.HTTPPort = DefaultHTTPPort
	}
	if o.GRPCPort == 0 {
		o.GRPCPort = DefaultGRPCPort
	}
	if o.HealthPort == 0 {
		o.HealthPort = DefaultHealthPort
	}
	if o.BatchTimeout == "" {
		o.BatchTimeout = "10s"
	}
	return o
}

// Validate reports every problem of the options, one a line.
func (o Options) Validate() error {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if u, err := url.Parse(o.Issuer); o.Issuer == "" || err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		add("issuer %q is not the identity provider's issuer URL (https://..., as in the ID token's iss)", o.Issuer)
	}
	if strings.TrimSpace(o.Audience) == "" {
		add("audience is empty: give the IdP client ID the ID tokens are issued to")
	}
	switch o.Exporter {
	case EMF:
		if o.LogGroup == "" {
			add("log group is empty: the awsemf exporter needs the metrics log group name")
		}
	case File:
		if o.FilePath == "" {
			add("file path is empty: the file exporter needs a path to write to")
		}
	default:
		add("exporter %d is unknown: use collector.EMF or collector.File", o.Exporter)
	}
	declared := map[string]bool{}
	for i, d := range o.Dimensions {
		for _, p := range d.Check() {
			add("dimension %d %s: %s", i+1, p.Field, p.Problem)
		}
		if declared[d.Attribute] {
			add("dimension %d: %s is declared twice; merge the two", i+1, d.Attribute)
		}
		declared[d.Attribute] = true
	}
	for name, p := range map[string]int{"HTTP": o.HTTPPort, "gRPC": o.GRPCPort, "health": o.HealthPort} {
		if p < 0 || p > 65535 {
			add("%s port %d is out of range 1-65535", name, p)
		}
	}
	if len(problems) > 0 {
		return errors.New("collector options: " + strings.Join(problems, "; "))
	}
	return nil
}

// Config is the collector configuration document, section by section.
type Config struct {
	Extensions map[string]any `yaml:"extensions"`
	Receivers  map[string]any `yaml:"receivers"`
	Processors map[string]any `yaml:"processors"`
	Exporters  map[string]any `yaml:"exporters"`
	Service    Service        `yaml:"service"`
}

// Service is the config's service section.
type Service struct {
	Extensions []string            `yaml:"extensions"`
	Pipelines  map[string]Pipeline `yaml:"pipelines"`
	Telemetry  map[string]any      `yaml:"telemetry"`
}

// Pipeline is one pipeline of the service section.
type Pipeline struct {
	Receivers  []string `yaml:"receivers"`
	Processors []string `yaml:"processors"`
	Exporters  []string `yaml:"exporters"`
}

// New builds the configuration for o.
func New(o Options) (*Config, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o = o.withDefaults()
	endpoint := func(port int) string { return fmt.Sprintf("%s:%d", o.Host, port) }
	// Both protocols authenticate every request and keep the request headers as client
	// metadata, which the attributes processor reads.
	protocol := func(port int) map[string]any {
		return map[string]any{
			"endpoint":         endpoint(port),
			"include_metadata": true,
			"auth":             map[string]any{"authenticator": authenticatorID},
		}
	}
	var exporterID string
	exporters := map[string]any{}
	switch o.Exporter {
	case EMF:
		exporterID = emfID
		exporters[emfID] = emfExporter(o)
	case File:
		exporterID = fileID
		exporters[fileID] = map[string]any{"path": o.FilePath, "format": "json", "flush_interval": "200ms"}
	}
	return &Config{
		Extensions: map[string]any{
			healthID: map[string]any{"endpoint": endpoint(o.HealthPort)},
			// The token's signature (the issuer's JWKS), issuer, audience and expiry are
			// checked on every request; auth.subject becomes the token's sub.
			authenticatorID: oidcAuthenticator(o),
		},
		Receivers: map[string]any{
			receiverID: map[string]any{"protocols": map[string]any{
				"http": protocol(o.HTTPPort),
				"grpc": protocol(o.GRPCPort),
			}},
		},
		Processors: map[string]any{
			memoryID:     map[string]any{"check_interval": "1s", "limit_percentage": 80, "spike_limit_percentage": 20},
			resourceID:   resourceProcessor(),
			attributesID: attributesProcessor(),
			batchID:      map[string]any{"timeout": o.BatchTimeout, "send_batch_size": 1024, "send_batch_max_size": 2048},
		},
		Exporters: exporters,
		Service: Service{
			Extensions: []string{healthID, authenticatorID},
			Pipelines: map[string]Pipeline{"metrics": {
				Receivers: []string{receiverID},
				// The identity steps run before batch: they read the request's context,
				// which the batch processor does not carry over.
				Processors: []string{memoryID, resourceID, attributesID, batchID},
				Exporters:  []string{exporterID},
			}},
			// The collector's own metrics would need a fixed port; its logs go to stdout.
			Telemetry: map[string]any{
				"metrics": map[string]any{"level": "none"},
				"logs":    map[string]any{"level": "info", "encoding": "json"},
			},
		},
	}, nil
}

func oidcAuthenticator(o Options) map[string]any {
	claim := o.SubjectClaim
	if claim == "" {
		claim = "sub"
	}
	a := map[string]any{"issuer_url": o.Issuer, "audience": o.Audience, "username_claim": claim}
	if o.IssuerCAPath != "" {
		a["issuer_ca_path"] = o.IssuerCAPath
	}
	return a
}

// YAML renders the configuration for o as the collector reads it.
func YAML(o Options) (string, error) {
	c, err := New(o)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return "", fmt.Errorf("render collector config: %w", err)
	}
	return buf.String(), nil
}
