package instance_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/channel/alipay/mapi"
	"github.com/mockpay/mockpay/channel/alipay/openapi"
	"github.com/mockpay/mockpay/channel/channeltest"
	"github.com/mockpay/mockpay/internal/merchant"
	"github.com/mockpay/mockpay/payment"
)

// TestChannelContract runs the channel contract suite for each Alipay
// protocol through the real router on a real port.
func TestChannelContract(t *testing.T) {
	t.Run("alipay/openapi", func(t *testing.T) {
		e := newEnv(t)
		channeltest.Run(t, channeltest.Config{
			BaseURL: e.app.URL, Statuses: kit.Statuses, Paid: payment.StatusPaid,
			Driver: openAPIDriver{m: e.m},
		})
	})
	t.Run("alipay/mapi", func(t *testing.T) {
		e := newEnv(t)
		channeltest.Run(t, channeltest.Config{
			BaseURL: e.app.URL, Statuses: kit.Statuses, Paid: payment.StatusPaid,
			Driver: mapiDriver{l: e.partner(md5PID), pid: md5PID},
		})
	})
}

// breakSign spoils the signature of a signed request URL.
func breakSign(raw string) string {
	u, _ := url.Parse(raw)
	q := u.Query()
	// A different first character in every case: an MD5 hex signature is
	// compared case-insensitively, so "A" for an "a" would still verify.
	s := q.Get("sign")
	first := "0"
	if s[0] == '0' {
		first = "1"
	}
	q.Set("sign", first+s[1:])
	u.RawQuery = q.Encode()
	return u.String()
}

// openAPIDriver is an OpenAPI merchant (RSA2): page.pay orders, JSON calls.
type openAPIDriver struct{ m *merchant.Client }

func (d openAPIDriver) Order(t testing.TB, o channeltest.Order) *http.Request {
	u := d.m.PageURL("alipay.trade.page.pay", pageBiz(o.OutTradeNo, o.Amount), map[string]string{"notify_url": o.NotifyURL, "return_url": o.ReturnURL})
	if o.BreakSignature {
		u = breakSign(u)
	}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return req
}

func (d openAPIDriver) OrderError(t testing.TB, _ *http.Response, body string) string {
	return channeltest.ErrorPageCode(body)
}

func (d openAPIDriver) Return(t testing.TB, location string) channeltest.Note {
	u, err := url.Parse(location)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if err := d.m.VerifyParams(q); err != nil || q.Get("method") != "alipay.trade.page.pay.return" {
		t.Errorf("sync return does not verify: %v %v", err, q)
	}
	// The OpenAPI return carries no trade_status (§2.8): a return means paid.
	return channeltest.Note{OutTradeNo: q.Get("out_trade_no"), TradeNo: q.Get("trade_no"), Status: kit.Statuses.Name(payment.StatusPaid)}
}

func (d openAPIDriver) Notification(t testing.TB, r channeltest.Received) channeltest.Note {
	q, err := url.ParseQuery(r.Body)
	if err != nil || d.m.VerifyParams(q) != nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		t.Errorf("notification does not verify: %v %s", err, r.Body)
	}
	return channeltest.Note{OutTradeNo: q.Get("out_trade_no"), TradeNo: q.Get("trade_no"), Status: q.Get("trade_status")}
}

func (openAPIDriver) Ack() (int, string) { return http.StatusOK, "success" }

func (d openAPIDriver) call(t testing.TB, method string, biz map[string]any) *merchant.Response {
	r, err := d.m.Call(method, biz, nil)
	if err != nil || !r.Verified {
		t.Fatalf("%s: %v %s", method, err, r.Raw)
	}
	return r
}

func (d openAPIDriver) Query(t testing.TB, outTradeNo string) (string, string) {
	r := d.call(t, "alipay.trade.query", map[string]any{"out_trade_no": outTradeNo})
	return r.Str("trade_status"), r.SubCode()
}

