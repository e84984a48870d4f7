package gopay

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-pay/gopay"
	"github.com/go-pay/gopay/alipay"
)

// shop is the merchant's notify_url: it keeps what gopay parsed.
type shop struct {
	*httptest.Server
	mu    sync.Mutex
	got   map[string]gopay.BodyMap
	ready chan struct{}
}

func newShop(t *testing.T) *shop {
	s := &shop{got: map[string]gopay.BodyMap{}, ready: make(chan struct{}, 16)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/notify" {
			fmt.Fprint(w, "the shop's return page")
			return
		}
		bm, err := alipay.ParseNotifyToBodyMap(r)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		s.mu.Lock()
		s.got[bm.GetString("out_trade_no")] = bm
		s.mu.Unlock()
		s.ready <- struct{}{}
		io.WriteString(w, "success")
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *shop) wait(t *testing.T, outTradeNo string) gopay.BodyMap {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		s.mu.Lock()
		bm, ok := s.got[outTradeNo]
		s.mu.Unlock()
		if ok {
			return bm
		}
		select {
		case <-s.ready:
		case <-deadline:
			t.Fatalf("no notification for %s within 30s", outTradeNo)
		}
	}
}

// newClient is gopay as a merchant writes it for production: no gateway
// to set, the real hosts compiled in; the environment sends it to mockpay.
func newClient(t *testing.T, a mockApp, s *shop) *alipay.Client {
	t.Helper()
	c, err := alipay.NewClient(a.AppID, bare(a.AppPrivateKeyPEM), true)
	if err != nil {
		t.Fatal(err)
	}
	c.SetCharset(alipay.UTF8).SetSignType(alipay.RSA2).SetNotifyUrl(s.URL + "/notify").SetReturnUrl(s.URL + "/return")
	c.AutoVerifySign([]byte(a.AlipayPublicKeyPEM))
	return c
}

// browser is the buyer's: the environment's proxy and trust, no redirects
// followed, so each hop is seen.
func newBrowser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var seq atomic.Int64

func outTradeNo(prefix string) string {
	return fmt.Sprintf("GP%s%d%03d", prefix, time.Now().UnixMilli(), seq.Add(1))
}

func pageOrder(no, amount string) gopay.BodyMap {
	return gopay.BodyMap{}.Set("out_trade_no", no).Set("total_amount", amount).
		Set("subject", "gopay 兼容性测试").Set("product_code", "FAST_INSTANT_TRADE_PAY")
}

// openCashier opens gopay's page-pay URL (https://openapi.alipay.com/…,
// through the proxy) and follows mockpay's 303 to its cashier.
func openCashier(t *testing.T, b *http.Client, payURL string) (*url.URL, string) {
	t.Helper()
	if !strings.HasPrefix(payURL, "https://openapi.alipay.com/gateway.do?") {
		t.Fatalf("gopay's production page-pay URL is %s", payURL)
	}
	rsp := do(t, b, "GET", payURL, nil)
	if rsp.code != http.StatusSeeOther {
		t.Fatalf("GET pay URL: %d %s", rsp.code, rsp.body)
	}
	loc, err := url.Parse(payURL)
	if err == nil {
		loc, err = loc.Parse(rsp.location)
	}
	if err != nil || loc.Host != "openapi.alipay.com" || !strings.HasPrefix(loc.Path, "/cashier/") {
		t.Fatalf("the gateway sent the buyer to %q, want the cashier on the host the SDK named", rsp.location)
	}
	page := do(t, b, "GET", loc.String(), nil)
	if page.code != 200 {
		t.Fatalf("cashier: %d %s", page.code, page.body)
	}
	return loc, page.body
}

var (
	formRE   = regexp.MustCompile(`(?s)<form method="post" action="(/cashier/[^"]+)"(.*?)</form>`)
	hiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)
)

// pay clicks Pay on the cashier page and returns where mockpay sends the
// buyer back.
func pay(t *testing.T, b *http.Client, cashier *url.URL, page string) *url.URL {
	t.Helper()
	m := formRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no pay form on the cashier page:\n%s", page)
	}
	form := url.Values{"action": {"pay"}}
	for _, h := range hiddenRE.FindAllStringSubmatch(m[2], -1) {
		if h[1] != "action" {
			form.Set(h[1], html.UnescapeString(h[2]))
		}
	}
	action, _ := cashier.Parse(html.UnescapeString(m[1]))
	rsp := do(t, b, "POST", action.String(), form)
	if rsp.code != http.StatusSeeOther {
		t.Fatalf("POST pay: %d %s", rsp.code, rsp.body)
	}
	back, err := url.Parse(rsp.location)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

type answer struct {
	code           int
	location, body string
}

