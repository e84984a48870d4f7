package cashier

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/payment"
)

// RefundBatchPath is where a seller confirms a legacy batch refund
// (refund_fastpay_by_platform_pwd, alipay-protocol.md §1.9): the real
// platform has the seller log in and enter a password there.
func RefundBatchPath(token string) string { return "/cashier/refund/" + token }

type refundBatchView struct {
	Token string
	App   *payment.App
	Batch *payment.RefundBatch
	Total payment.Amount
}

// ShowRefundBatch shows a proposed batch with the button that applies it.
func (h *Cashier) ShowRefundBatch(c echo.Context) error {
	b, err := h.Service.PendingRefundBatch(c.Request().Context(), c.Param("token"))
	if err != nil {
		return h.errorPageFor(c, payment.ProtocolLegacy, err)
	}
	app, ok := h.Apps.App(b.AppID)
	if !ok {
		return h.errorPageFor(c, payment.ProtocolLegacy, payment.Errorf(payment.CodeInvalidAppID, "partner %s is gone", b.AppID))
	}
	v := refundBatchView{Token: c.Param("token"), App: app, Batch: b}
	for _, r := range b.Records {
		v.Total += r.Amount
	}
	return h.render(c, "refund_batch.html", v)
}

// ConfirmRefundBatch is the seller confirming: the batch is applied and
// batch_refund_notify is queued. The sandbox asks for no password.
func (h *Cashier) ConfirmRefundBatch(c echo.Context) error {
	b, err := h.Service.ConfirmRefundBatch(c.Request().Context(), c.Param("token"))
	if err != nil {
		return h.errorPageFor(c, payment.ProtocolLegacy, err)
	}
	msg := fmt.Sprintf("退款已处理 Batch %s applied: %d of %d refunds succeeded; the result goes to the shop's notify_url.",
		b.BatchNo, b.SuccessNum(), len(b.Records))
	return h.render(c, "done.html", doneView{Title: "mockpay", Message: msg, Good: b.SuccessNum() > 0})
}