func (d openAPIDriver) Close(t testing.TB, outTradeNo string) string {
	return d.call(t, "alipay.trade.close", map[string]any{"out_trade_no": outTradeNo}).SubCode()
}

func (d openAPIDriver) Refund(t testing.TB, outTradeNo, _, amount string) string {
	return d.call(t, "alipay.trade.refund", map[string]any{"out_trade_no": outTradeNo, "refund_amount": amount, "out_request_no": "RQ-" + amount}).SubCode()
}

func (openAPIDriver) ErrorCode(c payment.Code) string {
	return openapi.WireErrorOf(payment.Errorf(c, "")).SubCode
}

// mapiDriver is a legacy MAPI partner (MD5): create_direct_pay_by_user
// orders, XML calls, batch refunds.
type mapiDriver struct {
	l   *merchant.Legacy
	pid string
}

func (d mapiDriver) Order(t testing.TB, o channeltest.Order) *http.Request {
	u := d.l.PageURL("create_direct_pay_by_user", map[string]string{
		"out_trade_no": o.OutTradeNo, "subject": "Contract order", "payment_type": "1", "total_fee": o.Amount,
		"seller_id": d.pid, "notify_url": o.NotifyURL, "return_url": o.ReturnURL,
	})
	if o.BreakSignature {
		u = breakSign(u)
	}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return req
}

func (d mapiDriver) OrderError(t testing.TB, _ *http.Response, body string) string {
	return channeltest.ErrorPageCode(body)
}

func (d mapiDriver) Return(t testing.TB, location string) channeltest.Note {
	u, err := url.Parse(location)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.ParseQuery(u.RawQuery)
	if err := d.l.Verify(q); err != nil || q.Get("is_success") != "T" {
		t.Errorf("sync return does not verify: %v %v", err, q)
	}
	return channeltest.Note{OutTradeNo: q.Get("out_trade_no"), TradeNo: q.Get("trade_no"), Status: q.Get("trade_status")}
}

func (d mapiDriver) Notification(t testing.TB, r channeltest.Received) channeltest.Note {
	q, err := url.ParseQuery(r.Body)
	if err != nil || d.l.Verify(q) != nil {
		t.Errorf("notification does not verify: %v %s", err, r.Body)
	}
	if q.Get("notify_type") != "trade_status_sync" {
		return channeltest.Note{} // a batch_refund_notify reports no trade
	}
	return channeltest.Note{OutTradeNo: q.Get("out_trade_no"), TradeNo: q.Get("trade_no"), Status: q.Get("trade_status")}
}

func (mapiDriver) Ack() (int, string) { return http.StatusOK, "success" }

func (d mapiDriver) call(t testing.TB, service string, p map[string]string) *merchant.XMLResponse {
	r, err := d.l.Call(service, p)
	if err != nil {
		t.Fatalf("%s: %v", service, err)
	}
	return r
}

func (d mapiDriver) Query(t testing.TB, outTradeNo string) (string, string) {
	r := d.call(t, "single_trade_query", map[string]string{"out_trade_no": outTradeNo})
	return r.Fields["trade_status"], r.Error
}

func (d mapiDriver) Close(t testing.TB, outTradeNo string) string {
	return d.call(t, "close_trade", map[string]string{"out_order_no": outTradeNo}).Error
}

func (d mapiDriver) Refund(t testing.TB, _, tradeNo, amount string) string {
	r := d.call(t, "refund_fastpay_by_platform_nopwd", map[string]string{
		"batch_no": "20260501" + strings.ReplaceAll(amount, ".", ""), "batch_num": "1", "detail_data": tradeNo + "^" + amount + "^contract",
		"refund_date": "2026-05-01 10:00:00", "notify_url": "", "seller_user_id": d.pid,
	})
	return r.Error
}

func (mapiDriver) ErrorCode(c payment.Code) string {
	return mapi.WireErrorOf(payment.Errorf(c, "")).Code
}
