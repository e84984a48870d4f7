package kit

import (
	"strconv"
	"strings"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// ParseTimeoutExpress reads a relative unpaid timeout: Nm, Nh, Nd (1m to
// 15d, integers only) or 1c, which closes at the coming midnight, GMT+8
// (§4.2). MAPI's it_b_pay has the same syntax (§1.3); a bad value is
// CodeInvalidParameter.
func ParseTimeoutExpress(s string, now time.Time) (time.Duration, time.Time, error) {
	bad := payment.Errorf(payment.CodeInvalidParameter, "timeout_express %q: use an integer with m, h or d (1m to 15d), or 1c", s)
	if s == "1c" {
		d := now.In(payment.CST)
		midnight := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, payment.CST)
		return 0, midnight, nil
	}
	if len(s) < 2 {
		return 0, time.Time{}, bad
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n < 1 || strings.HasPrefix(s, "+") {
		return 0, time.Time{}, bad
	}
	unit := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour}[s[len(s)-1]]
	// Compare the count before multiplying: n*unit could overflow.
	if unit == 0 || int64(n) > int64(payment.MaxUnpaidTimeout/unit) {
		return 0, time.Time{}, bad
	}
	return time.Duration(n) * unit, time.Time{}, nil
}
