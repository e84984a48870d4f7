package payment

// Terms are a protocol's rules for what its orders say beyond the domain's
// fields (Order.Terms, in the channel's own words): how a resubmitted order
// is judged against its trade, where a payment moves the trade, and which
// more callback URLs the order names. A protocol whose orders carry
// nothing more registers none and gets the domain's rules.
type Terms interface {
	// AmountMismatch names the first amount term in which a resubmitted
	// order differs from the trade its out_trade_no already has, or "";
	// the domain's rule compares totals (CodeTotalMismatch).
	AmountMismatch(o Order, t *Trade) Code
	// PaidStatus is where a payment of o moves its trade: StatusPaid, or
	// StatusFinished for a product without refunds.
	PaidStatus(o Order) Status
	// Callbacks are the URLs beyond notify_url, return_url and quit_url
	// that o has the platform call or send the buyer to.
	Callbacks(o Order) []Callback
}

// FinishNotice is what a protocol's Terms may add: whether the end of a
// paid trade's refund window is notified. Alipay notifies it
// (TRADE_FINISHED); a protocol whose Terms implements this and answers
// false notifies payments and refunds only (WeChat Pay, §2.8).
type FinishNotice interface {
	NotifiesFinish() bool
}

// TermsRules finds a protocol's Terms; the wiring injects the registered
// channels (channel.Set).
type TermsRules interface {
	Terms(p Protocol) (Terms, bool)
}

// Callback is a URL an order or batch carries, with the name the merchant
// gave it.
type Callback struct{ Name, URL string }

// terms is the rules of protocol p, or the domain's own when no channel
// registered any.
func (s *Service) terms(p Protocol) Terms {
	if s.TermsRules != nil {
		if t, ok := s.TermsRules.Terms(p); ok {
			return t
		}
	}
	return plainTerms{}
}

// plainTerms are the rules of an order with no terms of its channel's.
type plainTerms struct{}

func (plainTerms) AmountMismatch(o Order, t *Trade) Code {
	if o.Total != t.Total {
		return CodeTotalMismatch
	}
	return ""
}
func (plainTerms) PaidStatus(Order) Status    { return StatusPaid }
func (plainTerms) Callbacks(Order) []Callback { return nil }

// Mismatch names the first term in which a resubmitted order differs from
// the trade its out_trade_no already has, or "" when they agree (§4.4):
// the amount by its protocol's rule, then the subject and body.
func (s *Service) Mismatch(o Order, t *Trade) Code {
	if code := s.terms(o.Protocol).AmountMismatch(o, t); code != "" {
		return code
	}
	if o.Subject != t.Subject || o.Body != t.Body {
		return CodeContextInconsistent
	}
	return ""
}
