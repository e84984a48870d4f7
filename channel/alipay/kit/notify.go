package kit

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/payment"
)

// Ack is Alipay's acknowledgement: HTTP 200 and a body of exactly
// "success", nothing around it (alipay-protocol.md §1.5, §3.1).
const Ack = "success"

// Schedule is Alipay's: 8 attempts within about 25 hours, waiting 4m, 10m,
// 10m, 1h, 2h, 6h and 15h after each failed one (alipay-protocol.md §3.5).
var Schedule = channel.Schedule{
	4 * time.Minute, 10 * time.Minute, 10 * time.Minute,
	time.Hour, 2 * time.Hour, 6 * time.Hour, 15 * time.Hour,
}

// NotifyTypeTradeStatus is the notify_type of a trade's notifications,
// payments and refunds alike, and of MAPI's sync returns (§1.4, §1.5, §3.2).
const NotifyTypeTradeStatus = "trade_status_sync"

// NotifyType is Alipay's notify_type of a notification of kind k: a refund
// batch's is batch_refund_notify (§1.9), every other trade_status_sync.
func NotifyType(k payment.NotificationKind) string {
	if k == payment.KindBatchRefund {
		return "batch_refund_notify"
	}
	return NotifyTypeTradeStatus
}

// Timeout is how long one attempt waits for the shop's answer.
const Timeout = 10 * time.Second

// Delivery is the half of a channel.Notifier both Alipay protocols share:
// the ack rule, the schedule and the timeout. Each protocol's notifier
// embeds it and adds its Encode.
type Delivery struct{}

// Judge applies the ack rule to the shop's answer.
func (Delivery) Judge(a channel.Answer) (bool, string) {
	switch {
	case a.StatusCode >= 300 && a.StatusCode < 400:
		return false, fmt.Sprintf("HTTP %d: redirects are not followed; answer 200 with %q", a.StatusCode, Ack)
	case a.StatusCode != http.StatusOK:
		return false, fmt.Sprintf("HTTP %d: the platform needs 200 with %q", a.StatusCode, Ack)
	case string(a.Body) == Ack:
		return true, "acknowledged"
	case strings.TrimSpace(string(a.Body)) == Ack:
		return false, fmt.Sprintf("the answer must be exactly %q, with nothing around it; got %s", Ack, channel.Quote(a.Body))
	default:
		return false, fmt.Sprintf("the answer must be exactly %q; got %s", Ack, channel.Quote(a.Body))
	}
}

// Schedule is Alipay's retry schedule.
func (Delivery) Schedule() channel.Schedule { return Schedule }

// Timeout bounds one attempt.
func (Delivery) Timeout() time.Duration { return Timeout }

// FormRequest is a notification as Alipay posts it: a form in charset cs.
func FormRequest(body string, cs Charset) channel.Request {
	return channel.Request{Body: body, Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded; charset=" + string(cs)}}}
}
