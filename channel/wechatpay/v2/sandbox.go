package v2

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
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
	ctx := r.Context()
	fail := func(mchID string, f *Failure, d *channel.Diagnosis) {
		channel.Report(ctx, channel.Verdict{App: mchID, Method: "getsignkey", Code: "FAIL", Message: f.Msg, Diagnosis: d})
		write(w, FailAnswer(f.Msg))
	}
	if r.Method != http.MethodPost {
		fail("", FailPost, nil)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, channel.MaxBodyBytes+1))
	if err != nil || len(body) > channel.MaxBodyBytes {
		fail("", FailXML, nil)
		return
	}
	v, err := Decode(body)
	if err != nil {
		fail("", DecodeFailure(err), nil)
		return
	}
	st, f := Common(v)
	if f != nil {
		fail(v["mch_id"], f, nil)
		return
	}
	app, creds, ok := a.merchant(v["mch_id"])
	if !ok {
		fail(v["mch_id"], FailNoMerchant, nil)
		return
	}
	if !Verify(v, creds.APIv2Key, st) {
		fail(app.AppID, FailSign, diagnose(v, st, false))
		return
	}
	channel.Report(ctx, channel.Verdict{App: app.AppID, Method: "getsignkey"})
	write(w, SignKeyAnswer(app.AppID, SandboxKey(creds.APIv2Key)))
}
