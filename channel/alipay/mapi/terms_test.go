package mapi

import (
	"testing"

	"github.com/mockpay/mockpay/payment"
)

// TestAmountMismatch: a reused out_trade_no names the term that changed, the
// TRADE_TOTALFEE_NOT_MATCH family of §1.10.
func TestAmountMismatch(t *testing.T) {
	total := func(a payment.Amount) payment.Order { return payment.Order{Subject: "s", Total: a} }
	priced := func(p payment.Amount, q int) payment.Order {
		return payment.Order{Subject: "s", Total: p * payment.Amount(q), Terms: Terms{Price: p, Quantity: q}.Raw()}
	}
	cases := []struct {
		name     string
		was, now payment.Order
		want     payment.Code
	}{
		{"same total", total(1000), total(1000), ""},
		{"total changed", total(1000), total(1001), payment.CodeTotalMismatch},
		{"same price and quantity", priced(500, 2), priced(500, 2), ""},
		{"price changed", priced(500, 2), priced(400, 2), CodePriceMismatch},
		{"price changed, same total", priced(500, 2), priced(250, 4), CodePriceMismatch},
		{"quantity changed", priced(500, 2), priced(500, 3), CodeQuantityMismatch},
		{"total_fee then priced, same total", total(1000), priced(500, 2), CodePriceMismatch},
		{"total_fee then priced as quantity 1", total(1000), priced(1000, 1), ""},
		{"total_fee then priced, other total", total(1000), priced(500, 3), payment.CodeTotalMismatch},
	}
	for _, c := range cases {
		if got := (TermRules{}).AmountMismatch(c.now, &payment.Trade{Order: c.was}); got != c.want {
			t.Errorf("%s: AmountMismatch = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestPaidStatus(t *testing.T) {
	if s := (TermRules{}).PaidStatus(payment.Order{}); s != payment.StatusPaid {
		t.Errorf("refundable product pays into %s", s)
	}
	if s := (TermRules{}).PaidStatus(payment.Order{Terms: Terms{NoRefund: true}.Raw()}); s != payment.StatusFinished {
		t.Errorf("plain 即时到账 pays into %s", s)
	}
}

// TestTermsStoredNames: the terms keep the JSON names Order.Legacy had,
// which migration 9 moved under Terms.alipay unchanged.
func TestTermsStoredNames(t *testing.T) {
	raw := Terms{Price: 250, Quantity: 3, PaymentType: "1", ShowURL: "http://shop/mug", NoRefund: true}.Raw()
	want := `{"Price":250,"Quantity":3,"PaymentType":"1","ShowURL":"http://shop/mug","NoRefund":true}`
	if got := string(raw["alipay"]); got != want {
		t.Errorf("stored terms %s, want %s", got, want)
	}
	o := payment.Order{Terms: raw}
	if got := OrderTerms(&o); got.Quantity != 3 || got.ShowURL != "http://shop/mug" || !got.NoRefund {
		t.Errorf("decoded terms %+v", got)
	}
}
