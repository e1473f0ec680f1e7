// Package wizard holds the questions `ccwb init` asks about a deployment: each one reads
// and writes one settings field, has a flag for non-interactive runs, and is asked in a
// terminal form (charm's huh) whose defaults are the current values.
package wizard

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"ccwb.dev/cdk/settings"
	"ccwb.dev/contract/config"
	"ccwb.dev/contract/federation"
	"ccwb.dev/contract/provider"
)

// Kind is how a question is asked.
type Kind int

const (
	Text   Kind = iota // free text
	Choice             // one of Options
	YesNo              // "true" or "false"
)

// Question is one setting: its flag, its prompt, and how it maps to the settings.
type Question struct {
	Flag, Title, Help string
	Kind              Kind
	// Options are the choices of a Choice question (nil: computed by OptionsFor).
	Options func(d *settings.Deployment) []string
	// Get returns the current value as text; Set stores text (already validated).
	Get func(d *settings.Deployment) string
	Set func(d *settings.Deployment, v string) error
	// Check validates an answer given the settings so far (nil: anything goes).
	Check func(d *settings.Deployment, v string) error
	// Ask says whether the question applies (nil: always).
	Ask func(d *settings.Deployment) bool
}

// str binds the question to a string field.
func (q Question) str(p func(d *settings.Deployment) *string) Question {
	q.Get = func(d *settings.Deployment) string { return *p(d) }
	q.Set = func(d *settings.Deployment, v string) error { *p(d) = strings.TrimSpace(v); return nil }
	return q
}

// num binds the question to an int field ("" is 0: the default).
func (q Question) num(p func(d *settings.Deployment) *int) Question {
	q.Get = func(d *settings.Deployment) string {
		if *p(d) == 0 {
			return ""
		}
		return strconv.Itoa(*p(d))
	}
	q.Set = func(d *settings.Deployment, v string) error {
		if strings.TrimSpace(v) == "" {
			*p(d) = 0
			return nil
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		*p(d) = n
		return nil
	}
	return q
}

// yesNo binds the question to a bool field.
func (q Question) yesNo(p func(d *settings.Deployment) *bool) Question {
	q.Kind = YesNo
	q.Get = func(d *settings.Deployment) string { return strconv.FormatBool(*p(d)) }
	q.Set = func(d *settings.Deployment, v string) error {
		b, err := ParseBool(v)
		if err == nil {
			*p(d) = b
		}
		return err
	}
	return q
}

// ParseBool accepts true/false, yes/no, y/n, 1/0.
func ParseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "y", "1":
		return true, nil
	case "false", "no", "n", "0":
		return false, nil
	}
	return false, fmt.Errorf("%q is not yes or no", v)
}

func splitList(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
}

func choices(opts ...string) func(*settings.Deployment) []string {
	return func(*settings.Deployment) []string { return opts }
}

func region(_ *settings.Deployment, v string) error {
	if !settings.KnownRegion(strings.TrimSpace(v)) {
		return fmt.Errorf("%q is not a region where Bedrock serves models (e.g. us-east-1, eu-central-1)", v)
	}
	return nil
}

func regions(d *settings.Deployment, v string) error {
	for _, r := range splitList(v) {
		if err := region(d, r); err != nil {
			return err
		}
	}
	return nil
}

func required(what string) func(*settings.Deployment, string) error {
	return func(_ *settings.Deployment, v string) error {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("%s is required", what)
		}
		return nil
	}
}

func port(_ *settings.Deployment, v string) error {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1024 || n > 65535 {
		return fmt.Errorf("%q is not a port between 1024 and 65535", v)
	}
	return nil
}

// idpDomain checks the domain: a recognised provider by detection, otherwise against the
// provider type already chosen (e.g. generic).
func idpDomain(d *settings.Deployment, v string) error {
	t, err := provider.Detect(v)
	if err != nil && d.IdentityProvider.Type != "" {
		t, err = provider.ParseType(d.IdentityProvider.Type)
	}
	if err != nil {
		return err
	}
	_, err = provider.IssuerURL(t, v)
	return err
}

// setDomain stores the domain; a domain of a recognised provider also sets the type, so
// that a re-run with another IdP does not keep the old type.
func setDomain(d *settings.Deployment, v string) error {
	d.IdentityProvider.Domain = strings.TrimSpace(v)
	if t, err := provider.Detect(v); err == nil && t != provider.Generic {
		d.IdentityProvider.Type = string(t)
	}
	return nil
}

func providerTypes(*settings.Deployment) []string {
	out := make([]string, len(provider.Types))
	for i, t := range provider.Types {
		out[i] = string(t)
	}
	return out
}

// crossRegionNone is how the wizard spells "no cross-region profile".
const crossRegionNone = "none"

