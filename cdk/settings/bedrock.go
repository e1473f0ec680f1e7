package settings

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
)

// DefaultAllowedModels are the foundation-model ID patterns the role may use when the
// settings name none: Anthropic's models.
var DefaultAllowedModels = []string{"anthropic.*"}

// modelPatternRe is a foundation-model ID pattern: a provider, a dot, then ID characters
// and the IAM wildcards * and ?.
var modelPatternRe = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[A-Za-z0-9.:_*?-]*$`)

func (d *Deployment) validateBedrock(v *validator) {
	b := d.Bedrock
	if len(b.Regions) == 0 {
		v.add("bedrock.regions", "empty; list the regions where users may call Bedrock, e.g. [\"us-east-1\", \"us-east-2\", \"us-west-2\"]")
	}
	profileOK := b.CrossRegionProfile == "" || slices.Contains(CrossRegionProfiles, b.CrossRegionProfile)
	if !profileOK {
		v.add("bedrock.cross_region_profile", "%q is not an inference-profile prefix; use one of %s, or leave it empty for in-Region models", b.CrossRegionProfile, strings.Join(CrossRegionProfiles, ", "))
	}
	seen := map[string]bool{}
	for i, r := range b.Regions {
		field := fmt.Sprintf("bedrock.regions[%d]", i)
		switch {
		case !KnownRegion(r) && r == d.Region:
			// Reported under region already (and usually the default list's only entry).
		case !KnownRegion(r):
			v.add(field, "%q is not a region where Amazon Bedrock is available; use one of %s", r, strings.Join(Regions, ", "))
		case seen[r]:
			v.add(field, "%q is listed twice; remove the duplicate", r)
		case d.Region != "" && Partition(r) != Partition(d.Region):
			v.add(field, "%q is in partition %s but the deployment region %s is in %s; a role cannot grant across partitions", r, Partition(r), d.Region, Partition(d.Region))
		case profileOK && !IsProfileSourceRegion(b.CrossRegionProfile, r):
			v.add(field, "%q is not a source Region of the %s. inference profiles; use %s, or change bedrock.cross_region_profile", r, b.CrossRegionProfile, strings.Join(sourceRegionsOf(b.CrossRegionProfile), ", "))
		}
		seen[r] = true
	}
	patternsOK := true
	for i, p := range b.AllowedModels {
		if !modelPatternRe.MatchString(p) || slices.Contains(CrossRegionProfiles, strings.SplitN(p, ".", 2)[0]) {
			patternsOK = false
			v.add(fmt.Sprintf("bedrock.allowed_models[%d]", i), "%q is not a foundation-model ID pattern; give a provider, a dot and the model ID with * or ? wildcards and no inference-profile prefix, e.g. \"anthropic.*\" or \"amazon.nova-pro-v1:0\"", p)
		}
	}
	if len(b.AllowedModels) == 0 {
		patternsOK = false
		v.add("bedrock.allowed_models", "empty; list the foundation-model ID patterns the role may use, e.g. [%q] (the default)", DefaultAllowedModels[0])
	}
	if profileOK && patternsOK {
		b.checkModel(v, "bedrock.model", b.Model)
		b.checkModel(v, "bedrock.small_fast_model", b.SmallFastModel)
	}
	for i, p := range b.Prices {
		if pr := p.Problem(); pr != "" {
			v.add(fmt.Sprintf("bedrock.prices[%d]", i), "%s", pr)
		}
	}
	if b.PricesAsOf != "" {
		if _, err := time.Parse(time.DateOnly, b.PricesAsOf); err != nil {
			v.add("bedrock.prices_as_of", "%q is not a date; write the day you read the prices as YYYY-MM-DD", b.PricesAsOf)
		}
	}
}

// FoundationModel is the foundation-model ID of a model ID Claude Code uses: without its
// inference-profile prefix (one of CrossRegionProfiles), if it has one.
func FoundationModel(model string) string {
	if geo, fm, ok := strings.Cut(model, "."); ok && slices.Contains(CrossRegionProfiles, geo) {
		return fm
	}
	return model
}

// checkModel: a model ID Claude Code uses must carry exactly the configured geography's
// prefix (none for in-Region), and its foundation-model ID must be allowed.
func (b Bedrock) checkModel(v *validator, field, model string) {
	if model == "" {
		return
	}
	geo, fm, _ := strings.Cut(model, ".")
	if !slices.Contains(CrossRegionProfiles, geo) {
		geo, fm = "", model
	}
	want := b.CrossRegionProfile
	switch {
	case strings.HasPrefix(model, "arn:"):
		v.add(field, "%q is an ARN; give a model ID with %s (bedrock.cross_region_profile): the role allows no application inference profiles", model, prefixName(want))
	case geo == "" && !b.allows(fm) && b.allows(afterDot(fm)):
		v.add(field, "%q starts with %q, which is not an inference-profile prefix (%s); use %q", model, strings.SplitN(model, ".", 2)[0]+".", strings.Join(CrossRegionProfiles, ", "), withPrefix(want, afterDot(fm)))
	case geo != want && want == "":
		v.add(field, "%q is a %s. inference profile but bedrock.cross_region_profile is empty (in-Region models); set cross_region_profile to %q, or use %q", model, geo, geo, fm)
	case geo != want:
		v.add(field, "%q has %s but bedrock.cross_region_profile is %q; use %q, or set cross_region_profile to match", model, prefixName(geo), want, withPrefix(want, fm))
	case !b.allows(fm):
		v.add(field, "%q is not allowed by bedrock.allowed_models %q; pick a model that matches, or add a pattern for %q", model, b.AllowedModels, fm)
	}
}

// allows reports whether a foundation-model ID matches one of the allowed patterns, the
// way IAM matches the policy's resource ARNs (* any run, ? one character).
func (b Bedrock) allows(modelID string) bool {
	for _, p := range b.AllowedModels {
		if ok, err := path.Match(p, modelID); err == nil && ok {
			return true
		}
	}
	return false
}

func afterDot(s string) string {
	_, rest, _ := strings.Cut(s, ".")
	return rest
}

func withPrefix(geo, modelID string) string {
	if geo == "" {
		return modelID
	}
	return geo + "." + modelID
}

func prefixName(geo string) string {
	if geo == "" {
		return "no inference-profile prefix"
	}
	return "the prefix " + geo + "."
}
