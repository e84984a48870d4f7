package instance_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/internal/merchant"
)

// The fixture partners of the legacy gateway (fixtures/apps.json).
const (
	md5PID   = "2088102100000011" // MD5, refundable (TRADE_SUCCESS)
	rsaPID   = "2088102100000012" // RSA keys as well as an MD5 key
	plainPID = "2088102100000013" // plain 即时到账 (TRADE_FINISHED), anti-phishing on
)

// partner is a legacy shop for a fixture partner, signing with MD5 unless
// its sign type is set to RSA.
func (e *env) partner(pid string) *merchant.Legacy {
	e.t.Helper()
	a, ok := e.app.Apps.App(pid)
	if !ok || kit.Creds(a).Legacy == nil {
		e.t.Fatalf("no fixture partner %s", pid)
	}
	l := merchant.NewLegacy(e.app.URL+"/gateway.do", a.PID, kit.Creds(a).Legacy.MD5Key)
	if a.AppPrivateKeyPEM != "" {
		var err error
		if l.PrivateKey, err = merchant.ParsePrivateKey(a.AppPrivateKeyPEM); err != nil {
			e.t.Fatal(err)
		}
		if l.PlatformKey, err = merchant.ParsePublicKey(a.PlatformPublicKeyPEM); err != nil {
			e.t.Fatal(err)
		}
	}
	return l
}

// directPay is a valid create_direct_pay_by_user order of pid's seller.
func (e *env) directPay(pid, outTradeNo, totalFee string) map[string]string {
	return map[string]string{
		"out_trade_no": outTradeNo, "subject": "Legacy order", "payment_type": "1", "total_fee": totalFee,
		"seller_id": pid, "notify_url": e.shop.URL + "/notify", "return_url": e.shop.URL + "/return",
	}
}

// legacyPay opens the cashier for a signed order URL, pays, and returns the
// sync return's query as the shop receives it (raw charset bytes).
func (e *env) legacyPay(pageURL string) url.Values {
	e.t.Helper()
	cashier, _ := e.openCashier(pageURL)
	resp, body := e.press(cashier, "pay")
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("pay answered %d, want 303 to return_url: %s", resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, e.shop.URL+"/return?") {
		e.t.Fatalf("pay redirected to %s", loc)
	}
	return mustQuery(e.t.(*testing.T), loc)
}

// verifyPaths are the three places notify_verify answers (§1.6).
func (e *env) verifyPaths() map[string]string {
	return map[string]string{
		"gateway":   e.app.URL + "/gateway.do?service=notify_verify",
		"cooperate": e.app.URL + "/cooperate/gateway.do?service=notify_verify",
		"http":      e.app.URL + "/trade/notify_query.do",
	}
}

// notifyVerify asks the gateway path.
func (e *env) notifyVerify(l *merchant.Legacy, notifyID string) string {
	e.t.Helper()
	got, err := l.NotifyVerify(e.verifyPaths()["gateway"], notifyID)
	if err != nil {
		e.t.Fatal(err)
	}
	return got
}

// wantErrorPage asserts a page service's error: HTTP 200, HTML with the
// code in its text, no pay button (§1.10).
func wantErrorPage(t *testing.T, resp *http.Response, body, code string) {
	t.Helper()
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, code) {
		t.Errorf("want an error page with %s, got %d: %s", code, resp.StatusCode, body)
	}
	if strings.Contains(body, `data-testid="pay"`) {
		t.Errorf("an error page (%s) must not offer to pay", code)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s: content type %q", code, ct)
	}
}

// wantXMLError asserts a server service's error: <is_success>F and the code.
func wantXMLError(t *testing.T, r *merchant.XMLResponse, err error, code string) {
	t.Helper()
	if err != nil {
		t.Fatalf("want XML error %s: %v", code, err)
	}
	if r.IsSuccess != "F" || r.Error != code {
		t.Errorf("want is_success F, error %s; got %s", code, r.Raw)
	}
}

// noteAt returns the n-th notification the shop received (1-based).
func (s *shop) noteAt(n int) url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notes[n-1]
}
