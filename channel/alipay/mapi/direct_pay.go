package mapi

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
)

// directPay answers create_direct_pay_by_user: a valid order goes to the
// same cashier as the OpenAPI's page pay (§1.3).
func (g *Gateway) directPay(ctx context.Context, c *Call) (Outcome, error) {
	if kit.Creds(c.Partner).Legacy.AntiPhishing {
		key := c.Params.Value("anti_phishing_key")
		if key == "" {
			return Outcome{}, payment.Errorf(CodeAntiPhishingKeyInvalid, "partner %s has anti-phishing enabled: anti_phishing_key from query_timestamp is required", c.Partner.PID)
		}
		if err := checkAntiPhishingKey(ctx, g.Tokens, c.Partner.AppID, key); err != nil {
			return Outcome{}, err
		}
	}
	o, err := c.order(g)
	if err != nil {
		return Outcome{}, err
	}
	co, err := g.Service.BeginCheckout(ctx, o)
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{Cashier: co.Token}, nil
}

// paymentTypes are the payment_type values the gateway knows: goods
// purchase, donation, e-voucher (§1.3; the list is unconfirmed).
var paymentTypes = map[string]bool{"1": true, "4": true, "47": true}

// order reads and checks the order parameters of §1.3.
func (c *Call) order(g *Gateway) (payment.Order, error) {
	p, partner := c.Params, c.Partner
	o := payment.Order{
		Protocol:       payment.ProtocolLegacy,
		AppID:          partner.AppID,
		PID:            partner.PID,
		Product:        payment.ProductDirectPay,
		ProductCode:    c.Service,
		OutTradeNo:     p.Value("out_trade_no"),
		Subject:        p.Value("subject"),
		Body:           p.Value("body"),
		NotifyURL:      p.Value("notify_url"),
		ReturnURL:      p.Value("return_url"),
		PassbackParams: p.Value("extra_common_param"),
		Charset:        string(c.Charset),
		SignType:       string(c.SignType),
		Legacy: payment.LegacyTerms{
			PaymentType: p.Value("payment_type"),
			ShowURL:     p.Value("show_url"),
			NoRefund:    kit.Creds(partner).Legacy.NoRefund,
		},
	}
	switch n := len(o.OutTradeNo); {
	case n == 0:
		return o, payment.Errorf(payment.CodeMissingParameter, "out_trade_no is required")
	case n > 64 || strings.ContainsAny(o.OutTradeNo, " \t\r\n"):
		return o, payment.Errorf(payment.CodeInvalidParameter, "out_trade_no %q: at most 64 characters, no blanks", o.OutTradeNo)
	}
	if strings.TrimSpace(o.Subject) == "" {
		return o, payment.Errorf(codeSubjectMissing, "subject is required")
	}
	// Lengths in bytes are counted as the merchant encoded them (§1.3:
	// 256 bytes is about 128 Chinese characters in gbk).
	if len(c.Raw.Value("subject")) > 256 {
		return o, payment.Errorf(payment.CodeInvalidParameter, "subject is longer than 256 bytes")
	}
	if utf8.RuneCountInString(o.Body) > 1000 {
		return o, payment.Errorf(payment.CodeInvalidParameter, "body is longer than 1000 characters")
	}
	if !paymentTypes[o.Legacy.PaymentType] {
		return o, payment.Errorf(codeIllegalPaymentType, "payment_type %q: use 1 (goods purchase), 4 (donation) or 47 (e-voucher)", o.Legacy.PaymentType)
	}
	if err := c.fee(&o); err != nil {
		return o, err
	}
	if err := c.seller(); err != nil {
		return o, err
	}
	if e := o.PassbackParams; len(e) > 100 || strings.ContainsAny(e, "=&") {
		return o, payment.Errorf(codeIllegalExtraCommonParam, "extra_common_param: at most 100 characters, no = or &")
	}
	for _, u := range []struct {
		name, value string
		max         int
	}{{"notify_url", o.NotifyURL, 190}, {"return_url", o.ReturnURL, 200}, {"show_url", o.Legacy.ShowURL, 400}} {
		if err := checkURL(u.name, u.value, u.max, u.name != "show_url"); err != nil {
			return o, err
		}
	}
	if s := p.Value("it_b_pay"); s != "" {
		var err error
		if o.ExpiresAfter, o.ExpiresAt, err = kit.ParseTimeoutExpress(s, g.Clock.Now()); err != nil {
			return o, payment.Errorf(codeIllegalOuttime, "it_b_pay %q: use an integer with m, h or d (1m to 15d), or 1c", s)
		}
	}
	return o, nil
}

