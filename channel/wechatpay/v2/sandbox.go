package v2

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"github.com/mockpay/mockpay/channel"
)

// SandboxKey is a merchant's sandbox_signkey (§1.11): what getsignkey hands
// out and what every call under the sandbox prefixes is signed with. It is
// derived from the APIv2 key, so it is the same on every call and after a
// restart, and only the key holder can get it (the platform's is
// time-limited; mockpay's does not expire).
func SandboxKey(apiKey string) string {
	m := hmac.New(sha256.New, []byte(apiKey))
	m.Write([]byte("mockpay sandbox_signkey"))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// getSignKey is POST /sandboxnew/pay/getsignkey and
// /xdc/apiv2getsignkey/sign/getsignkey (§1.11): mch_id, nonce_str and an
// MD5 sign with the production key; the answer names the sandbox key and
// is not signed.
func (a *API) getSignKey(w http.ResponseWriter, r *http.Request) {
	fail := failer(w, r, "getsignkey")
	v, st, app, creds, ok := a.read(r, fail)
	if !ok {
		return
	}
	if !Verify(v, creds.APIv2Key, st) {
		fail(app.AppID, FailSign, diagnose(v, st, false))
		return
	}
	channel.Report(r.Context(), channel.Verdict{App: app.AppID, Method: "getsignkey"})
	write(w, SignKeyAnswer(app.AppID, SandboxKey(creds.APIv2Key)))
}
