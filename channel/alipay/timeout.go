package alipay

import "time"

// ParseTimeoutExpress reads a relative unpaid timeout: Nm, Nh, Nd (1m to
// 15d, integers only) or 1c (§4.2). The legacy gateway's it_b_pay has the
// same syntax (§1.3); a bad value is CodeInvalidParameter.
func ParseTimeoutExpress(s string, now time.Time) (time.Duration, time.Time, error) {
	return parseTimeoutExpress(s, now)
}
