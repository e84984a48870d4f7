package payment

import (
	"encoding/json"
	"errors"
	"testing"
)

// TestMismatchPlain: without a channel's rules a reused out_trade_no is
// judged by its total, then its subject and body.
func TestMismatchPlain(t *testing.T) {
	s := &Service{}
	was := &Trade{Order: Order{Subject: "s", Total: 1000}}
	for _, c := range []struct {
		name string
		now  Order
		want Code
	}{
		{"same", Order{Subject: "s", Total: 1000}, ""},
		{"total changed", Order{Subject: "s", Total: 1001}, CodeTotalMismatch},
		{"subject changed", Order{Subject: "t", Total: 1000}, CodeContextInconsistent},
		{"body changed", Order{Subject: "s", Body: "b", Total: 1000}, CodeContextInconsistent},
	} {
		if got := s.Mismatch(c.now, was); got != c.want {
			t.Errorf("%s: Mismatch = %q, want %q", c.name, got, c.want)
		}
	}
	if st := s.terms(ProtocolOpenAPI).PaidStatus(Order{}); st != StatusPaid {
		t.Errorf("plain order pays into %s", st)
	}
}

// quantityTerms is a protocol whose orders carry a quantity (its Terms
// entry "q": "1" or "2"), pay into finished and name a show URL.
type quantityTerms struct{}

func (quantityTerms) AmountMismatch(o Order, t *Trade) Code {
	if string(o.Terms["q"]) != string(t.Terms["q"]) {
		return "quantity_changed"
	}
	return ""
}
func (quantityTerms) PaidStatus(Order) Status { return StatusFinished }
func (quantityTerms) Callbacks(o Order) []Callback {
	return []Callback{{"show_url", string(o.Terms["show"])}}
}

type termsOf map[Protocol]Terms

func (m termsOf) Terms(p Protocol) (Terms, bool) { t, ok := m[p]; return t, ok }

// TestTermsOfAProtocol: a protocol's registered rules judge its orders'
// amounts (before the domain's subject check), where a payment moves them
// and which more callbacks are checked; other protocols keep the domain's.
func TestTermsOfAProtocol(t *testing.T) {
	const p Protocol = "q"
	s := &Service{TermsRules: termsOf{p: quantityTerms{}}, CheckCallback: func(u string) error {
		if u == "http://self/" {
			return errors.New("mockpay itself")
		}
		return nil
	}}
	q := func(n string, subject string) Order {
		return Order{Protocol: p, Subject: subject, Total: 100, Terms: map[string]json.RawMessage{"q": json.RawMessage(n)}}
	}
	was := &Trade{Order: q("1", "s")}
	if got := s.Mismatch(q("2", "t"), was); got != "quantity_changed" {
		t.Errorf("changed quantity and subject: %q", got)
	}
	if got := s.Mismatch(q("1", "t"), was); got != CodeContextInconsistent {
		t.Errorf("changed subject: %q", got)
	}
	if got := s.Mismatch(Order{Subject: "s", Total: 200}, &Trade{Order: Order{Subject: "s", Total: 100}}); got != CodeTotalMismatch {
		t.Errorf("another protocol's order: %q", got)
	}
	if st := s.terms(p).PaidStatus(q("1", "s")); st != StatusFinished {
		t.Errorf("pays into %s", st)
	}
	o := q("1", "s")
	o.Terms["show"] = []byte("http://self/")
	if err := s.checkCallbacks(s.callbacks(o)); CodeOf(err) != CodeInvalidParameter {
		t.Errorf("show URL of the protocol's terms: %v", err)
	}
}
