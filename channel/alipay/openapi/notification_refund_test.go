package openapi_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/mockpay/mockpay/channel/alipay/openapi"
	"github.com/mockpay/mockpay/payment"
)

var paidAt = time.Date(2026, 5, 1, 10, 0, 5, 0, payment.CST)

func refundBaseTrade() payment.Trade {
	return payment.Trade{
		TradeNo: "2026050122000000000000000001",
		Order: payment.Order{AppID: appRSA2, PID: "2088102100000001", OutTradeNo: "ORDER-1", Subject: "Test",
			Total: 1000, NotifyURL: "http://shop.test/notify", Charset: "utf-8", SignType: "RSA2"},
		Status: payment.StatusPaid, BuyerID: "2088102177846880", BuyerLogon: "buy***@sandbox.com",
		CreatedAt: paidAt.Add(-5 * time.Second), PaidAt: paidAt,
	}
}

// TestRefundNotifications: a partial refund keeps TRADE_SUCCESS and adds
// refund_fee, gmt_refund (milliseconds) and out_biz_no; a full refund is
// TRADE_CLOSED with gmt_close and no payment amounts; neither carries
// fund_bill_list (§3.2, §3.4). Both verify like any notification (§3.3).
func TestRefundNotifications(t *testing.T) {
	app := fixtureApp(t, appRSA2)
	refundAt := paidAt.Add(90*time.Minute + 250*time.Millisecond)
	partial := refundBaseTrade()
	partial.Refunded, partial.RefundedAt = 300, refundAt
	full := refundBaseTrade()
	full.Refunded, full.RefundedAt, full.Status, full.ClosedAt = 1000, refundAt, payment.StatusClosed, refundAt
	cases := []struct {
		name    string
		trade   payment.Trade
		refund  payment.Refund
		want    map[string]string
		absent  []string
		golden  string
		present []string
	}{
		{
			name: "partial", trade: partial,
			refund: payment.Refund{OutRequestNo: "RQ-1", Amount: 300, RefundedTotal: 300, CreatedAt: refundAt},
			want: map[string]string{"trade_status": "TRADE_SUCCESS", "refund_fee": "3.00", "gmt_refund": "2026-05-01 11:30:05.250",
				"out_biz_no": "RQ-1", "total_amount": "10.00", "gmt_payment": "2026-05-01 10:00:05"},
			absent: []string{"fund_bill_list", "gmt_close"}, present: []string{"receipt_amount", "buyer_pay_amount"},
			golden: "notification_refund_partial.golden",
		},
		{
			name: "full", trade: full,
			refund: payment.Refund{OutRequestNo: "RQ-2", Amount: 700, RefundedTotal: 1000, CreatedAt: refundAt},
			want: map[string]string{"trade_status": "TRADE_CLOSED", "refund_fee": "10.00", "gmt_refund": "2026-05-01 11:30:05.250",
				"gmt_close": "2026-05-01 11:30:05", "out_biz_no": "RQ-2"},
			absent: []string{"fund_bill_list", "receipt_amount", "buyer_pay_amount", "invoice_amount", "point_amount"},
			golden: "notification_refund_full.golden",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := &payment.Notification{NotifyID: "2026050101220000000000000000000001", AppID: appRSA2, Kind: payment.KindRefund,
				Trade: c.trade, Refund: &c.refund}
			body, err := openapi.NotificationBody(app, n, refundAt)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, c.golden, []byte(body))
			v, err := url.ParseQuery(body)
			if err != nil {
				t.Fatal(err)
			}
			flat := map[string]string{}
			for k, vs := range v {
				if len(vs) != 1 || vs[0] == "" {
					t.Errorf("%s = %q: one non-empty value expected", k, vs)
				}
				flat[k] = vs[0]
			}
			for k, want := range c.want {
				if flat[k] != want {
					t.Errorf("%s = %q, want %q", k, flat[k], want)
				}
			}
			for _, k := range c.absent {
				if _, ok := flat[k]; ok {
					t.Errorf("%s is present", k)
				}
			}
			for _, k := range c.present {
				if _, ok := flat[k]; !ok {
					t.Errorf("%s is missing", k)
				}
			}
			if err := verifyRaw(platformPublic(t, appRSA2), "RSA2", []byte(canonicalOf(flat, "sign", "sign_type")), flat["sign"]); err != nil {
				t.Errorf("does not verify: %v", err)
			}
		})
	}
}
