package smartwalle

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/smartwalle/alipay/v3"
)

func (c *sdkClient) mustQuery(t *testing.T, q alipay.TradeQuery) *alipay.TradeQueryRsp {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rsp, err := c.TradeQuery(ctx, q)
	if err != nil {
		t.Fatalf("TradeQuery(out_trade_no=%q trade_no=%q): SDK returned error %q (%T); err != nil means the %s node was missing, unsigned, not verifiable with alipay_public_key_pem or not decodable (protocol §2.5, §6.1).\nExchange:\n%s",
			q.OutTradeNo, q.TradeNo, err, err, "alipay_trade_query_response", c.lastExchange())
	}
	if rsp == nil {
		t.Fatalf("TradeQuery: nil result\n%s", c.lastExchange())
	}
	return rsp
}

func (c *sdkClient) mustClose(t *testing.T, q alipay.TradeClose) *alipay.TradeCloseRsp {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rsp, err := c.TradeClose(ctx, q)
	if err != nil {
		t.Fatalf("TradeClose(out_trade_no=%q): SDK returned error %q (%T); err != nil means the %s node was missing, unsigned, not verifiable or not decodable (protocol §2.5, §6.1).\nExchange:\n%s",
			q.OutTradeNo, err, err, "alipay_trade_close_response", c.lastExchange())
	}
	if rsp == nil {
		t.Fatalf("TradeClose: nil result\n%s", c.lastExchange())
	}
	return rsp
}

// wantError asserts a signed business/gateway error decoded by the SDK.
func wantError(t *testing.T, c *sdkClient, what string, got alipay.Error, code alipay.Code, msg, subCode string) {
	t.Helper()
	if got.Code != code || got.SubCode != subCode {
		t.Errorf("%s: want code=%s sub_code=%s, got code=%q msg=%q sub_code=%q sub_msg=%q\nExchange:\n%s",
			what, code, subCode, got.Code, got.Msg, got.SubCode, got.SubMsg, c.lastExchange())
		return
	}
	if got.Msg != msg {
		t.Errorf("%s: want msg %q for code %s (protocol §2.6), got %q", what, msg, code, got.Msg)
	}
	if got.SubMsg == "" {
		t.Errorf("%s: sub_msg is empty (protocol §2.6 pairs each sub_code with a sub_msg)", what)
	}
}

func wantSuccess(t *testing.T, c *sdkClient, what string, got alipay.Error) {
	t.Helper()
	if got.Code != alipay.CodeSuccess || !got.IsSuccess() {
		t.Fatalf("%s: want code 10000, got code=%q msg=%q sub_code=%q sub_msg=%q\nExchange:\n%s",
			what, got.Code, got.Msg, got.SubCode, got.SubMsg, c.lastExchange())
	}
	if got.Msg != "Success" {
		t.Errorf("%s: want msg \"Success\" with code 10000 (protocol §2.6), got %q", what, got.Msg)
	}
}

