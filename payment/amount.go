package payment

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Amount is money in fen (hundredths of a yuan). Integer fen keep refunds and
// totals exact; yuan strings exist only at the protocol edge.
type Amount int64

// Limits of a single Alipay trade amount (alipay-protocol.md §4.3, §1.3).
const (
	MinAmount Amount = 1
	MaxAmount Amount = 100_000_000_00
)

// ParseYuan reads a yuan amount with at most two decimals ("0.01", "13.5",
// "1200"). It rejects signs, exponents and more than two decimals.
func ParseYuan(s string) (Amount, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty amount")
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || !digits(whole) || (hasDot && (frac == "" || !digits(frac))) {
		return 0, fmt.Errorf("amount %q is not a decimal number of yuan", s)
	}
	if len(frac) > 2 {
		return 0, fmt.Errorf("amount %q has more than two decimals", s)
	}
	if len(whole) > 12 {
		return 0, fmt.Errorf("amount %q is out of range", s)
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	frac += strings.Repeat("0", 2-len(frac))
	f, _ := strconv.ParseInt(frac, 10, 64)
	return Amount(w*100 + f), nil
}

// ParseYuanJSON reads an amount in yuan from a JSON request, which SDKs
// send as a JSON string or a JSON number (Alipay OpenAPI, §2.1).
func ParseYuanJSON(raw json.RawMessage) (Amount, error) {
	s := strings.TrimSpace(string(raw))
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
	}
	return ParseYuan(s)
}

// InRange reports whether a is a valid trade amount.
func (a Amount) InRange() bool { return a >= MinAmount && a <= MaxAmount }

// Yuan formats with exactly two decimals, as Alipay always does ("1200.00").
func (a Amount) Yuan() string {
	sign, abs := "", uint64(a)
	if a < 0 {
		sign, abs = "-", -uint64(a) // two's complement: exact even for MinInt64
	}
	return fmt.Sprintf("%s%d.%02d", sign, abs/100, abs%100)
}

func (a Amount) String() string { return a.Yuan() }

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
