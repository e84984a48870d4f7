package kit

import (
	"crypto/rsa"

	"github.com/mockpay/mockpay/sign"
)

// SignRule says which canonical string an OpenAPI signature covers.
type SignRule int

const (
	// RequestRule: every parameter but sign, sign_type kept (§2.3).
	RequestRule SignRule = iota
	// NotifyRule: every field but sign and sign_type; notifications (§3.3)
	// and sync returns (§3.6) alike.
	NotifyRule
)

// Options are the canonical-string options of the rule; a fresh value on
// every call, so callers may change it.
func (r SignRule) Options() sign.CanonicalOptions {
	if r == NotifyRule {
		return sign.CanonicalOptions{Exclude: []string{"sign", "sign_type"}}
	}
	return sign.CanonicalOptions{Exclude: []string{"sign"}}
}

func (r SignRule) String() string {
	if r == NotifyRule {
		return "notification rule (§3.3: all fields but sign and sign_type)"
	}
	return "request rule (§2.3: all parameters but sign, sign_type kept)"
}

// SignParams computes the canonical string of params under rule and its
// base64 signature: what `mockpay sign` shows a developer to compare with
// their SDK's log.
func SignParams(params sign.Params, rule SignRule, st sign.Type, key *rsa.PrivateKey) (canonical, signature string, err error) {
	canonical = sign.Canonical(params, rule.Options())
	signature, err = sign.SignRSA(key, st, []byte(canonical))
	return canonical, signature, err
}
