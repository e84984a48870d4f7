package kit

import (
	"time"

	"github.com/mockpay/mockpay/payment"
)

// ReturnURL is where the buyer goes after paying, v2 and v3 alike: the
// redirect_url the shop's H5 page appended to its h5_url / mweb_url, as it
// was, since WeChat Pay signs no return (the shop queries the order,
// wechatpay-protocol.md §2.5); "" when none was named.
func ReturnURL(_ *payment.App, t *payment.Trade, _ time.Time) (string, error) {
	return t.ReturnURL, nil
}
