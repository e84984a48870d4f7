package v3

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// writer answers one request.
type writer struct {
	w    http.ResponseWriter
	wall clock.Clock
}

// Signed are the Wechatpay-* headers over body (§2.3): a wall-clock
// timestamp (P-V3-2), a fresh nonce, the platform key's signature and the
// serial of the key that signed (the certificate's, or PUB_KEY_ID_…).
func Signed(app *payment.App, wall clock.Clock, body []byte) (http.Header, error) {
	ts := strconv.FormatInt(wall.Now().Unix(), 10)
	nonce := kit.Token(32)
	sig, err := sign.SignRSA(app.PlatformPrivateKey(), sign.RSA2, []byte(ts+"\n"+nonce+"\n"+string(body)+"\n"))
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	h.Set("Wechatpay-Timestamp", ts)
	h.Set("Wechatpay-Nonce", nonce)
	h.Set("Wechatpay-Signature", sig)
	h.Set("Wechatpay-Serial", kit.Creds(app).PlatformSerial())
	return h, nil
}

// ok writes a 2xx answer, signed: a 204 too, over the empty body (P-V3-1).
func (o *writer) ok(app *payment.App, status int, v any) {
	var body []byte
	if status != http.StatusNoContent {
		var err error
		if body, err = json.Marshal(v); err != nil {
			o.fail(context.Background(), app, "", err)
			return
		}
	}
	o.write(app, status, body)
}

func (o *writer) write(app *payment.App, status int, body []byte) {
	h := o.w.Header()
	h.Set("Request-ID", requestID())
	if app != nil {
		if signed, err := Signed(app, o.wall, body); err == nil {
			for k, v := range signed {
				h[k] = v
			}
		}
	}
	if len(body) > 0 {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	o.w.WriteHeader(status)
	_, _ = o.w.Write(body)
}

// fail answers err as the platform's JSON error {code, message} with its
// HTTP status (§2.7, P-V3-6), and reports the verdict to the journal.
func (o *writer) fail(ctx context.Context, app *payment.App, method string, err error) {
	e := asAPIError(err)
	v := channel.Verdict{Method: method, Code: e.Code, Message: e.Message, Diagnosis: e.diagnosis}
	if app != nil {
		v.App = app.AppID
	}
	channel.Report(ctx, v)
	body, _ := json.Marshal(e)
	o.write(app, e.Status, body)
}

func requestID() string { return kit.Token(8) + "-" + kit.Digits(10) }
