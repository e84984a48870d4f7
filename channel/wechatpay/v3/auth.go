package v3

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// authScheme is the Authorization scheme of APIv3 requests (§2.2).
const authScheme = "WECHATPAY2-SHA256-RSA2048"

// MaxSkew is how far a request's timestamp may be from the platform's
// (wall) clock: 5 minutes (§2.2).
const MaxSkew = 5 * time.Minute

// authenticate checks the headers every request needs (§2.1) and the
// Authorization signature over the raw request target and body
// (P-V3-4, P-V3-5), and returns the merchant it names.
func (a *API) authenticate(r *http.Request, body []byte) (*payment.App, error) {
	if r.Header.Get("Accept") == "" || r.Header.Get("User-Agent") == "" {
		return nil, apiError(http.StatusBadRequest, "INVALID_REQUEST", "Http头缺少Accept或User-Agent")
	}
	params, ok := parseAuthorization(r.Header.Get("Authorization"))
	if !ok {
		return nil, errSign("Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》")
	}
	for _, k := range []string{"mchid", "nonce_str", "timestamp", "serial_no", "signature"} {
		if params[k] == "" {
			return nil, errSign("Http头Authorization缺少" + k)
		}
	}
	app, ok := a.Apps.App(params["mchid"])
	if !ok || app.Protocol() != kit.ProtocolV3 {
		return nil, apiError(http.StatusBadRequest, "MCH_NOT_EXISTS", "商户号不存在: "+params["mchid"])
	}
	creds := kit.Creds(app)
	if !strings.EqualFold(params["serial_no"], creds.MerchantSerialNo) {
		return app, errSign("商户证书序列号有误。请使用签名私钥匹配的证书序列号: " + params["serial_no"])
	}
	ts, err := strconv.ParseInt(params["timestamp"], 10, 64)
	if err != nil {
		return app, errSign("Http头Authorization中的timestamp格式错误")
	}
	if skew := a.Wall.Now().Sub(time.Unix(ts, 0)); skew > MaxSkew || skew < -MaxSkew {
		return app, errSign("请求的时间戳与当前时间相差超过5分钟: " + params["timestamp"])
	}
	msg := r.Method + "\n" + r.RequestURI + "\n" + params["timestamp"] + "\n" + params["nonce_str"] + "\n" + string(body) + "\n"
	if err := sign.VerifyRSA(app.AppPublicKey(), sign.RSA2, []byte(msg), params["signature"]); err != nil {
		e := errSign("签名错误，请检查后再试")
		e.diagnosis = diagnose(msg, err)
		return app, e
	}
	return app, nil
}

// diagnose explains a failed Authorization signature with the string
// mockpay verified (§2.2) and the likely mistakes; it holds no key.
func diagnose(msg string, err error) *channel.Diagnosis {
	d := &channel.Diagnosis{Cause: "signature", Canonical: msg,
		Summary: "the signature does not verify with the merchant's API certificate over the five lines mockpay verified",
		Details: []string{
			"the message is METHOD\\nTARGET\\nTIMESTAMP\\nNONCE\\nBODY\\n, every line ending in \\n, the last too",
			"TARGET is the path and query exactly as sent (no scheme or host); BODY the exact bytes sent, empty for GET",
			"sign with the private key of the certificate serial_no names (merchant_private_key_pem)",
		}}
	if errors.Is(err, sign.ErrSignatureEncoding) {
		d.Cause, d.Summary = "signature_encoding", "the signature is not standard Base64 of a 256-byte RSA-2048 signature"
	}
	return d
}

// parseAuthorization reads `SCHEME k="v",k="v",…` in any parameter order.
func parseAuthorization(h string) (map[string]string, bool) {
	rest, ok := strings.CutPrefix(h, authScheme+" ")
	if !ok {
		return nil, false
	}
	out := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
			return nil, false
		}
		out[k] = v[1 : len(v)-1]
	}
	return out, true
}

func unescape(s string) (string, error) { return url.PathUnescape(s) }
