package smartwalle

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/smartwalle/alipay/v3"
)

// The sandbox's magic payment codes (README "Magic auth codes").
const (
	codeSuccess    = "286666666666666666"
	codeWait       = "283333333333333333"
	codeBalanceLow = "284444444444444444"
	codeExpired    = "285555555555555555"
)

func (c *sdkClient) mustBarcodePay(t *testing.T, o order, authCode string) *alipay.TradePayRsp {
	t.Helper()
	var p alipay.TradePay
	p.NotifyURL = theShop.notifyURL()
	p.OutTradeNo, p.TotalAmount, p.Subject = o.OutTradeNo, o.Amount, testSubject
	p.Scene, p.AuthCode = "bar_code", authCode
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rsp, err := c.TradePay(ctx, p)
	if err != nil || rsp == nil {
		t.Fatalf("TradePay(auth_code=%s): SDK error %v\n%s", authCode, err, c.lastExchange())
	}
	return rsp
}

func (c *sdkClient) mustCancel(t *testing.T, p alipay.TradeCancel) *alipay.TradeCancelRsp {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rsp, err := c.TradeCancel(ctx, p)
	if err != nil || rsp == nil {
		t.Fatalf("TradeCancel: SDK error %v\n%s", err, c.lastExchange())
	}
	return rsp
}

// Barcode pay in each magic outcome, and cancel (protocol §2.7): the
// merchant's polling and cancel logic sees every branch.
func TestBarcodePay(t *testing.T) {
	c := mustSDKClient(t, app.AppPrivateKeyPEM)

	t.Run("success code: 10000, paid, notified", func(t *testing.T) {
		o := newOrder("BOK", "12", "12.00")
		rsp := c.mustBarcodePay(t, o, codeSuccess)
		wantSuccess(t, c, "trade.pay", rsp.Error)
		if rsp.TradeNo == "" || rsp.TotalAmount != "12.00" || rsp.ReceiptAmount != "12.00" || len(rsp.FundBillList) != 1 || rsp.GmtPayment == "" {
			t.Errorf("trade.pay success fields:\n%s", c.lastExchange())
		}
		checkPaidNotification(t, o, rsp.TradeNo)
		// The shop reverses it after all: refunded in full and closed.
		cr := c.mustCancel(t, alipay.TradeCancel{OutTradeNo: o.OutTradeNo})
		wantSuccess(t, c, "cancel of a paid trade", cr.Error)
		if cr.Action != "refund" || cr.RetryFlag != "N" || cr.TradeNo != rsp.TradeNo {
			t.Errorf("cancel of a paid trade: action=%q retry_flag=%q\n%s", cr.Action, cr.RetryFlag, c.lastExchange())
		}
		ns := theShop.waitNotifications(t, o.OutTradeNo, 2)
		if d := ns[1].Decoded; ns[1].VerifyErr != nil || d.TradeStatus != alipay.TradeStatusClosed || d.RefundFee != "12.00" {
			t.Errorf("reversal notification: %v\n%s", ns[1].VerifyErr, dumpValues(ns[1].Form))
		}
	})

	t.Run("wait code: 10003, the shop polls, the buyer confirms", func(t *testing.T) {
		o := newOrder("BWAIT", "3", "3.00")
		rsp := c.mustBarcodePay(t, o, codeWait)
		if rsp.Code != "10003" || !rsp.IsSuccess() || rsp.TradeNo == "" || rsp.ReceiptAmount != "0.00" {
			t.Fatalf("trade.pay wait: code=%q IsSuccess=%v\n%s", rsp.Code, rsp.IsSuccess(), c.lastExchange())
		}
		q := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
		if q.TradeStatus != alipay.TradeStatusWaitBuyerPay {
			t.Errorf("polling: trade_status=%q, want WAIT_BUYER_PAY", q.TradeStatus)
		}
		payTrade(t, newBrowser(t), rsp.TradeNo)
		checkPaidNotification(t, o, rsp.TradeNo)
		if q := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo}); q.TradeStatus != alipay.TradeStatusSuccess {
			t.Errorf("after the buyer confirmed: trade_status=%q", q.TradeStatus)
		}
	})

	t.Run("wait code, then the shop cancels", func(t *testing.T) {
		o := newOrder("BWCAN", "3", "3.00")
		rsp := c.mustBarcodePay(t, o, codeWait)
		cr := c.mustCancel(t, alipay.TradeCancel{OutTradeNo: o.OutTradeNo})
		wantSuccess(t, c, "cancel of a waiting trade", cr.Error)
		if cr.Action != "close" || cr.RetryFlag != "N" || cr.TradeNo != rsp.TradeNo {
			t.Errorf("cancel: action=%q retry_flag=%q\n%s", cr.Action, cr.RetryFlag, c.lastExchange())
		}
		if q := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo}); q.TradeStatus != alipay.TradeStatusClosed {
			t.Errorf("after cancel: trade_status=%q", q.TradeStatus)
		}
		// The buyer can no longer pay it.
		if p := newBrowser(t).post(t, tradeCashier(rsp.TradeNo), map[string][]string{"action": {"pay"}}); p.Status != http.StatusOK {
			t.Errorf("cashier of a cancelled trade:\n%s", p)
		}
		if q := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo}); q.TradeStatus != alipay.TradeStatusClosed {
			t.Errorf("a cancelled trade was paid: trade_status=%q", q.TradeStatus)
		}
	})

	for _, tc := range []struct{ name, code, subCode string }{
		{"balance code", codeBalanceLow, "ACQ.BUYER_BALANCE_NOT_ENOUGH"},
		{"expired code", codeExpired, "ACQ.PAYMENT_AUTH_CODE_INVALID"},
		{"not a payment code", "12345", "ACQ.PAYMENT_AUTH_CODE_INVALID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := newOrder("BNO", "5", "5.00")
			rsp := c.mustBarcodePay(t, o, tc.code)
			wantError(t, c, "trade.pay "+tc.name, rsp.Error, "40004", "Business Failed", tc.subCode)
			q := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
			wantError(t, c, "query after a declined code", q.Error, "40004", "Business Failed", "ACQ.TRADE_NOT_EXIST")
			cr := c.mustCancel(t, alipay.TradeCancel{OutTradeNo: o.OutTradeNo})
			wantSuccess(t, c, "cancel after a declined code", cr.Error)
			if cr.RetryFlag != "N" || cr.Action != "" {
				t.Errorf("cancel of nothing: action=%q retry_flag=%q", cr.Action, cr.RetryFlag)
			}
		})
	}
}