func do(t *testing.T, c *http.Client, method, u string, form url.Values) answer {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, u, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	rsp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer rsp.Body.Close()
	b, _ := io.ReadAll(rsp.Body)
	return answer{rsp.StatusCode, rsp.Header.Get("Location"), string(b)}
}

func TestPagePayLoopThroughTheProxy(t *testing.T) {
	ctx := context.Background()
	a := appWith(t, "public_key")
	s := newShop(t)
	c := newClient(t, a, s)
	b := newBrowser(t)
	no := outTradeNo("L")

	payURL, err := c.TradePagePay(ctx, pageOrder(no, "88.80"))
	if err != nil {
		t.Fatal(err)
	}
	cashier, page := openCashier(t, b, payURL)
	back := pay(t, b, cashier, page)

	// The return, verified with gopay's own function.
	if back.Host != strings.TrimPrefix(s.URL, "http://") || back.Path != "/return" {
		t.Fatalf("returned to %s", back)
	}
	ret, err := alipay.ParseNotifyByURLValues(back.Query())
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := alipay.VerifySign(bare(a.AlipayPublicKeyPEM), ret); !ok || err != nil {
		t.Fatalf("gopay rejects the return's signature: %v %v", ok, err)
	}
	tradeNo := ret.GetString("trade_no")
	if ret.GetString("out_trade_no") != no || tradeNo == "" || ret.GetString("total_amount") != "88.80" {
		t.Errorf("return params: %v", ret)
	}

	// The notification, likewise.
	n := s.wait(t, no)
	if ok, err := alipay.VerifySign(bare(a.AlipayPublicKeyPEM), n); !ok || err != nil {
		t.Fatalf("gopay rejects the notification's signature: %v %v", ok, err)
	}
	if n.GetString("trade_status") != "TRADE_SUCCESS" || n.GetString("trade_no") != tradeNo {
		t.Errorf("notification: %v", n)
	}

	// Server-to-server calls: gopay checks each answer's signature
	// (AutoVerifySign) and returns an error when it does not verify.
	q, err := c.TradeQuery(ctx, gopay.BodyMap{}.Set("out_trade_no", no))
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	if q.Response.TradeStatus != "TRADE_SUCCESS" || q.Response.TradeNo != tradeNo || q.Response.TotalAmount != "88.80" {
		t.Errorf("query: %+v", q.Response)
	}
	r, err := c.TradeRefund(ctx, gopay.BodyMap{}.Set("out_trade_no", no).Set("refund_amount", "8.80").Set("out_request_no", no+"R1"))
	if err != nil {
		t.Fatalf("refund: %v", err)
	}
	if r.Response.FundChange != "Y" || r.Response.RefundFee != "8.80" {
		t.Errorf("refund: %+v", r.Response)
	}
	rq, err := c.TradeFastPayRefundQuery(ctx, gopay.BodyMap{}.Set("out_trade_no", no).Set("out_request_no", no+"R1"))
	if err != nil {
		t.Fatalf("refund query: %v", err)
	}
	if rq.Response.RefundAmount != "8.80" || rq.Response.RefundStatus != "REFUND_SUCCESS" {
		t.Errorf("refund query: %+v", rq.Response)
	}

	// Close an order the buyer opened and left.
	open := outTradeNo("C")
	payURL, err = c.TradePagePay(ctx, pageOrder(open, "1.00"))
	if err != nil {
		t.Fatal(err)
	}
	openCashier(t, b, payURL)
	cl, err := c.TradeClose(ctx, gopay.BodyMap{}.Set("out_trade_no", open))
	if err != nil {
		t.Fatalf("close: %v", err)
	}
	if cl.Response.OutTradeNo != open {
		t.Errorf("close: %+v", cl.Response)
	}
	if q, err := c.TradeQuery(ctx, gopay.BodyMap{}.Set("out_trade_no", open)); err != nil || q.Response.TradeStatus != "TRADE_CLOSED" {
		t.Errorf("query after close: %v %+v", err, q)
	}
}

// A wrong platform key makes gopay's own check fail: the check is real.
func TestGopayNoticesAForgedAnswer(t *testing.T) {
	a := appWith(t, "public_key")
	other := appWith(t, "cert") // another app's platform key
	c := newClient(t, a, newShop(t))
	c.AutoVerifySign([]byte(other.AlipayPublicKeyPEM))
	if _, err := c.TradeQuery(context.Background(), gopay.BodyMap{}.Set("out_trade_no", "GP-none")); err == nil {
		t.Fatal("gopay accepted an answer signed with another key")
	}
}

// bare is a key as Alipay's console shows it and gopay's NewClient and
// VerifySign take it: the base64 body, without PEM armour.
func bare(pem string) string {
	var b strings.Builder
	for _, line := range strings.Split(pem, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "-----") {
			b.WriteString(line)
		}
	}
	return b.String()
}
