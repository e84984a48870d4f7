package acp

import (
	"crypto/rand"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// CST is Beijing time, the zone of txnTime, traceTime and settleDate (§4, §6).
var CST = time.FixedZone("CST", 8*3600)

// TimeLayout is txnTime's and payTimeout's yyyyMMddHHmmss.
const TimeLayout = "20060102150405"

// CutOver is the settlement day's end: a transaction at or after 23:00
// Beijing time settles on the next day (§5.5, §8 item 2).
const CutOver = 23

// SettleDay is the settlement day of t (its date in Beijing time, the next
// one from 23:00), as midnight CST of that day.
func SettleDay(t time.Time) time.Time {
	c := t.In(CST).Add(time.Duration(24-CutOver) * time.Hour)
	return time.Date(c.Year(), c.Month(), c.Day(), 0, 0, 0, 0, CST)
}

// SettleDate is settleDate (MMDD) of a transaction at t.
func SettleDate(t time.Time) string { return SettleDay(t).Format("0102") }

// SettleWindow is the virtual time a settlement day covers: from 23:00 of
// the day before to 23:00 of the day.
func SettleWindow(day time.Time) (from, to time.Time) {
	end := time.Date(day.Year(), day.Month(), day.Day(), CutOver, 0, 0, 0, CST)
	return end.AddDate(0, 0, -1), end
}

// ParseTime reads a yyyyMMddHHmmss Beijing time.
func ParseTime(s string) (time.Time, bool) {
	if len(s) != 14 {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(TimeLayout, s, CST)
	return t, err == nil
}

var orderIDRule = regexp.MustCompile(`^[0-9A-Za-z]{8,40}$`)

// ValidOrderID: letters and digits, 8 to 40 of them (§4; the longer of the
// two conflicting limits, so no real merchant's orderId is refused).
func ValidOrderID(s string) bool { return orderIDRule.MatchString(s) }

// ParseFen reads txnAmt: an integer number of fen, no sign, no point.
func ParseFen(s string) (payment.Amount, bool) {
	if s == "" || len(s) > 12 || strings.TrimLeft(s, "0123456789") != "" || s[0] == '0' {
		return 0, false
	}
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
	}
	return payment.Amount(n), true
}

// Fen is an amount as txnAmt says it.
func Fen(a payment.Amount) string { return strconv.FormatInt(int64(a), 10) }

// Digits is n random decimal digits.
func Digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		d, _ := rand.Int(rand.Reader, big.NewInt(10))
		b[i] = byte('0' + d.Int64())
	}
	return string(b)
}

// QueryID is a 21-digit queryId of a transaction at t: two digits, the
// yyMMddHHmmss of t in Beijing time, seven digits (the real ones read so:
// 512209110416475616528, §6).
func QueryID(t time.Time) string {
	return Digits(2) + t.In(CST).Format("060102150405") + Digits(7)
}

// TraceNo is the 6-digit traceNo of a queryId: the real gateway's are the
// queryId's digits 15 to 20 (queryId 512209110416475616528, traceNo
// 561652, §10).
func TraceNo(queryID string) string {
	if len(queryID) < 20 {
		return "000000"
	}
	return queryID[14:20]
}
