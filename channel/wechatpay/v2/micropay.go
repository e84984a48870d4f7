package v2

import "github.com/mockpay/mockpay/payment"

// The sandbox's magic payment codes for micropay: the code the merchant
// scans selects what happens, so a shop can test each branch of its
// payment-code logic (README "APIv2"). Real codes are 18 digits starting
// 10-15; these are well-formed. Any other well-formed code pays at once.
const (
	AuthCodeSuccess    = "134666666666666666" // paid at once
	AuthCodeUserPaying = "134333333333333333" // USERPAYING: waits for the buyer's password
	AuthCodeNotEnough  = "134444444444444444" // NOTENOUGH: the buyer's balance is too low
	AuthCodeExpired    = "134555555555555555" // AUTH_CODE_INVALID: an expired code
)

// micropay is /pay/micropay (§1.4, §1.10): the merchant scans the buyer's
// payment code. A declined code opens no trade; USERPAYING leaves the
// trade pending until the buyer pays (the control API, the cashier) or it
// expires, which the shop learns by orderquery.
func (a *API) micropay(c *call) ([]Field, error) {
	switch c.v["auth_code"] {
	case AuthCodeNotEnough:
		return nil, Refuse(ErrNotEnough, "余额不足")
	case AuthCodeExpired:
		return nil, Refuse(ErrAuthCodeInvalid, "")
	}
	o, err := a.order(c, TradeMicropay)
	if err != nil {
		return nil, err
	}
	o.NotifyURL = "" // micropay has no notification (§1.9 covers unifiedorder's)
	o.ExpiresAfter = micropayTimeout
	t, err := a.Service.Create(c.ctx, o)
	if err != nil {
		return nil, err
	}
	if c.v["auth_code"] == AuthCodeUserPaying {
		return nil, Refuse(ErrUserPaying, "")
	}
	if t, err = a.Service.Pay(c.ctx, t.TradeNo); err != nil {
		return nil, err
	}
	terms := []Field{{"device_info", c.v["device_info"]}, {"openid", openIDOf(t)}, {"is_subscribe", "N"},
		{"trade_type", TradeMicropay}, {"bank_type", BankType}, {"fee_type", "CNY"}, {"total_fee", itoa(int64(t.Total))},
		{"cash_fee", itoa(int64(t.Total))}, {"transaction_id", t.TradeNo}, {"out_trade_no", t.OutTradeNo},
		{"attach", t.PassbackParams}, {"time_end", Time(t.PaidAt)}}
	return terms, nil
}

// reverse is /secapi/pay/reverse: a payment-code order undone, refunded
// when paid, closed when not; recall N says no retry is needed.
func (a *API) reverse(c *call) ([]Field, error) {
	if _, err := a.Service.Reverse(c.ctx, c.app, c.v["out_trade_no"], ""); err != nil {
		return nil, err
	}
	return []Field{{"recall", "N"}}, nil
}

func openIDOf(t *payment.Trade) string { return openID(termsOf(t)) }
