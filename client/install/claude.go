package install

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"ccwb.dev/contract/strictjson"
)

// The environment variables of Claude Code's settings that put it on Bedrock through the
// installed AWS profile (https://code.claude.com/docs/en/amazon-bedrock): the package's
// settings set them, credential-process --doctor checks them.
const (
	EnvUseBedrock = "CLAUDE_CODE_USE_BEDROCK"
	EnvAWSProfile = "AWS_PROFILE"
	EnvAWSRegion  = "AWS_REGION"
)

// ClaudeSettings is the part of Claude Code's settings.json the installer owns: variables
// under "env" and the top-level "otelHeadersHelper" and "awsAuthRefresh".
type ClaudeSettings struct {
	Env               map[string]string `json:"env,omitempty"`
	OtelHeadersHelper string            `json:"otelHeadersHelper,omitempty"`
	// AWSAuthRefresh is the command Claude Code runs, showing its output, when the AWS
	// credentials fail: the credential process's sign-in (docs/platform/claude-code.md).
	AWSAuthRefresh string `json:"awsAuthRefresh,omitempty"`
}

// Helpers are the installer's top-level string keys and their values in s.
func (s ClaudeSettings) Helpers() [][2]string {
	return [][2]string{{"otelHeadersHelper", s.OtelHeadersHelper}, {"awsAuthRefresh", s.AWSAuthRefresh}}
}

// decodeObject reads a JSON object keeping every value as written. Empty input is an
// empty object; anything that is not one object is an error, so a user's file is never
// overwritten by mistake.
func decodeObject(data []byte, what string) (map[string]json.RawMessage, error) {
	obj := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(data)) == 0 {
		return obj, nil
	}
	err := strictjson.Unmarshal(data, &obj)
	if errors.Is(err, strictjson.ErrTrailingData) {
		return nil, fmt.Errorf("%s holds data after its JSON object: fix or move it, then run the installer again", what)
	}
	if err != nil {
		return nil, fmt.Errorf("%s is not a JSON object (%v): fix or move it, then run the installer again", what, err)
	}
	if obj == nil { // the file was `null`
		obj = map[string]json.RawMessage{}
	}
	return obj, nil
}

// encode writes v as JSON without HTML escaping, so the user's strings keep their
// spelling ("<", "&" stay as typed).
func encode(v any, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func encodeObject(obj map[string]json.RawMessage) ([]byte, error) { return encode(obj, "  ") }

func encodeString(s string) json.RawMessage {
	b, _ := encode(s, "")
	return bytes.TrimSpace(b)
}

// MergeClaudeSettings sets the installer's keys in a settings.json document, keeping every
// other key (and every other env variable) as it was. The result is indented JSON with
// sorted keys.
func MergeClaudeSettings(existing []byte, s ClaudeSettings) ([]byte, error) {
	obj, err := decodeObject(existing, "Claude Code settings")
	if err != nil {
		return nil, err
	}
	env, err := decodeObject(obj["env"], `Claude Code settings "env"`)
	if err != nil {
		return nil, err
	}
	for _, k := range slices.Sorted(maps.Keys(s.Env)) {
		env[k] = encodeString(s.Env[k])
	}
	if len(env) > 0 {
		if obj["env"], err = encode(env, ""); err != nil {
			return nil, err
		}
	}
	for _, h := range s.Helpers() {
		if h[1] != "" {
			obj[h[0]] = encodeString(h[1])
		}
	}
	return encodeObject(obj)
}

// UnmergeClaudeSettings removes the installer's keys from a settings.json document where
// they still hold the installer's values; a value the user changed since is theirs and
// stays. An "env" left empty is removed.
func UnmergeClaudeSettings(existing []byte, s ClaudeSettings) ([]byte, error) {
	obj, err := decodeObject(existing, "Claude Code settings")
	if err != nil {
		return nil, err
	}
	if raw, ok := obj["env"]; ok {
		env, err := decodeObject(raw, `Claude Code settings "env"`)
		if err != nil {
			return nil, err
		}
		for k, v := range s.Env {
			if equalString(env[k], v) {
				delete(env, k)
			}
		}
		if len(env) == 0 {
			delete(obj, "env")
		} else if obj["env"], err = encode(env, ""); err != nil {
			return nil, err
		}
	}
	for _, h := range s.Helpers() {
		if h[1] != "" && equalString(obj[h[0]], h[1]) {
			delete(obj, h[0])
		}
	}
	return encodeObject(obj)
}

func equalString(raw json.RawMessage, want string) bool {
	var got string
	return raw != nil && json.Unmarshal(raw, &got) == nil && got == want
}
