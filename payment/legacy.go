package payment

// ProductDirectPay is the legacy 即时到账 product, ordered with
// service=create_direct_pay_by_user on the MAPI gateway (alipay-protocol.md §1.3).
const ProductDirectPay Product = "direct_pay"

// LegacyTerms are the parts of a legacy (MAPI) order that the OpenAPI has no
// field for (§1.3). They are echoed in returns, notifications and queries.
type LegacyTerms struct {
	// Price and Quantity are set when the merchant sent them instead of
	// total_fee; Total is then their product.
	Price    Amount `json:"Price,omitempty"`
	Quantity int    `json:"Quantity,omitempty"`
	// PaymentType is the payment_type the merchant sent (1 goods purchase).
	PaymentType string `json:"PaymentType,omitempty"`
	ShowURL     string `json:"ShowURL,omitempty"`
	// NoRefund marks the plain 即时到账 product: a paid trade is finished
	// at once and cannot be refunded (§1.5, §4.1).
	NoRefund bool `json:"NoRefund,omitempty"`
}

// Codes of a reused out_trade_no whose order changed a term: they name the
// term (Alipay's TRADE_TOTALFEE_NOT_MATCH family, §1.10).
const (
	CodeTotalMismatch    Code = "total_mismatch"
	CodePriceMismatch    Code = "price_mismatch"
	CodeQuantityMismatch Code = "quantity_mismatch"
)

// Mismatch names the first term in which a resubmitted order differs from
// the trade its out_trade_no already has, or "" when they agree (§4.4,
// §1.10). An order that gave total_fee is judged by its total; orders that
// gave price and quantity by those, a total_fee order counting as
// quantity 1 (as its notifications show it, §1.5).
func (o Order) Mismatch(t *Trade) Code {
	op, oq := o.Legacy.priceQuantity(o.Total)
	tp, tq := t.Legacy.priceQuantity(t.Total)
	switch {
	case o.Total != t.Total && (o.Legacy.Quantity == 0 || t.Legacy.Quantity == 0):
		return CodeTotalMismatch
	case op != tp:
		return CodePriceMismatch
	case oq != tq:
		return CodeQuantityMismatch
	case o.Subject != t.Subject || o.Body != t.Body:
		return CodeContextInconsistent
	}
	return ""
}

// priceQuantity is the unit price and quantity of an order of total.
func (l LegacyTerms) priceQuantity(total Amount) (Amount, int) {
	if l.Quantity > 0 {
		return l.Price, l.Quantity
	}
	return total, 1
}

// paidStatus is where a payment moves the trade: paid, or finished for a
// product without refunds (§1.5, §4.1).
func (o Order) paidStatus() Status {
	if o.Legacy.NoRefund {
		return StatusFinished
	}
	return StatusPaid
}
