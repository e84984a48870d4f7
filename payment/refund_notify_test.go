package payment_test

import (
	"encoding/json"
	"testing"

	"github.com/mockpay/mockpay/payment"
)

// TestRefundWithItsOwnNotifyURL: a refund that names its own notify URL
// (UnionPay's backUrl) is notified there, with its terms stored and read
// back; one that names none goes to the trade's notify URL.
func TestRefundWithItsOwnNotifyURL(t *testing.T) {
	d := newDomain(t)
	d.trade("RN-1", 1000, true)
	terms := map[string]json.RawMessage{"unionpay": json.RawMessage(`{"TxnType":"04"}`)}
	res, err := d.refund(payment.RefundRequest{OutTradeNo: "RN-1", OutRequestNo: "rn-1", Amount: 100,
		NotifyURL: "http://shop.test/refunds", Terms: terms})
	if err != nil {
		t.Fatal(err)
	}
	if res.Refund.NotifyURL != "http://shop.test/refunds" || string(res.Refund.Terms["unionpay"]) != `{"TxnType":"04"}` {
		t.Errorf("refund: %+v", res.Refund)
	}
	if _, err := d.refund(payment.RefundRequest{OutTradeNo: "RN-1", OutRequestNo: "rn-2", Amount: 100}); err != nil {
		t.Fatal(err)
	}
	ns := d.pending()
	if len(ns) != 3 || ns[1].URL != "http://shop.test/refunds" || ns[2].URL != "http://shop.test/notify" {
		t.Fatalf("notifications: %d, urls %v", len(ns), urls(ns))
	}
	if string(ns[1].Refund.Terms["unionpay"]) != `{"TxnType":"04"}` {
		t.Errorf("stored terms: %s", ns[1].Refund.Terms["unionpay"])
	}
	// A refund's own URL passes the same callback check as an order's.
	d.svc.CheckCallback = func(raw string) error { return payment.Errorf(payment.CodeInvalidParameter, "%s refused", raw) }
	if _, err := d.refund(payment.RefundRequest{OutTradeNo: "RN-1", OutRequestNo: "rn-3", Amount: 1, NotifyURL: "http://127.0.0.1/x"}); err == nil {
		t.Error("a refused notify URL was taken")
	}
}

func urls(ns []*payment.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.URL)
	}
	return out
}
