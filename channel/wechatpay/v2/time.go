package v2

import (
	"strconv"
	"time"
)

// cst is China Standard Time, the zone of every APIv2 time field.
var cst = time.FixedZone("CST", 8*3600)

// timeLayout is APIv2's yyyyMMddHHmmss (time_end, time_start, time_expire).
const timeLayout = "20060102150405"

// Time formats t as APIv2 does, in China Standard Time.
func Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(cst).Format(timeLayout)
}

// ParseTime reads a yyyyMMddHHmmss field, in China Standard Time.
func ParseTime(s string) (time.Time, error) { return time.ParseInLocation(timeLayout, s, cst) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
