//go:build smartwalle_ctx

package smartwalle

import (
	"context"
	"net/url"

	"github.com/smartwalle/alipay/v3"
)

// The newer releases' calls take a context first (see sdk_v3_2_25_test.go).

func verifySign(c *alipay.Client, v url.Values) error { return c.VerifySign(context.Background(), v) }

func decodeNotification(c *alipay.Client, v url.Values) (*alipay.Notification, error) {
	return c.DecodeNotification(context.Background(), v)
}