// Questions are asked in this order; later questions see earlier answers.
var Questions = []Question{
	Question{Flag: "name", Title: "Deployment name", Help: "prefixes every stack name, e.g. ccwb or claude-prod", Check: required("the deployment name")}.
		str(func(d *settings.Deployment) *string { return &d.Name }),
	Question{Flag: "region", Title: "AWS region of the stacks", Check: region}.
		str(func(d *settings.Deployment) *string { return &d.Region }),
	{Flag: "idp-domain", Title: "Identity provider domain", Help: "dev-123.okta.com, an Entra tenant ID, my-tenant.us.auth0.com, a Cognito user pool ID, accounts.google.com, or an https:// issuer",
		Check: idpDomain, Set: setDomain, Get: func(d *settings.Deployment) string { return d.IdentityProvider.Domain }},
	{Flag: "idp-type", Title: "Identity provider type", Help: "detected from the domain", Kind: Choice, Options: providerTypes,
		Get: func(d *settings.Deployment) string {
			if d.IdentityProvider.Type != "" {
				return d.IdentityProvider.Type
			}
			t, _ := provider.Detect(d.IdentityProvider.Domain)
			return string(t)
		},
		Set: func(d *settings.Deployment, v string) error {
			t, err := provider.ParseType(v)
			d.IdentityProvider.Type = string(t)
			return err
		},
		Check: func(d *settings.Deployment, v string) error {
			t, err := provider.ParseType(v)
			if err != nil {
				return err
			}
			if d.IdentityProvider.Domain == "" {
				return nil
			}
			_, err = provider.IssuerURL(t, d.IdentityProvider.Domain)
			return err
		}},
	Question{Flag: "client-id", Title: "OAuth client ID (public/native app)", Check: required("the client ID")}.
		str(func(d *settings.Deployment) *string { return &d.IdentityProvider.ClientID }),
	Question{Flag: "client-secret", Title: "OAuth client secret (Google installed apps only)", Ask: func(d *settings.Deployment) bool { return d.IdentityProvider.Type == string(provider.Google) }}.
		str(func(d *settings.Deployment) *string { return &d.IdentityProvider.ClientSecret }),
	{Flag: "federation", Title: "Federation", Help: fmt.Sprintf("%s: IAM OIDC provider, sessions up to %s; %s: Cognito Identity Pool, up to %s",
		federation.Direct, settings.ShortDuration(federation.MaxSessionDuration(federation.Direct)), federation.Cognito, settings.ShortDuration(federation.MaxSessionDuration(federation.Cognito))),
		Kind: Choice, Options: choices(federation.Types...),
		Get: func(d *settings.Deployment) string { return d.Federation.Type },
		Set: func(d *settings.Deployment, v string) error {
			d.Federation.Type = strings.TrimSpace(v)
			if d.Federation.Type == federation.Cognito {
				d.Federation.Attribution = "" // direct federation only
			}
			return nil
		}},
	{Flag: "attribution", Title: "Attribution", Help: "subject: the session name must be the ID token's sub (nothing to set up); tags: the IdP emits the https://aws.amazon.com/tags claim (required for auth0)",
		Kind: Choice, Options: choices(federation.AttributionSubject, federation.AttributionTags),
		Ask: func(d *settings.Deployment) bool { return d.Federation.Type != federation.Cognito },
		Get: func(d *settings.Deployment) string {
			if d.Federation.Attribution == "" {
				return d.DefaultAttribution()
			}
			return d.Federation.Attribution
		},
		Set: func(d *settings.Deployment, v string) error {
			d.Federation.Attribution = strings.TrimSpace(v)
			return nil
		}},
	Question{Flag: "session-duration", Title: "AWS session length", Help: fmt.Sprintf("a duration such as %s (%s to %s)", settings.ShortDuration(federation.DefaultSessionDuration),
		settings.ShortDuration(federation.MinSessionDuration), settings.ShortDuration(federation.MaxSessionDuration(federation.Direct)))}.
		str(func(d *settings.Deployment) *string { return &d.Federation.SessionDuration }),
	{Flag: "bedrock-regions", Title: "Bedrock source regions (comma-separated)", Help: "where users call Bedrock from; a cross-region profile's destinations are AWS's choice within its geography", Check: regions,
		Get: func(d *settings.Deployment) string {
			if len(d.Bedrock.Regions) == 0 {
				return d.Region // the default: the deployment region
			}
			return strings.Join(d.Bedrock.Regions, ",")
		},
		Set: func(d *settings.Deployment, v string) error { d.Bedrock.Regions = splitList(v); return nil }},
	{Flag: "cross-region-profile", Title: "Cross-region inference profile", Kind: Choice,
		Options: func(*settings.Deployment) []string {
			return append([]string{crossRegionNone}, settings.CrossRegionProfiles...)
		},
		Get: func(d *settings.Deployment) string {
			if d.Bedrock.CrossRegionProfile == "" {
				return crossRegionNone
			}
			return d.Bedrock.CrossRegionProfile
		},
		Set: func(d *settings.Deployment, v string) error {
			d.Bedrock.CrossRegionProfile = strings.TrimSpace(v)
			if d.Bedrock.CrossRegionProfile == crossRegionNone {
				d.Bedrock.CrossRegionProfile = ""
			}
			return nil
		}},
	{Flag: "allowed-models", Title: "Allowed foundation-model ID patterns (comma-separated)", Help: "IAM wildcards, no profile prefix; default " + strings.Join(settings.DefaultAllowedModels, ","),
		Get: func(d *settings.Deployment) string {
			if d.Bedrock.AllowedModels == nil {
				return strings.Join(settings.DefaultAllowedModels, ",")
			}
			return strings.Join(d.Bedrock.AllowedModels, ",")
		},
		Set: func(d *settings.Deployment, v string) error { d.Bedrock.AllowedModels = splitList(v); return nil }},
	Question{Flag: "model", Title: "Claude Code model (ANTHROPIC_MODEL)", Help: "e.g. us.anthropic.claude-sonnet-4-5-20250929-v1:0; empty: Claude Code's default"}.
		str(func(d *settings.Deployment) *string { return &d.Bedrock.Model }),
	Question{Flag: "small-fast-model", Title: "Small/fast model", Help: "for background tasks; empty: Claude Code's default"}.
		str(func(d *settings.Deployment) *string { return &d.Bedrock.SmallFastModel }),
	Question{Flag: "monitoring", Title: "Deploy monitoring (OpenTelemetry collector, CloudWatch dashboard)?"}.
		yesNo(func(d *settings.Deployment) *bool { return &d.Monitoring.Enabled }),
	Question{Flag: "certificate-arn", Title: "ACM certificate for the collector endpoint (HTTPS)", Help: "arn:aws:acm:<region>:<account>:certificate/<id>; empty only for a test deployment over plain HTTP", Ask: func(d *settings.Deployment) bool { return d.Monitoring.Enabled }}.
		str(func(d *settings.Deployment) *string { return &d.Monitoring.CertificateARN }),
	Question{Flag: "domain-name", Title: "Collector endpoint DNS name (covered by the certificate)", Check: required("the domain name"), Ask: func(d *settings.Deployment) bool { return d.Monitoring.Enabled && d.Monitoring.CertificateARN != "" }}.
		str(func(d *settings.Deployment) *string { return &d.Monitoring.DomainName }),
	Question{Flag: "allow-plain-http", Title: "No certificate: accept plain HTTP ingest (test deployments only)?", Help: "users' ID tokens then cross the network in clear text", Ask: func(d *settings.Deployment) bool { return d.Monitoring.Enabled && d.Monitoring.CertificateARN == "" }}.
		yesNo(func(d *settings.Deployment) *bool { return &d.Monitoring.AllowPlainHTTP }),
	Question{Flag: "alarm-email", Title: "Alarm e-mail (optional)", Ask: func(d *settings.Deployment) bool { return d.Monitoring.Enabled }}.
		str(func(d *settings.Deployment) *string { return &d.Monitoring.AlarmEmail }),
	Question{Flag: "analytics", Title: "Deploy analytics (Firehose, S3 Parquet, Athena)?", Ask: func(d *settings.Deployment) bool { return d.Monitoring.Enabled }}.
		yesNo(func(d *settings.Deployment) *bool { return &d.Analytics.Enabled }),
	Question{Flag: "credential-storage", Title: "Where users' credentials are cached", Help: config.StorageKeyring + ": the OS keyring; " + config.StorageSession + ": 0600 files", Kind: Choice, Options: choices(config.StorageKeyring, config.StorageSession)}.
		str(func(d *settings.Deployment) *string { return &d.Client.CredentialStorage }),
	Question{Flag: "callback-port", Title: "Login callback port", Help: "must match the redirect URI registered at the IdP: http://localhost:<port>/callback", Check: port}.
		num(func(d *settings.Deployment) *int { return &d.Client.CallbackPort }),
	Question{Flag: "profile-name", Title: "AWS CLI profile name for end users"}.
		str(func(d *settings.Deployment) *string { return &d.Client.ProfileName }),
}

// Answer validates v and stores it: what a flag does, and what the form does per answer.
func (q Question) Answer(d *settings.Deployment, v string) error {
	if q.Kind == Choice && v != "" {
		if opts := q.Options(d); !slices.Contains(opts, v) {
			return fmt.Errorf("--%s: %q is not one of %s", q.Flag, v, strings.Join(opts, ", "))
		}
	}
	if q.Check != nil {
		if err := q.Check(d, v); err != nil {
			return fmt.Errorf("--%s: %w", q.Flag, err)
		}
	}
	if err := q.Set(d, v); err != nil {
		return fmt.Errorf("--%s: %w", q.Flag, err)
	}
	return nil
}
