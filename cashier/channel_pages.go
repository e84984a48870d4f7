package cashier

import (
	"net/http"

	"github.com/mockpay/mockpay/channel"
)

// The cashier is the channel.Pages of every channel's routes: they send the
// buyer here and show errors in its error page.
var _ channel.Pages = (*Cashier)(nil)

// OrderPath is the cashier page of an order handed over with token.
func (h *Cashier) OrderPath(token string) string { return "/cashier/" + token }

// ScanPath is where a precreate qr_code leads.
func (h *Cashier) ScanPath(code string) string { return ScanPath(code) }

// RefundBatchPath is where a seller confirms a batch refund.
func (h *Cashier) RefundBatchPath(token string) string { return RefundBatchPath(token) }

// WriteError shows an already described error as the platform's error page.
func (h *Cashier) WriteError(w http.ResponseWriter, v ErrorView) error {
	return h.write(w, "error.html", v)
}

// TradePath is the cashier of an existing trade: the UnionPay channel's
// app page sends the buyer of a tn there (it asks for it through an
// optional interface, so Pages itself is unchanged).
func (h *Cashier) TradePath(tradeNo string) string { return tradeCashierPath(tradeNo) }
