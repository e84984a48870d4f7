package instance_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// dashboard requests a dashboard page or form without following redirects;
// header pairs are added to the request (Origin, Referer).
func (e *env) dashboard(method, path string, form url.Values, header ...string) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.app.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.m.HTTP.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, readAll(e.t.(*testing.T), resp)
}

// page GETs a dashboard page and insists on a 200 HTML answer.
func (e *env) page(path string) string {
	e.t.Helper()
	resp, body := e.dashboard(http.MethodGet, path, nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		e.t.Fatalf("GET %s: %d %s: %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'sha256-") || !strings.Contains(csp, "form-action 'self'") {
		e.t.Errorf("GET %s: Content-Security-Policy %q", path, csp)
	}
	return body
}

var attemptNumbers = regexp.MustCompile(`data-testid="attempt-number">(\d+)<`)

func attemptsIn(html string) string {
	var out []string
	for _, m := range attemptNumbers.FindAllStringSubmatch(html, -1) {
		out = append(out, m[1])
	}
	return strings.Join(out, ",")
}

func TestDashboardApps(t *testing.T) {
	e := newEnv(t)
	var created map[string]string
	e.api("POST", "/apps", map[string]string{"name": `<script>alert("app")</script>`}, &created)
	for _, path := range []string{"/_mockpay/apps"} {
		html := e.page(path)
		a, _ := e.app.Apps.App("2021000122600001")
		for _, want := range []string{
			`<textarea class="key" readonly`,
			strings.Split(a.AppPrivateKeyPEM, "\n")[1], // the PEM itself, selectable
			strings.Split(a.PlatformPublicKeyPEM, "\n")[1],
			`<code data-testid="gateway">` + e.app.URL + `/gateway.do</code>`,
			`href="/_mockpay/api/apps/2021000122600001"`,
			`href="/_mockpay/trades?app_id=2021000122600001"`,
			`&lt;script&gt;alert(&#34;app&#34;)&lt;/script&gt;`,
			`data-testid="now">2026-05-01 10:00:00</time>`,
		} {
			if !strings.Contains(html, want) {
				t.Errorf("GET %s lacks %q", path, want)
			}
		}
		if strings.Contains(html, `<script>alert("app")`) {
			t.Errorf("GET %s: app name not escaped", path)
		}
	}
}

// hostile is merchant text meant to break out of the page: a subject may
// not hold / = or & (§4.2), a body and a shop's answer may.
const (
	hostileSubject = `<b>"bold"<i>'it'`
	hostileBody    = `<img src=x onerror="alert(1)"><script>alert(2)</script>`
	hostileAnswer  = `<script>alert(3)</script>`
)

// TestDashboardEscapesMerchantText: subjects, bodies, the shop's answers
// and the notification payload reach the trades list and the trade page as
// text.
func TestDashboardEscapesMerchantText(t *testing.T) {
	e := newEnv(t)
	e.shop.setAnswer(func(int) (int, string) { return 500, hostileAnswer })
	biz := pageBiz("XSS-1", "1.00")
	biz["subject"], biz["body"] = hostileSubject, hostileBody
	cashier, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", biz, e.urls()))
	tradeNo := tradeNoOf(t, html)
	e.press(cashier, "pay")
	e.shop.next(t)
	e.settle()

	list := e.page("/_mockpay/trades")
	trade := e.page("/_mockpay/trades/" + tradeNo)
	for name, html := range map[string]string{"trades list": list, "trade page": trade} {
		if !strings.Contains(html, `&lt;b&gt;&#34;bold&#34;&lt;i&gt;&#39;it&#39;`) {
			t.Errorf("%s: escaped subject missing", name)
		}
		for _, raw := range []string{hostileSubject, "<img", "<script>alert", "<b>"} {
			if strings.Contains(html, raw) {
				t.Errorf("%s carries %q unescaped", name, raw)
			}
		}
	}
	for _, want := range []string{
		`&lt;img src=x onerror=&#34;alert(1)&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;`, // body, and body in the payload
		`data-testid="answer">&lt;script&gt;alert(3)&lt;/script&gt;</code>`,
	} {
		if !strings.Contains(trade, want) {
			t.Errorf("trade page lacks %q", want)
		}
	}
	if n := strings.Count(trade, `&lt;img src=x`); n != 2 {
		t.Errorf("body shown %d times, want the field and the payload row", n)
	}
}

func TestDashboardTradesListAndFilter(t *testing.T) {
	e := newEnv(t)
	e.pay("LIST-PAID", "2.00")
	e.shop.next(t)
	_, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz("LIST-WAIT", "3.00"), e.urls()))
	waiting := tradeNoOf(t, html)

	all := e.page("/_mockpay/trades")
	if i, j := strings.Index(all, "LIST-WAIT"), strings.Index(all, "LIST-PAID"); i < 0 || j < 0 || i > j {
		t.Errorf("list is not newest first: %d %d", i, j)
	}
	if !strings.Contains(all, `href="/_mockpay/trades/`+waiting+`"`) {
		t.Error("no link to the trade page")
	}
	for query, want := range map[string][]string{
		"?status=WAIT_BUYER_PAY":                          {"LIST-WAIT"},
		"?status=TRADE_SUCCESS":                           {"LIST-PAID"},
		"?app_id=2021000122600001&status=":                {"LIST-WAIT", "LIST-PAID"},
		"?app_id=2021000122600002":                        {},
		"?app_id=2021000122600001&status=TRADE_SUCCESS":   {"LIST-PAID"},
		"?status=TRADE_CLOSED&app_id=2021000122600001&x=": {},
	} {
		html := e.page("/_mockpay/trades" + query)
		for _, out := range []string{"LIST-WAIT", "LIST-PAID"} {
			if got, w := strings.Contains(html, out), contains(want, out); got != w {
				t.Errorf("trades%s: shows %s = %v, want %v", query, out, got, w)
			}
		}
		if len(want) == 0 && !strings.Contains(html, `data-testid="no-trades"`) {
			t.Errorf("trades%s: no empty-list note", query)
		}
	}
	// The filter form keeps its choice.
	html = e.page("/_mockpay/trades?app_id=2021000122600001&status=TRADE_SUCCESS")
	if !strings.Contains(html, `<option value="2021000122600001" selected>`) || !strings.Contains(html, `<option selected>TRADE_SUCCESS</option>`) {
		t.Error("filter form forgot its selection")
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestDashboardTradePage: fields, history, and each notification with its
// payload, attempts, verdicts and next retry.
func TestDashboardTradePage(t *testing.T) {
	e := newEnv(t)
	e.shop.setAnswer(func(int) (int, string) { return 200, "fail" })
	ret := e.pay("PAGE-1", "7.50")
	first := e.shop.next(t)
	e.settle()
	html := e.page("/_mockpay/trades/" + ret.Get("trade_no"))
	for _, want := range []string{
		`data-testid="status">TRADE_SUCCESS<`,
		`<code>PAGE-1</code>`,
		"¥ 7.50",
		`<td class="time">2026-05-01 10:00:00</td><td><span class="st s-pending">WAIT_BUYER_PAY</span>`,
		`<span class="st s-paid">TRADE_SUCCESS</span></td></tr>`,
		`data-testid="notification-status">pending<`,
		`data-testid="next-retry">2026-05-01 10:04:00<`, // Alipay's first retry, 4 minutes on
		`<th>notify_id</th><td><code>` + first.Get("notify_id") + `</code>`,
		`<th>out_trade_no</th><td><code>PAGE-1</code>`,
		`data-testid="answer">fail</code>`,
		`action="/_mockpay/notifications/`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("trade page lacks %q", want)
		}
	}
	if got := attemptsIn(html); got != "1" {
		t.Errorf("attempts %q, want 1", got)
	}
	if strings.Contains(html, `data-testid="pay"`) {
		t.Error("buyer buttons on a paid trade")
	}
	resp, body := e.dashboard(http.MethodGet, "/_mockpay/trades/404404", nil)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "trade_not_exist") {
		t.Errorf("unknown trade: %d %s", resp.StatusCode, body)
	}
}
