package idptest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// The fake Cognito Identity: JSON 1.1.

func (a *AWS) serveCognito(w http.ResponseWriter, r *http.Request, action string) {
	var (
		out any
		err *awsError
	)
	if f := a.fault(action); f != nil {
		err = f
	} else {
		var in struct {
			IdentityPoolID string            `json:"IdentityPoolId"`
			IdentityID     string            `json:"IdentityId"`
			Logins         map[string]string `json:"Logins"`
		}
		if derr := json.NewDecoder(r.Body).Decode(&in); derr != nil {
			err = fail(400, "InvalidParameterException", "malformed request: %v", derr)
		} else {
			switch action {
			case "GetId":
				out, err = a.getID(r.Context(), in.IdentityPoolID, in.Logins)
			case "GetOpenIdToken":
				out, err = a.getOpenIDToken(r.Context(), in.IdentityID, in.Logins)
			default:
				err = fail(400, "UnknownOperationException", "unknown operation %s", action)
			}
		}
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if err != nil {
		w.WriteHeader(err.status)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": err.code, "message": err.message})
		return
	}
	_ = json.NewEncoder(w).Encode(out)
}

// login verifies the provider's token in a Logins map (keyed by the issuer's host and path).
func (a *AWS) login(ctx context.Context, logins map[string]string) (string, *awsError) {
	key := strings.TrimSuffix(strings.TrimPrefix(a.opts.Provider.Issuer, "https://"), "/")
	raw, ok := logins[key]
	if !ok || len(logins) != 1 {
		return "", fail(400, "NotAuthorizedException", "Invalid login token. Logins must hold exactly the key %s", key)
	}
	idt, err := a.verifyProviderToken(ctx, raw)
	if err != nil {
		if err.code == "ExpiredTokenException" {
			return "", fail(400, "NotAuthorizedException", "Invalid login token. Token expired: %s", err.message)
		}
		return "", fail(400, "NotAuthorizedException", "Invalid login token. %s", err.message)
	}
	return idt.Subject, nil
}

func (a *AWS) getID(ctx context.Context, pool string, logins map[string]string) (any, *awsError) {
	if pool != a.opts.IdentityPoolID {
		return nil, fail(400, "ResourceNotFoundException", "IdentityPool '%s' not found.", pool)
	}
	sub, err := a.login(ctx, logins)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	id, ok := a.identities[sub]
	if !ok {
		id = strings.Split(pool, ":")[0] + ":" + randomID()
		a.identities[sub] = id
	}
	return map[string]string{"IdentityId": id}, nil
}

func (a *AWS) getOpenIDToken(ctx context.Context, identityID string, logins map[string]string) (any, *awsError) {
	sub, err := a.login(ctx, logins)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	known := a.identities[sub] == identityID
	a.mu.Unlock()
	if !known {
		return nil, fail(400, "NotAuthorizedException", "Invalid identity ID %s for this login", identityID)
	}
	signer, serr := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: a.cognitoKey}, (&jose.SignerOptions{}).WithType("JWT"))
	if serr != nil {
		return nil, fail(500, "InternalErrorException", "%v", serr)
	}
	now := a.opts.Now()
	key := strings.TrimSuffix(strings.TrimPrefix(a.opts.Provider.Issuer, "https://"), "/")
	raw, serr := jwt.Signed(signer).Claims(jwt.Claims{
		Issuer: cognitoIssuer, Subject: identityID, Audience: jwt.Audience{a.opts.IdentityPoolID},
		IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(10 * time.Minute)),
	}).Claims(map[string]any{"amr": []string{"authenticated", key, key + ":" + a.opts.Provider.ClientID}}).Serialize()
	if serr != nil {
		return nil, fail(500, "InternalErrorException", "%v", serr)
	}
	return map[string]string{"IdentityId": identityID, "Token": raw}, nil
}
