package instance_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/internal/merchant"
	"github.com/mockpay/mockpay/payment"
)

func (e *env) barcode(outTradeNo, amount, code string) *merchant.Response {
	e.t.Helper()
	r, err := e.m.Call("alipay.trade.pay", map[string]any{
		"out_trade_no": outTradeNo, "total_amount": amount, "subject": "POS order", "scene": "bar_code", "auth_code": code,
	}, map[string]string{"notify_url": e.shop.URL + "/notify"})
	if err != nil || !r.Verified {
		e.t.Fatalf("trade.pay: %v %s", err, r.Raw)
	}
	return r
}

// TestBarcodeMagicCodes: each documented code on the wire (§2.7, §2.6).
func TestBarcodeMagicCodes(t *testing.T) {
	e := newEnv(t)
	r := e.barcode("BAR-OK", "12.00", payment.AuthCodeSuccess)
	for k, want := range map[string]string{
		"code": "10000", "msg": "Success", "out_trade_no": "BAR-OK", "total_amount": "12.00", "receipt_amount": "12.00",
		"buyer_pay_amount": "12.00", "gmt_payment": "2026-05-01 10:00:00", "buyer_user_id": "2088102177846880",
		"buyer_logon_id": "buy***@sandbox.com",
	} {
		if r.Str(k) != want {
			t.Errorf("success %s = %q, want %q", k, r.Str(k), want)
		}
	}
	if !strings.Contains(string(r.Raw), `"fund_bill_list":[{"fund_channel":"ALIPAYACCOUNT","amount":"12.00"}]`) {
		t.Errorf("success fund_bill_list: %s", r.Raw)
	}
	if n := e.shop.next(t); n.Get("trade_status") != "TRADE_SUCCESS" || n.Get("out_trade_no") != "BAR-OK" || e.m.VerifyParams(n) != nil {
		t.Errorf("success notification: %v", n)
	}

	r = e.barcode("BAR-WAIT", "12.00", payment.AuthCodeWait)
	if r.Code() != "10003" || r.Str("msg") != " order success pay inprocess" || r.Str("receipt_amount") != "0.00" ||
		r.Str("total_amount") != "12.00" || len(r.Str("trade_no")) != 28 || r.Node["gmt_payment"] != nil {
		t.Errorf("wait: %s", r.Raw)
	}
	e.shop.none(t, e)

	for code, sub := range map[string]string{
		payment.AuthCodeBalanceLow:  "ACQ.BUYER_BALANCE_NOT_ENOUGH",
		payment.AuthCodeInvalidated: "ACQ.PAYMENT_AUTH_CODE_INVALID",
		"123":                       "ACQ.PAYMENT_AUTH_CODE_INVALID",
	} {
		r := e.barcode("BAR-NO-"+code, "12.00", code)
		if r.Code() != "40004" || r.SubCode() != sub || r.Str("out_trade_no") != "BAR-NO-"+code {
			t.Errorf("code %s: %s", code, r.Raw)
		}
		q, _ := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "BAR-NO-" + code}, nil)
		if q.SubCode() != "ACQ.TRADE_NOT_EXIST" {
			t.Errorf("a declined code created a trade: %s", q.Raw)
		}
	}
	r, _ = e.m.Call("alipay.trade.pay", map[string]any{"out_trade_no": "BAR-X", "total_amount": "1", "subject": "s", "auth_code": payment.AuthCodeSuccess, "scene": "wave"}, nil)
	if r.SubCode() != "ACQ.INVALID_PARAMETER" {
		t.Errorf("unknown scene: %s", r.Raw)
	}
	r, _ = e.m.Call("alipay.trade.pay", map[string]any{"out_trade_no": "BAR-X", "total_amount": "1", "subject": "s"}, nil)
	if r.SubCode() != "ACQ.INVALID_PARAMETER" {
		t.Errorf("no auth_code: %s", r.Raw)
	}
}

// TestBarcodeWaitingIsSettled: the shop polls a 10003 trade; the buyer
// confirms in the cashier (notified), or the 3-hour time-out closes it, or
// the shop cancels it (§2.7, §4.2).
func TestBarcodeWaitingIsSettled(t *testing.T) {
	e := newEnv(t)
	tradeNo := e.barcode("WAIT-PAY", "3.00", payment.AuthCodeWait).Str("trade_no")
	q, _ := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "WAIT-PAY"}, nil)
	if q.Str("trade_status") != "WAIT_BUYER_PAY" {
		t.Errorf("polling a waiting trade: %s", q.Raw)
	}
	e.payInTradeCashier(tradeNo)
	if n := e.shop.next(t); n.Get("trade_status") != "TRADE_SUCCESS" || n.Get("trade_no") != tradeNo {
		t.Errorf("notification: %v", n)
	}
	q, _ = e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "WAIT-PAY"}, nil)
	if q.Str("trade_status") != "TRADE_SUCCESS" {
		t.Errorf("after the buyer confirmed: %s", q.Raw)
	}

	e.barcode("WAIT-TIMEOUT", "3.00", payment.AuthCodeWait)
	e.clock.Advance(3*time.Hour - time.Second)
	if q, _ := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "WAIT-TIMEOUT"}, nil); q.Str("trade_status") != "WAIT_BUYER_PAY" {
		t.Errorf("just before the time-out: %s", q.Raw)
	}
	e.clock.Advance(time.Second)
	if q, _ := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "WAIT-TIMEOUT"}, nil); q.Str("trade_status") != "TRADE_CLOSED" {
		t.Errorf("at the time-out: %s", q.Raw)
	}

	e.barcode("WAIT-CANCEL", "3.00", payment.AuthCodeWait)
	if r, _ := e.m.Call("alipay.trade.cancel", map[string]string{"out_trade_no": "WAIT-CANCEL"}, nil); r.Str("action") != "close" {
		t.Errorf("cancel of a waiting trade: %s", r.Raw)
	}
	e.shop.none(t, e)
}
