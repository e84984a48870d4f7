package channel

import (
	"context"
	"net/http"
	"strings"
)

// MaxBodyBytes bounds every request body (1 MiB): a gateway form is a few
// KiB. A route that reads its own body bounds it with this, so that an
// oversize one is answered in the platform's format.
const MaxBodyBytes = 1 << 20

// Route is one path the channel answers.
type Route struct {
	Methods []string // e.g. GET and POST
	Path    string   // exact path, e.g. /gateway.do
	Handler http.Handler
	// OwnLimit says the handler bounds its own body (MaxBodyBytes) to answer
	// an oversize one in the platform's format; otherwise the server's limit
	// refuses it before the handler runs.
	OwnLimit bool
}

// Pages is the cashier as a channel's routes meet it: where they send the
// buyer's browser, and the platform's error page. The wiring supplies it, so
// a channel links to the cashier without importing it.
type Pages interface {
	// OrderPath is the cashier page of an order handed over with token.
	OrderPath(token string) string
	// ScanPath is the page a scanned QR code (precreate) leads to.
	ScanPath(code string) string
	// RefundBatchPath is where a seller confirms a batch refund.
	RefundBatchPath(token string) string
	// TradePath is the cashier page of an open trade by its trade number
	// (a trade the merchant created server-to-server).
	TradePath(tradeNo string) string
	// WriteError answers with the platform's error page: HTTP 200, the
	// code in the text.
	WriteError(w http.ResponseWriter, v ErrorView) error
}

type baseURLKey struct{}

// WithBaseURL is how the server tells a route under which URL the client
// reached mockpay (scheme://host of the request), for the links a channel
// hands out: a precreate qr_code resolves to mockpay's scan page.
func WithBaseURL(ctx context.Context, base string) context.Context {
	return context.WithValue(ctx, baseURLKey{}, strings.TrimRight(base, "/"))
}

// BaseURL is the URL WithBaseURL gave, or mockpay's default address.
func BaseURL(ctx context.Context) string {
	if b, ok := ctx.Value(baseURLKey{}).(string); ok && b != "" {
		return b
	}
	return "http://127.0.0.1:2088"
}
