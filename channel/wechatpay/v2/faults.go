package v2

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/payment"
)

// Faults are APIv2's fault hooks (channel.Faults): pay notifications whose
// sign is broken, and the business-layer SYSTEMERROR answer. RefuseStale
// is false: an APIv2 notification signs no time (§1.9), so a correct shop
// acknowledges a replay and does not process it again.
type Faults struct{ Apps *payment.Registry }

// Hooks is f as the channel contract takes it.
func (f Faults) Hooks() *channel.Faults { return &channel.Faults{Forge: f.Forge, Busy: f.Busy} }

// Forge renders n's pay notification with its sign broken as asked. A
// refund notification has no sign (its req_info is encrypted with the
// key, §1.9): it has no forged form here.
func (f Faults) Forge(n *payment.Notification, _ time.Time, how channel.Forgery) (channel.Request, error) {
	if n.Kind != payment.KindTrade || n.Trade.PaidAt.IsZero() {
		return channel.Request{}, channel.ErrNoFault
	}
	app, ok := f.Apps.App(n.AppID)
	if !ok {
		return channel.Request{}, fmt.Errorf("no merchant %s", n.AppID)
	}
	m, err := notifyMerchant(app, &n.Trade)
	if err != nil {
		return channel.Request{}, err
	}
	r := PayResultOf(&n.Trade)
	switch how {
	case channel.ForgeWrongKey:
		m.Key = channel.WrongSecret()
	case channel.ForgeTamper:
		m.Key = channel.WrongSecret()
		r.TotalFee = int64(channel.TamperedAmount(payment.Amount(r.TotalFee)))
		r.CashFee = r.TotalFee
	case channel.ForgeBadSignature, channel.ForgeNoSignature, channel.ForgeOversize:
	default:
		return channel.Request{}, channel.ErrNoFault
	}
	body := PayNotification(m, NewNonce(), r)
	switch how {
	case channel.ForgeBadSignature:
		// 32 upper-case hex digits, as an MD5 sign is (HMAC's is 64).
		sig := strings.ToUpper(channel.WrongSecret())
		if m.SignType == HMACSHA256 {
			sig += strings.ToUpper(channel.WrongSecret())
		}
		body = replaceSign(body, sig)
	case channel.ForgeNoSignature:
		body = replaceSign(body, "")
	case channel.ForgeOversize:
		pad := "<mockpay_padding>" + strings.Repeat("x", channel.OversizeBytes) + "</mockpay_padding></xml>"
		body = append(bytes.TrimSuffix(body, []byte("</xml>")), pad...)
	}
	return XMLRequest(body), nil
}

// replaceSign is a notification body with its sign element's value
// replaced, or the element removed when sig is "".
func replaceSign(body []byte, sig string) []byte {
	i := bytes.Index(body, []byte("<sign>"))
	j := bytes.Index(body, []byte("</sign>"))
	if i < 0 || j < i {
		return body
	}
	el := ""
	if sig != "" {
		el = "<sign><![CDATA[" + sig + "]]></sign>"
	}
	out := append([]byte(nil), body[:i]...)
	out = append(out, el...)
	return append(out, body[j+len("</sign>"):]...)
}

// Busy is the platform's "system error, result unknown": return_code
// SUCCESS, result_code FAIL, err_code SYSTEMERROR (§1.10; the call is to
// be retried with the same parameters or queried), signed with the
// request's sign type and the key it was signed with, as every business
// refusal is (§1.3).
func (f Faults) Busy(r *http.Request, mchID, _ string) (channel.BusyAnswer, error) {
	app, ok := f.Apps.App(mchID)
	if !ok {
		return channel.BusyAnswer{}, fmt.Errorf("no merchant %s", mchID)
	}
	c := kit.Creds(app)
	if c == nil || c.APIv2Key == "" {
		return channel.BusyAnswer{}, fmt.Errorf("no APIv2 merchant %s", mchID)
	}
	var v Values
	if body, err := io.ReadAll(io.LimitReader(r.Body, channel.MaxBodyBytes)); err == nil {
		v, _ = Decode(body)
	}
	st, ok := ParseSignType(v["sign_type"])
	if !ok {
		st = MD5
	}
	key := c.APIv2Key
	if strings.HasPrefix(r.URL.Path, SandboxLegacy+"/") || strings.HasPrefix(r.URL.Path, SandboxCurrent+"/") {
		key = SandboxKey(key)
	}
	appID := v["appid"]
	if appID == "" {
		appID = c.AppID
	}
	m := Merchant{AppID: appID, MchID: app.AppID, Key: key, SignType: st}
	body := RefusalAnswer(m, NewNonce(), Refuse(ErrSystemError, ""))
	return channel.BusyAnswer{Status: http.StatusOK, Body: body, Code: ErrSystemError,
		Header: http.Header{"Content-Type": {"text/xml; charset=utf-8"}}}, nil
}