var (
	timestampRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`)
	amountRE    = regexp.MustCompile(`^\d+\.\d{2}$`)
)

func dumpValues(v url.Values) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var sb strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&sb, "  %s=%q\n", k, v[k])
	}
	return sb.String()
}

// checkSingleNonEmpty asserts protocol §6.5(6): no empty values, no duplicates.
func checkSingleNonEmpty(t *testing.T, what string, v url.Values) {
	t.Helper()
	for k, vs := range v {
		if len(vs) != 1 {
			t.Errorf("%s: parameter %q occurs %d times (protocol §6.5: single value per key)", what, k, len(vs))
		}
		for _, s := range vs {
			if s == "" {
				t.Errorf("%s: parameter %q has an empty value (protocol §3.3/§6.5: never send empty-valued fields; smartwalle signs them as %q)", what, k, k+"=")
			}
		}
	}
}

// checkReturn verifies the 303 Location after "pay": it must be return_url
// plus the signed sync-return params of protocol §3.6, and the SDK's
// VerifySign must accept them. Returns the query.
func checkReturn(t *testing.T, c *sdkClient, loc *url.URL, o order, method string) url.Values {
	t.Helper()
	want, _ := url.Parse(theShop.returnURL())
	if loc.Scheme != want.Scheme || loc.Host != want.Host || loc.Path != want.Path {
		t.Fatalf("pay redirect: want Location on return_url %s, got %s", want, loc)
	}
	t.Logf("sync return Location: %s", loc)
	q := loc.Query()
	if err := verifySign(c.Client, q); err != nil {
		t.Errorf("SDK Client.VerifySign rejected the sync-return params (protocol §3.6: signed like notifications, excluding sign & sign_type): %v\nLocation: %s\n%s", err, loc, dumpValues(q))
	}
	checkSingleNonEmpty(t, "sync return", q)

	exact := map[string]string{
		"method":       method,
		"out_trade_no": o.OutTradeNo,
		"total_amount": o.Want,
		"app_id":       app.AppID,
		"auth_app_id":  app.AppID,
		"sign_type":    "RSA2",
		"version":      "1.0",
	}
	if app.PID != "" {
		exact["seller_id"] = app.PID
	}
	for k, v := range exact {
		if got := q.Get(k); got != v {
			t.Errorf("sync return: %s = %q, want %q (protocol §3.6)\nLocation: %s", k, got, v, loc)
		}
	}
	if !strings.EqualFold(q.Get("charset"), "utf-8") {
		t.Errorf("sync return: charset = %q, want the request's utf-8 (protocol §3.6)", q.Get("charset"))
	}
	if q.Get("trade_no") == "" {
		t.Errorf("sync return: trade_no missing (protocol §3.6)\nLocation: %s", loc)
	}
	if q.Get("sign") == "" {
		t.Errorf("sync return: sign missing")
	}
	if ts := q.Get("timestamp"); !timestampRE.MatchString(ts) {
		t.Errorf("sync return: timestamp = %q, want yyyy-MM-dd HH:mm:ss (protocol §3.6)", ts)
	}
	for _, k := range []string{"trade_status", "passback_params", "alipay_cert_sn"} {
		if q.Has(k) {
			t.Errorf("sync return: unexpected %s=%q (protocol §3.6 / §3.3: not part of the return params)", k, q.Get(k))
		}
	}
	return q
}

// checkPaidNotification waits for the notification of a paid order and
// asserts it was accepted by the SDK's DecodeNotification.
func checkPaidNotification(t *testing.T, o order, tradeNo string) receivedNotification {
	t.Helper()
	n := theShop.waitNotification(t, o.OutTradeNo, 15*time.Second)
	if n.Method != http.MethodPost {
		t.Errorf("notification: method %s, want POST (protocol §3.1)", n.Method)
	}
	if !strings.HasPrefix(strings.ToLower(n.ContentType), "application/x-www-form-urlencoded") {
		t.Errorf("notification: Content-Type %q, want application/x-www-form-urlencoded (protocol §3.1)", n.ContentType)
	}
	if n.VerifyErr != nil {
		t.Fatalf("notification rejected by the SDK's Client.DecodeNotification: %v (shop answered %q)\nform:\n%s", n.VerifyErr, n.Answer, dumpValues(n.Form))
	}
	t.Logf("notification form (verified by DecodeNotification):\n%s", dumpValues(n.Form))
	checkSingleNonEmpty(t, "notification", n.Form)
	d := n.Decoded
	checks := []struct{ name, got, want string }{
		{"trade_status", string(d.TradeStatus), string(alipay.TradeStatusSuccess)},
		{"out_trade_no", d.OutTradeNo, o.OutTradeNo},
		{"total_amount", d.TotalAmount, o.Want},
		{"trade_no", d.TradeNo, tradeNo},
		{"app_id", d.AppId, app.AppID},
		{"notify_type", d.NotifyType, alipay.NotifyTypeTradeStatusSync},
		{"sign_type", d.SignType, "RSA2"},
		{"subject", d.Subject, testSubject},
		{"version", d.Version, "1.0"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("notification: %s = %q, want %q (protocol §3.2)", c.name, c.got, c.want)
		}
	}
	if d.NotifyId == "" {
		t.Errorf("notification: notify_id missing (protocol §3.2)")
	}
	if !timestampRE.MatchString(d.NotifyTime) {
		t.Errorf("notification: notify_time = %q, want yyyy-MM-dd HH:mm:ss", d.NotifyTime)
	}
	if !timestampRE.MatchString(d.GmtPayment) {
		t.Errorf("notification: gmt_payment = %q, want yyyy-MM-dd HH:mm:ss (protocol §3.2)", d.GmtPayment)
	}
	if n.Form.Has("alipay_cert_sn") {
		t.Errorf("notification: carries alipay_cert_sn (protocol §3.3: must not)")
	}
	return n
}

// expectErrorPage asserts the HTML error page of a rejected page.pay request.
func expectErrorPage(t *testing.T, b *browser, p *page, subCode string) {
	t.Helper()
	if p.Status == http.StatusSeeOther {
		// Show where the gateway sent the browser, for the report.
		loc := p.location(t)
		next := b.get(t, loc.String())
		t.Fatalf("want HTTP 200 HTML error page containing %s straight from the gateway, got a 303 instead:\n%s\nfollowing it:\n%s", subCode, p, next)
	}
	if p.Status != http.StatusOK || !p.isHTML() {
		t.Fatalf("want HTTP 200 text/html error page containing %s, got:\n%s", subCode, p)
	}
	t.Logf("error page text: %s", visibleText(p.Body))
	if !strings.Contains(p.Body, subCode) {
		t.Errorf("error page does not contain sub_code %s:\n%s", subCode, p)
	}
	if strings.Contains(p.Body, `data-testid="pay"`) {
		t.Errorf("error page offers a data-testid=\"pay\" button:\n%s", p)
	}
}

var (
	tagRE   = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// visibleText is a rough text rendering of an HTML page, for logs.
func visibleText(h string) string {
	s := strings.TrimSpace(spaceRE.ReplaceAllString(html.UnescapeString(tagRE.ReplaceAllString(h, " ")), " "))
	if len(s) > 400 {
		s = s[:400] + "…"
	}
	return s
}
