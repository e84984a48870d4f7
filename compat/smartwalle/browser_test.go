package smartwalle

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smartwalle/alipay/v3"
)

// browser is a buyer's browser that never follows redirects, so every hop
// (gateway → cashier → shop) can be asserted.
type browser struct {
	hc *http.Client
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{hc: &http.Client{
		Jar:     jar,
		Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// page is one HTTP answer as seen by the browser.
type page struct {
	Method string
	URL    *url.URL
	Status int
	Header http.Header
	Body   string
}

func (p *page) String() string {
	body := p.Body
	if len(body) > 3000 {
		body = body[:3000] + "…(truncated)"
	}
	loc := ""
	if l := p.Header.Get("Location"); l != "" {
		loc = "\n  Location: " + l
	}
	return fmt.Sprintf("%s %s → HTTP %d (Content-Type %q)%s\n  body: %s",
		p.Method, p.URL, p.Status, p.Header.Get("Content-Type"), loc, body)
}

// location resolves the Location header against the request URL.
func (p *page) location(t *testing.T) *url.URL {
	t.Helper()
	l := p.Header.Get("Location")
	if l == "" {
		t.Fatalf("expected a Location header:\n%s", p)
	}
	u, err := p.URL.Parse(l)
	if err != nil {
		t.Fatalf("bad Location %q: %v", l, err)
	}
	return u
}

func (p *page) isHTML() bool {
	return strings.HasPrefix(strings.ToLower(p.Header.Get("Content-Type")), "text/html")
}

func (b *browser) do(t *testing.T, req *http.Request) *page {
	t.Helper()
	rsp, err := b.hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer rsp.Body.Close()
	body, err := io.ReadAll(rsp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	return &page{Method: req.Method, URL: req.URL, Status: rsp.StatusCode, Header: rsp.Header, Body: string(body)}
}

func (b *browser) get(t *testing.T, u string) *page {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b.do(t, req)
}

func (b *browser) post(t *testing.T, u string, form url.Values) *page {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(t, req)
}

var (
	cashierPathRE = regexp.MustCompile(`^/cashier/([^/?#]+)$`)
	formTagRE     = regexp.MustCompile(`(?is)<form\b[^>]*>`)
	formEndRE     = regexp.MustCompile(`(?i)</form\s*>`)
	buttonTagRE   = regexp.MustCompile(`(?is)<(?:button|input)\b[^>]*>`)
	inputTagRE    = regexp.MustCompile(`(?is)<input\b[^>]*>`)
)

// attr returns the value of attribute name in an HTML start tag.
func attr(tag, name string) (string, bool) {
	re := regexp.MustCompile(`(?is)\s` + regexp.QuoteMeta(name) + `\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`)
	m := re.FindStringSubmatch(tag)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(m[1] + m[2] + m[3]), true
}

// cashier is a loaded mockpay cashier page.
type cashier struct {
	URL    *url.URL // absolute URL of the cashier page
	Token  string
	Page   *page
	Action *url.URL   // resolved form action
	Hidden url.Values // hidden inputs of the form (a browser would submit them)
}

// openPayURL GETs a page.pay/wap.pay URL built by the SDK and expects the
// 303 hop to /cashier/<token>, then loads the cashier page.
func (b *browser) openPayURL(t *testing.T, payURL *url.URL) *cashier {
	t.Helper()
	p := b.get(t, payURL.String())
	if p.Status != http.StatusSeeOther {
		t.Fatalf("GET of the SDK-built pay URL: want HTTP 303 to /cashier/<token>, got:\n%s", p)
	}
	return b.loadCashier(t, p.location(t))
}

func (b *browser) loadCashier(t *testing.T, u *url.URL) *cashier {
	t.Helper()
	if !cashierPathRE.MatchString(u.Path) {
		t.Fatalf("redirect target %s is not /cashier/<token>", u)
	}
	token := cashierPathRE.FindStringSubmatch(u.Path)[1]
	p := b.get(t, u.String())
	if p.Status != http.StatusOK || !p.isHTML() {
		t.Fatalf("GET cashier page: want HTTP 200 text/html, got:\n%s", p)
	}
	c := &cashier{URL: u, Token: token, Page: p, Hidden: url.Values{}}

	// The pay form: <form method="post" action="/cashier/<token>">
	wantAction := "/cashier/" + token
	var formStart, formEnd = -1, -1
	for _, loc := range formTagRE.FindAllStringIndex(p.Body, -1) {
		tag := p.Body[loc[0]:loc[1]]
		m, _ := attr(tag, "method")
		a, ok := attr(tag, "action")
		if !ok || !strings.EqualFold(m, "post") {
			continue
		}
		au, err := u.Parse(a)
		if err != nil || au.Path != wantAction {
			continue
		}
		c.Action = au
		formStart = loc[1]
		if e := formEndRE.FindStringIndex(p.Body[formStart:]); e != nil {
			formEnd = formStart + e[0]
		} else {
			formEnd = len(p.Body)
		}
		break
	}
	if c.Action == nil {
		t.Fatalf("cashier page has no <form method=\"post\" action=%q>:\n%s", wantAction, p)
	}
	if !strings.Contains(p.Body, `<form method="post" action="`+wantAction+`"`) {
		t.Errorf("cashier page lacks the literal `<form method=\"post\" action=%q` promised by the contract (a form with those attributes exists in another spelling)", wantAction)
	}
	form := p.Body[formStart:formEnd]
	for _, v := range []string{"pay", "fail", "cancel"} {
		if !hasActionButton(form, v) {
			t.Fatalf("cashier form lacks a control name=\"action\" value=%q data-testid=%q:\n%s", v, v, p)
		}
	}
	for _, tag := range inputTagRE.FindAllString(form, -1) {
		if ty, _ := attr(tag, "type"); strings.EqualFold(ty, "hidden") {
			if n, ok := attr(tag, "name"); ok && n != "action" {
				v, _ := attr(tag, "value")
				c.Hidden.Add(n, v)
			}
		}
	}
	return c
}

func hasActionButton(form, value string) bool {
	for _, tag := range buttonTagRE.FindAllString(form, -1) {
		n, _ := attr(tag, "name")
		v, _ := attr(tag, "value")
		id, _ := attr(tag, "data-testid")
		if n == "action" && v == value && id == value {
			return true
		}
	}
	return false
}

// submit posts the cashier form with action=<action>, like clicking the button.
func (c *cashier) submit(t *testing.T, b *browser, action string) *page {
	t.Helper()
	form := url.Values{}
	for k, vs := range c.Hidden {
		form[k] = append([]string(nil), vs...)
	}
	form.Set("action", action)
	return b.post(t, c.Action.String(), form)
}

// pay clicks "pay" and expects the 303 back to the shop's return_url.
func (c *cashier) pay(t *testing.T, b *browser) *url.URL {
	t.Helper()
	p := c.submit(t, b, "pay")
	if p.Status != http.StatusSeeOther {
		t.Fatalf("POST action=pay: want HTTP 303 to return_url, got:\n%s", p)
	}
	return p.location(t)
}

// ---- orders -------------------------------------------------------------

const testSubject = "mockpay 兼容性测试"

type order struct {
	OutTradeNo string
	Amount     string // as sent in biz_content
	Want       string // as mockpay must echo it (2 decimals)
}

var orderSeq atomic.Int64

func newOrder(prefix, amount, want string) order {
	n := orderSeq.Add(1)
	return order{
		OutTradeNo: fmt.Sprintf("SW%s%d%03d", prefix, time.Now().UnixMilli(), n),
		Amount:     amount,
		Want:       want,
	}
}

func pagePayURL(t *testing.T, c *sdkClient, o order) *url.URL {
	t.Helper()
	var p alipay.TradePagePay
	p.NotifyURL = theShop.notifyURL()
	p.ReturnURL = theShop.returnURL()
	p.Subject = testSubject
	p.OutTradeNo = o.OutTradeNo
	p.TotalAmount = o.Amount
	p.ProductCode = "FAST_INSTANT_TRADE_PAY"
	u, err := c.TradePagePay(p)
	if err != nil {
		t.Fatalf("TradePagePay: %v", err)
	}
	if !strings.HasPrefix(u.String(), gatewayURL+"?") {
		t.Fatalf("SDK built %s, expected it to start with %s?", u, gatewayURL)
	}
	return u
}

func wapPayURL(t *testing.T, c *sdkClient, o order) *url.URL {
	t.Helper()
	var p alipay.TradeWapPay
	p.NotifyURL = theShop.notifyURL()
	p.ReturnURL = theShop.returnURL()
	p.QuitURL = theShop.quitURL()
	p.Subject = testSubject
	p.OutTradeNo = o.OutTradeNo
	p.TotalAmount = o.Amount
	p.ProductCode = "QUICK_WAP_WAY"
	u, err := c.TradeWapPay(p)
	if err != nil {
		t.Fatalf("TradeWapPay: %v", err)
	}
	if !strings.HasPrefix(u.String(), gatewayURL+"?") {
		t.Fatalf("SDK built %s, expected it to start with %s?", u, gatewayURL)
	}
	return u
}
