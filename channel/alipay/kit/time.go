package kit

import (
	"time"

	"github.com/mockpay/mockpay/payment"
)

// TimestampLayout is the layout of every Alipay time on the wire: OpenAPI
// timestamps (§2.2) and MAPI dates alike.
const TimestampLayout = "2006-01-02 15:04:05"

// DateTime formats an Alipay time: yyyy-MM-dd HH:mm:ss, GMT+8.
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(payment.CST).Format(TimestampLayout)
}
