package cashier

import (
	"context"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// AppOrderFunc reads and verifies an app-pay order string (the channel's
// codec does it).
type AppOrderFunc func(ctx context.Context, orderStr string) (*payment.App, payment.Order, error)

// AppResultFunc builds the signed result string the mobile SDK returns to
// the app after a payment.
type AppResultFunc func(app *payment.App, t *payment.Trade, now time.Time) (string, error)

// AppPayment is what the mobile SDK hands back to the app (§2.7, client-side
// result codes): resultStatus, memo and, after a payment, the signed result.
type AppPayment struct {
	Trade        *payment.Trade `json:"-"`
	ResultStatus string         `json:"resultStatus"`
	Memo         string         `json:"memo"`
	Result       string         `json:"result"`
}

// Client-side result codes of the mobile SDK (§2.7).
const (
	AppResultSuccess   = "9000"
	AppResultFailed    = "4000"
	AppResultDuplicate = "5000"
	AppResultCancelled = "6001"
)

// AppPay is the Alipay app receiving an order string and the buyer acting on
// it: the order is verified, its trade created (pending) or reopened,
// and the action performed. A bad order string is an error; what the buyer
// does is an AppPayment.
func (h *Cashier) AppPay(ctx context.Context, orderStr string, action Action) (*AppPayment, error) {
	switch action {
	case "":
		action = Pay
	case Pay, Fail, Cancel:
	default:
		return nil, payment.Errorf(payment.CodeInvalidParameter, "unknown action %q: use pay, fail or cancel", action)
	}
	app, o, err := h.AppOrder(ctx, orderStr)
	if err != nil {
		return nil, err
	}
	t, err := h.Service.Create(ctx, o)
	switch payment.CodeOf(err) {
	case payment.CodeTradeHasSuccess:
		return &AppPayment{Trade: t, ResultStatus: AppResultDuplicate, Memo: "重复请求 the order is already paid"}, nil
	case payment.CodeTradeHasClosed:
		return &AppPayment{Trade: t, ResultStatus: AppResultFailed, Memo: "订单支付失败 the order is closed"}, nil
	}
	if err != nil {
		return nil, err
	}
	res, err := h.Act(ctx, t.TradeNo, action)
	if err != nil {
		return nil, err
	}
	out := &AppPayment{Trade: res.Trade}
	switch action {
	case Pay:
		out.ResultStatus, out.Memo = AppResultSuccess, ""
		out.Result, err = h.AppResult(app, res.Trade, h.Clock.Now())
	case Fail:
		out.ResultStatus, out.Memo = AppResultFailed, res.Message
	case Cancel:
		out.ResultStatus, out.Memo = AppResultCancelled, "用户中途取消 the buyer cancelled"
	}
	return out, err
}
