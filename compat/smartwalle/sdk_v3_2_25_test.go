//go:build !smartwalle_ctx

package smartwalle

import (
	"net/url"

	"github.com/smartwalle/alipay/v3"
)

// The two SDK calls whose signature changed after v3.2.25 (a context came
// first): this file is v3.2.25's, sdk_ctx_test.go the newer releases'
// (build tag smartwalle_ctx, go.v3.2.31.mod). The scenarios are the same.

func verifySign(c *alipay.Client, v url.Values) error { return c.VerifySign(v) }

func decodeNotification(c *alipay.Client, v url.Values) (*alipay.Notification, error) {
	return c.DecodeNotification(v)
}
