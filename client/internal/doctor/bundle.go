package doctor

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"time"

	"ccwb.dev/client/install"
	"ccwb.dev/client/internal/claims"
	"ccwb.dev/contract/config"
)

// Files are what the support bundle adds to the report: config.json, the profile's section of
// the AWS config, the Claude Code settings (the user's and the project's), and what the cache
// holds (which entries, until when; the ID token's claim names and iss, aud, exp), never the
// values. doctor.WriteBundle removes the secrets that remain.
func Files(e Env, t *Target) map[string][]byte {
	out := map[string][]byte{}
	if t == nil {
		return out
	}
	if b, err := os.ReadFile(t.ConfigPath); err == nil {
		out[config.FileName] = b
	}
	if paths, err := install.UserPaths(e.Getenv); err == nil {
		if b, err := os.ReadFile(paths.AWSConfig); err == nil {
			if s, ok := install.ProfileSection(b, t.Name); ok {
				out["aws-config-profile.txt"] = []byte(s + "\n")
			}
		}
		if b, err := os.ReadFile(paths.ClaudeSettings); err == nil {
			out["claude-settings.json"] = b
		}
	}
	for _, name := range []string{"settings.json", "settings.local.json"} {
		if b, err := os.ReadFile(filepath.Join(e.WD, ".claude", name)); err == nil {
			out["project-claude-"+name] = b
		}
	}
	if b, err := json.MarshalIndent(cacheState(e, *t), "", "  "); err == nil {
		out["cache.json"] = b
	}
	return out
}

// cacheState describes the cache without its values.
func cacheState(e Env, t Target) map[string]any {
	s, err := e.Session(t.Name, t.Profile)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	state := map[string]any{"storage": s.Store.Describe()}
	if c, ok := s.Credentials(); ok {
		state["aws_credentials_expire"] = c.Expires.UTC().Format(time.RFC3339)
	}
	if tok, ok := s.Tokens(); ok {
		state["id_token_expires"] = tok.IDExpiry.UTC().Format(time.RFC3339)
		state["refresh_token_cached"] = tok.RefreshToken != ""
		if c, err := claims.Parse(tok.IDToken); err == nil {
			names := make([]string, 0, len(c))
			for k := range c {
				names = append(names, k)
			}
			slices.Sort(names)
			state["id_token_claim_names"] = names
			state["id_token_iss"], state["id_token_aud"] = c["iss"], c["aud"]
		}
	}
	if r, ok := s.Registration(); ok {
		state["identity_center_registration"] = map[string]string{"grant": r.Grant, "expires": r.ExpiresAt.UTC().Format(time.RFC3339)}
	}
	if tok, ok := s.SSOToken(); ok {
		state["identity_center_access_token_expires"] = tok.Expiry.UTC().Format(time.RFC3339)
		state["identity_center_refresh_token_cached"] = tok.RefreshToken != ""
	}
	return state
}
