package payment

import "testing"

// TestMismatch: a reused out_trade_no names the term that changed, the
// TRADE_TOTALFEE_NOT_MATCH family of §1.10.
func TestMismatch(t *testing.T) {
	total := func(a Amount) Order { return Order{Subject: "s", Total: a} }
	priced := func(p Amount, q int) Order {
		return Order{Subject: "s", Total: p * Amount(q), Legacy: LegacyTerms{Price: p, Quantity: q}}
	}
	cases := []struct {
		name     string
		was, now Order
		want     Code
	}{
		{"same total", total(1000), total(1000), ""},
		{"total changed", total(1000), total(1001), CodeTotalMismatch},
		{"same price and quantity", priced(500, 2), priced(500, 2), ""},
		{"price changed", priced(500, 2), priced(400, 2), CodePriceMismatch},
		{"price changed, same total", priced(500, 2), priced(250, 4), CodePriceMismatch},
		{"quantity changed", priced(500, 2), priced(500, 3), CodeQuantityMismatch},
		{"total_fee then priced, same total", total(1000), priced(500, 2), CodePriceMismatch},
		{"total_fee then priced as quantity 1", total(1000), priced(1000, 1), ""},
		{"total_fee then priced, other total", total(1000), priced(500, 3), CodeTotalMismatch},
		{"subject changed", total(1000), Order{Subject: "t", Total: 1000}, CodeContextInconsistent},
	}
	for _, c := range cases {
		tr := &Trade{Order: c.was}
		if got := c.now.Mismatch(tr); got != c.want {
			t.Errorf("%s: Mismatch = %q, want %q", c.name, got, c.want)
		}
		if c.now.SameTerms(tr) != (c.want == "") {
			t.Errorf("%s: SameTerms disagrees with Mismatch", c.name)
		}
	}
}

func TestPaidStatus(t *testing.T) {
	if s := (Order{}).paidStatus(); s != StatusPaid {
		t.Errorf("refundable product pays into %s", s)
	}
	if s := (Order{Legacy: LegacyTerms{NoRefund: true}}).paidStatus(); s != StatusFinished {
		t.Errorf("plain 即时到账 pays into %s", s)
	}
}