// fee reads total_fee, or price and quantity instead: one or the other,
// never both (§1.3).
func (c *Call) fee(o *payment.Order) error {
	total, price, quantity := c.Params.Value("total_fee"), c.Params.Value("price"), c.Params.Value("quantity")
	if total != "" {
		if price != "" || quantity != "" {
			return payment.Errorf(codeIllegalFee, "send total_fee, or price and quantity, not both")
		}
		a, err := payment.ParseYuan(total)
		if err != nil {
			return payment.Errorf(codeIllegalFee, "total_fee: %v", err)
		}
		o.Total = a
		return checkRange("total_fee", a)
	}
	if price == "" || quantity == "" {
		return payment.Errorf(codeIllegalFee, "total_fee, or price and quantity, are required")
	}
	a, err := payment.ParseYuan(price)
	if err != nil {
		return payment.Errorf(codeIllegalFee, "price: %v", err)
	}
	if err := checkRange("price", a); err != nil {
		return err
	}
	n, err := strconv.Atoi(quantity)
	if err != nil || n < 1 || n > 1_000_000 || strings.HasPrefix(quantity, "+") {
		return payment.Errorf(codeIllegalFee, "quantity %q: a whole number from 1", quantity)
	}
	o.Total, o.Legacy.Price, o.Legacy.Quantity = a*payment.Amount(n), a, n
	return checkRange("price × quantity", o.Total)
}

func checkRange(name string, a payment.Amount) error {
	if !a.InRange() {
		return payment.Errorf(payment.CodeAmountOutOfRange, "%s %s is outside 0.01 to 100000000.00", name, a.Yuan())
	}
	return nil
}

// seller checks the seller, named by seller_id, else seller_account_name,
// else seller_email (§1.3 priority): it must be the partner's own account,
// as the sandbox has no other sellers. The buyer cannot be the seller.
func (c *Call) seller() error {
	p, partner := c.Params, c.Partner
	var name, value string
	for _, k := range []string{"seller_id", "seller_account_name", "seller_email"} {
		if v := p.Value(k); v != "" {
			name, value = k, v
			break
		}
	}
	switch {
	case name == "":
		return payment.Errorf(payment.CodeMissingParameter, "one of seller_id, seller_account_name, seller_email is required")
	case name == "seller_id" && value != partner.PID,
		name != "seller_id" && value != partner.SellerEmail:
		return payment.Errorf(codeSellerNotExist, "%s %q is not partner %s's seller account (%s, %s)", name, value, partner.PID, partner.PID, partner.SellerEmail)
	}
	if b := p.Value("buyer_id"); b != "" && b == partner.PID {
		return payment.Errorf(codeBuyerSellerEqual, "buyer_id %s is the seller", b)
	}
	for _, k := range []string{"buyer_email", "buyer_account_name"} {
		if b := p.Value(k); b != "" && b == partner.SellerEmail {
			return payment.Errorf(codeBuyerSellerEqual, "%s %s is the seller", k, b)
		}
	}
	return nil
}

// checkURL accepts nothing or an absolute http(s) URL of at most max
// characters; notify and return URLs must not carry their own query (§1.3).
func checkURL(name, s string, max int, noQuery bool) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return payment.Errorf(payment.CodeInvalidParameter, "%s %q is not an absolute http(s) URL", name, s)
	case len(s) > max:
		return payment.Errorf(payment.CodeInvalidParameter, "%s is longer than %d characters", name, max)
	case noQuery && (u.RawQuery != "" || strings.Contains(s, "?")):
		return payment.Errorf(payment.CodeInvalidParameter, "%s must not carry its own query parameters (%q)", name, u.RawQuery)
	}
	return nil
}
