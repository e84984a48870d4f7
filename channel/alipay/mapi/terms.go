package mapi

import (
	"encoding/json"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
)

// Terms are the parts of a MAPI order that the domain has no field for
// (§1.3), echoed in returns, notifications and queries. They are stored as
// payment.Order.Terms["alipay"] under the names the Order's Legacy field
// had before migration 9 moved them there.
type Terms struct {
	// Price and Quantity are set when the merchant sent them instead of
	// total_fee; Total is then their product.
	Price    payment.Amount `json:"Price,omitempty"`
	Quantity int            `json:"Quantity,omitempty"`
	// PaymentType is the payment_type the merchant sent (1 goods purchase).
	PaymentType string `json:"PaymentType,omitempty"`
	ShowURL     string `json:"ShowURL,omitempty"`
	// NoRefund marks the plain 即时到账 product: a paid trade is finished
	// at once and cannot be refunded (§1.5, §4.1).
	NoRefund bool `json:"NoRefund,omitempty"`
}

// Raw is t as an order stores it (payment.Order.Terms).
func (t Terms) Raw() map[string]json.RawMessage {
	raw, err := json.Marshal(t)
	if err != nil {
		panic(err) // Terms hold only strings, numbers and booleans
	}
	return map[string]json.RawMessage{kit.Channel: raw}
}

// OrderTerms are o's MAPI terms; an order with none (or with an entry that
// does not decode, which no build of mockpay writes) has the zero Terms.
func OrderTerms(o *payment.Order) Terms {
	var t Terms
	if raw, ok := o.Terms[kit.Channel]; ok {
		_ = json.Unmarshal(raw, &t)
	}
	return t
}

// priceQuantity is the unit price and quantity of o: a total_fee order
// counts as quantity 1, as its notifications show it (§1.5).
func priceQuantity(o *payment.Order) (payment.Amount, int) {
	if t := OrderTerms(o); t.Quantity > 0 {
		return t.Price, t.Quantity
	}
	return o.Total, 1
}

// Codes of a reused out_trade_no whose order changed its unit price or
// quantity (TRADE_PRICE_NOT_MATCH, TRADE_QUANTITY_NOT_MATCH, §1.10).
var (
	CodePriceMismatch    = payment.DefineCode("price_mismatch", payment.ClassConflict)
	CodeQuantityMismatch = payment.DefineCode("quantity_mismatch", payment.ClassConflict)
)

// TermRules are MAPI's payment.Terms.
type TermRules struct{}

// AmountMismatch names the amount term a resubmitted order changed (§4.4,
// §1.10). An order that gave total_fee is judged by its total; orders that
// gave price and quantity by those, a total_fee order counting as
// quantity 1.
func (TermRules) AmountMismatch(o payment.Order, t *payment.Trade) payment.Code {
	op, oq := priceQuantity(&o)
	tp, tq := priceQuantity(&t.Order)
	switch {
	case o.Total != t.Total && (OrderTerms(&o).Quantity == 0 || OrderTerms(&t.Order).Quantity == 0):
		return payment.CodeTotalMismatch
	case op != tp:
		return CodePriceMismatch
	case oq != tq:
		return CodeQuantityMismatch
	}
	return ""
}

// PaidStatus is paid, or finished for the plain 即时到账 product, which
// has no refunds (§1.5, §4.1).
func (TermRules) PaidStatus(o payment.Order) payment.Status {
	if OrderTerms(&o).NoRefund {
		return payment.StatusFinished
	}
	return payment.StatusPaid
}

// Callbacks: show_url, the product page the cashier links back to (§1.3).
func (TermRules) Callbacks(o payment.Order) []payment.Callback {
	return []payment.Callback{{Name: "show_url", URL: OrderTerms(&o).ShowURL}}
}
