package wechatpaygopay

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	wechat "github.com/go-pay/gopay/wechat/v3"
)

// browser follows no redirect: each hop of the buyer's way is asserted.
// On the HTTPS_PROXY route the pages stay on the host the SDK named
// (api.mch.weixin.qq.com), so the buyer's browser uses the same proxy and
// CA as the shop.
var browser = &http.Client{
	Timeout:       15 * time.Second,
	Transport:     &http.Transport{Proxy: http.ProxyFromEnvironment},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// open GETs a buyer page and returns the status, Location and body.
func open(t *testing.T, u string) (int, string, string) {
	t.Helper()
	rsp, err := browser.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer rsp.Body.Close()
	b, _ := io.ReadAll(rsp.Body)
	return rsp.StatusCode, rsp.Header.Get("Location"), string(b)
}

// mustReachCashier: the page sends the buyer on to mockpay's cashier.
func mustReachCashier(t *testing.T, what, u string) {
	t.Helper()
	status, loc, body := open(t, u)
	if status/100 != 3 || loc == "" {
		t.Fatalf("%s (%s): HTTP %d Location %q, want a redirect to the cashier\n%.600s", what, u, status, loc, body)
	}
	if status, _, body := open(t, resolve(u, loc)); status != http.StatusOK {
		t.Fatalf("%s: cashier %s answered HTTP %d\n%.600s", what, loc, status, body)
	}
}

func resolve(base, ref string) string {
	b, _ := url.Parse(base)
	r, _ := url.Parse(ref)
	return b.ResolveReference(r).String()
}

// jsapiPage is the page playing WeixinJSBridge.getBrandWCPayRequest with
// the parameters gopay's PaySignOfJSAPI made for the shop's page (§2.9).
func jsapiPage(a wxApp, p *wechat.JSAPIPayParams, paySign string) string {
	q := url.Values{"appId": {p.AppId}, "timeStamp": {p.TimeStamp}, "nonceStr": {p.NonceStr},
		"package": {p.Package}, "signType": {p.SignType}, "paySign": {paySign}}
	return a.APIBaseURL + "/wxpay/jsapi?" + q.Encode()
}

// checkBuyerJSAPI hands gopay's JSAPI parameters to the WeChat-client
// page: accepted as made, refused once paySign is altered.
func checkBuyerJSAPI(t *testing.T, c *wechat.ClientV3, a wxApp, prepayID string) {
	t.Helper()
	p, err := c.PaySignOfJSAPI(a.Appid, prepayID)
	if err != nil {
		t.Fatalf("PaySignOfJSAPI: %v", err)
	}
	mustReachCashier(t, "JSAPI page with gopay's paySign", jsapiPage(a, p, p.PaySign))
	forged := "A" + p.PaySign[1:]
	if forged == p.PaySign {
		forged = "B" + p.PaySign[1:]
	}
	if status, loc, body := open(t, jsapiPage(a, p, forged)); status/100 == 3 || !strings.Contains(body, "SIGN_ERROR") {
		t.Fatalf("JSAPI page with an altered paySign: HTTP %d Location %q\n%.600s", status, loc, body)
	}
}

// checkBuyerNative opens a code_url the way the WeChat client does after
// scanning it: weixin://wxpay/bizpayurl?pr=… on mockpay's origin.
func checkBuyerNative(t *testing.T, a wxApp, codeURL string) {
	t.Helper()
	u, err := url.Parse(codeURL)
	if err != nil {
		t.Fatalf("code_url %q: %v", codeURL, err)
	}
	mustReachCashier(t, "scanned code_url", a.APIBaseURL+"/wxpay/bizpayurl?"+u.RawQuery)
}
