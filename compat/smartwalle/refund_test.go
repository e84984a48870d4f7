package smartwalle

import (
	"context"
	"testing"
	"time"

	"github.com/smartwalle/alipay/v3"
)

// paidOrder runs page.pay → cashier → pay and waits for the payment
// notification; it returns the trade_no.
func paidOrder(t *testing.T, c *sdkClient, o order) string {
	t.Helper()
	b := newBrowser(t)
	cs := b.openPayURL(t, pagePayURL(t, c, o))
	tradeNo := checkReturn(t, c, cs.pay(t, b), o, "alipay.trade.page.pay.return").Get("trade_no")
	checkPaidNotification(t, o, tradeNo)
	return tradeNo
}

// waitNotifications waits until n notifications for outTradeNo arrived.
func (s *shop) waitNotifications(t *testing.T, outTradeNo string, n int) []receivedNotification {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ns := s.notifications(outTradeNo)
		if len(ns) >= n {
			return ns
		}
		if time.Now().After(deadline) {
			t.Fatalf("want %d notifications for %s, got %d", n, outTradeNo, len(ns))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *sdkClient) mustRefund(t *testing.T, p alipay.TradeRefund) *alipay.TradeRefundRsp {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rsp, err := c.TradeRefund(ctx, p)
	if err != nil || rsp == nil {
		t.Fatalf("TradeRefund: SDK error %v (the alipay_trade_refund_response node must be signed and decodable, protocol §2.5, §6.1)\n%s", err, c.lastExchange())
	}
	return rsp
}

func (c *sdkClient) mustRefundQuery(t *testing.T, p alipay.TradeFastPayRefundQuery) *alipay.TradeFastPayRefundQueryRsp {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rsp, err := c.TradeFastPayRefundQuery(ctx, p)
	if err != nil || rsp == nil {
		t.Fatalf("TradeFastPayRefundQuery: SDK error %v\n%s", err, c.lastExchange())
	}
	return rsp
}

// Refunds: partial, repeated (fund_change N), discordant, over the paid
// amount, then the rest, which closes the trade; each real refund is
// notified and verified by DecodeNotification (protocol §2.7, §3.2, §4.5).
func TestRefund(t *testing.T) {
	c := mustSDKClient(t, app.AppPrivateKeyPEM)
	o := newOrder("RFD", "10", "10.00")
	tradeNo := paidOrder(t, c, o)

	rsp := c.mustRefund(t, alipay.TradeRefund{OutTradeNo: o.OutTradeNo, RefundAmount: "3.00", OutRequestNo: "RQ1", RefundReason: "broken"})
	wantSuccess(t, c, "partial refund", rsp.Error)
	if rsp.FundChange != "Y" || rsp.RefundFee != "3.00" || rsp.TradeNo != tradeNo || rsp.OutTradeNo != o.OutTradeNo {
		t.Errorf("partial refund: fund_change=%q refund_fee=%q trade_no=%q\n%s", rsp.FundChange, rsp.RefundFee, rsp.TradeNo, c.lastExchange())
	}
	// No waiting: the query right after the refund sees it.
	q := c.mustRefundQuery(t, alipay.TradeFastPayRefundQuery{OutTradeNo: o.OutTradeNo, OutRequestNo: "RQ1"})
	wantSuccess(t, c, "refund query", q.Error)
	if q.RefundStatus != "REFUND_SUCCESS" || q.TotalAmount != "10.00" || q.RefundAmount != "3.00" || q.OutRequestNo != "RQ1" {
		t.Errorf("refund query: refund_status=%q total_amount=%q refund_amount=%q\n%s", q.RefundStatus, q.TotalAmount, q.RefundAmount, c.lastExchange())
	}
	ns := theShop.waitNotifications(t, o.OutTradeNo, 2)
	n := ns[1]
	if n.VerifyErr != nil {
		t.Fatalf("refund notification rejected by DecodeNotification: %v\n%s", n.VerifyErr, dumpValues(n.Form))
	}
	checkSingleNonEmpty(t, "refund notification", n.Form)
	if d := n.Decoded; d.TradeStatus != alipay.TradeStatusSuccess || d.RefundFee != "3.00" || d.OutBizNo != "RQ1" || d.GmtRefund == "" {
		t.Errorf("partial refund notification: trade_status=%q refund_fee=%q out_biz_no=%q gmt_refund=%q", d.TradeStatus, d.RefundFee, d.OutBizNo, d.GmtRefund)
	}

	rsp = c.mustRefund(t, alipay.TradeRefund{OutTradeNo: o.OutTradeNo, RefundAmount: "3.00", OutRequestNo: "RQ1"})
	wantSuccess(t, c, "repeated refund", rsp.Error)
	if rsp.FundChange != "N" || rsp.RefundFee != "3.00" {
		t.Errorf("repeated refund: fund_change=%q refund_fee=%q, want N 3.00 (protocol §4.5)\n%s", rsp.FundChange, rsp.RefundFee, c.lastExchange())
	}
	rsp = c.mustRefund(t, alipay.TradeRefund{OutTradeNo: o.OutTradeNo, RefundAmount: "4.00", OutRequestNo: "RQ1"})
	wantError(t, c, "same out_request_no, other amount", rsp.Error, "40004", "Business Failed", "ACQ.DISCORDANT_REPEAT_REQUEST")
	rsp = c.mustRefund(t, alipay.TradeRefund{TradeNo: tradeNo, RefundAmount: "7.01", OutRequestNo: "RQ2"})
	wantError(t, c, "over-refund", rsp.Error, "40004", "Business Failed", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL")

	rsp = c.mustRefund(t, alipay.TradeRefund{TradeNo: tradeNo, RefundAmount: "7.00", OutRequestNo: "RQ2"})
	wantSuccess(t, c, "refund of the rest", rsp.Error)
	if rsp.RefundFee != "10.00" {
		t.Errorf("refund_fee after the full refund = %q, want 10.00", rsp.RefundFee)
	}
	ns = theShop.waitNotifications(t, o.OutTradeNo, 3)
	if d := ns[2].Decoded; ns[2].VerifyErr != nil || d.TradeStatus != alipay.TradeStatusClosed || d.RefundFee != "10.00" || d.GmtClose == "" || d.OutBizNo != "RQ2" {
		t.Errorf("full refund notification: %v %s", ns[2].VerifyErr, dumpValues(ns[2].Form))
	}
	tq := c.mustQuery(t, alipay.TradeQuery{TradeNo: tradeNo})
	if tq.TradeStatus != alipay.TradeStatusClosed {
		t.Errorf("after the full refund: trade_status=%q, want TRADE_CLOSED", tq.TradeStatus)
	}
	q = c.mustRefundQuery(t, alipay.TradeFastPayRefundQuery{TradeNo: tradeNo, OutRequestNo: "NEVER"})
	wantSuccess(t, c, "refund query, unknown out_request_no", q.Error)
	if q.RefundStatus != "" || q.RefundAmount != "" {
		t.Errorf("unknown out_request_no reported a refund (protocol §2.7: no refund fields)\n%s", c.lastExchange())
	}
}
