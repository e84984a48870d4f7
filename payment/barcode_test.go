package payment_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/payment"
)

func (d *domain) barcode(out string, total payment.Amount, code string) (*payment.Trade, error) {
	return d.svc.BarcodePay(context.Background(), payment.Order{AppID: d.app.AppID, PID: d.app.PID, OutTradeNo: out,
		Subject: "s", Total: total, Product: payment.ProductBarcode, NotifyURL: "http://shop.test/notify"}, code)
}

// TestBarcodeOutcomes: each magic code, the password threshold and
// malformed codes (README "Magic auth codes", §2.7).
func TestBarcodeOutcomes(t *testing.T) {
	cases := []struct {
		name   string
		code   string
		total  payment.Amount
		status payment.Status // "" when declined
		err    payment.Code
	}{
		{"success code", payment.AuthCodeSuccess, 100, payment.StatusPaid, ""},
		{"success code above the threshold", payment.AuthCodeSuccess, 5000_00, payment.StatusPaid, ""},
		{"wait code", payment.AuthCodeWait, 100, payment.StatusPending, ""},
		{"balance code", payment.AuthCodeBalanceLow, 100, "", payment.CodeBuyerBalanceTooLow},
		{"invalidated code", payment.AuthCodeInvalidated, 100, "", payment.CodeAuthCodeInvalid},
		{"any code", "250000000000000001", 100, payment.StatusPaid, ""},
		{"any code, 16 digits", "3000000000000001", 100, payment.StatusPaid, ""},
		{"any code, 24 digits", "290000000000000000000001", 100, payment.StatusPaid, ""},
		{"any code at the threshold", "281234567890123456", 2000_00, payment.StatusPaid, ""},
		{"any code above the threshold", "281234567890123456", 2000_01, payment.StatusPending, ""},
		{"face code", "fp" + strings.Repeat("a1", 16) + "b", 100, payment.StatusPaid, ""},
		{"starts 24", "240000000000000001", 100, "", payment.CodeAuthCodeInvalid},
		{"starts 31", "310000000000000001", 100, "", payment.CodeAuthCodeInvalid},
		{"15 digits", "280000000000001", 100, "", payment.CodeAuthCodeInvalid},
		{"25 digits", "2800000000000000000000001", 100, "", payment.CodeAuthCodeInvalid},
		{"letters", "28000000000000000a", 100, "", payment.CodeAuthCodeInvalid},
		{"empty", "", 100, "", payment.CodeAuthCodeInvalid},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := newDomain(t)
			out := "B-" + string(rune('a'+i))
			tr, err := d.barcode(out, c.total, c.code)
			if payment.CodeOf(err) != c.err && !(err == nil && c.err == "") {
				t.Fatalf("err %v, want %s", err, c.err)
			}
			if c.status == "" {
				if tr != nil {
					t.Errorf("a declined code created trade %+v", tr)
				}
				if n := len(d.pending()); n != 0 {
					t.Errorf("%d notifications after a decline", n)
				}
				return
			}
			if tr.Status != c.status || tr.BuyerID == "" || tr.BuyerLogon == "" {
				t.Errorf("trade %s buyer %q/%q, want %s with the buyer bound", tr.Status, tr.BuyerID, tr.BuyerLogon, c.status)
			}
			if want := map[payment.Status]int{payment.StatusPaid: 1, payment.StatusPending: 0}[c.status]; len(d.pending()) != want {
				t.Errorf("%d notifications, want %d", len(d.pending()), want)
			}
		})
	}
}

// TestBarcodeWaitSettles: a waiting trade is paid by the buyer (Pay, what
// the cashier and the control API call) or closes when its 3 hours run out
// (§4.2); a retry with a good code pays it; a declined retry leaves it.
func TestBarcodeWaitSettles(t *testing.T) {
	d := newDomain(t)
	ctx := context.Background()
	w, err := d.barcode("W-PAY", 100, payment.AuthCodeWait)
	if err != nil || w.Status != payment.StatusPending || !w.ExpiresAt.Equal(refundStart.Add(3*time.Hour)) {
		t.Fatalf("wait: %v %+v", err, w)
	}
	if _, err := d.barcode("W-PAY", 100, payment.AuthCodeBalanceLow); payment.CodeOf(err) != payment.CodeBuyerBalanceTooLow {
		t.Errorf("declined retry: %v", err)
	}
	if paid, err := d.svc.Pay(ctx, w.TradeNo); err != nil || paid.Status != payment.StatusPaid {
		t.Errorf("the buyer confirms: %v %+v", err, paid)
	}
	if _, err := d.barcode("W-PAY", 100, payment.AuthCodeSuccess); payment.CodeOf(err) != payment.CodeTradeHasSuccess {
		t.Errorf("paying a paid order again: %v", err)
	}
	if _, err := d.barcode("W-PAY", 200, payment.AuthCodeSuccess); payment.CodeOf(err) != payment.CodeTradeHasSuccess {
		t.Errorf("paying a paid order again, other amount: %v", err)
	}

	w2, _ := d.barcode("W-RETRY", 100, payment.AuthCodeWait)
	if again, err := d.barcode("W-RETRY", 100, payment.AuthCodeSuccess); err != nil || again.TradeNo != w2.TradeNo || again.Status != payment.StatusPaid {
		t.Errorf("retry with a good code: %v %+v", err, again)
	}

	w3, _ := d.barcode("W-TIMEOUT", 100, payment.AuthCodeWait)
	d.clock.Advance(3 * time.Hour)
	if tr, err := d.svc.Query(ctx, d.app, "W-TIMEOUT", ""); err != nil || tr.Status != payment.StatusClosed || tr.TradeNo != w3.TradeNo {
		t.Errorf("after 3 hours: %v %+v", err, tr)
	}
	if _, err := d.svc.Pay(ctx, w3.TradeNo); payment.CodeOf(err) != payment.CodeTradeHasClosed {
		t.Errorf("paying a timed-out trade: %v", err)
	}
}
