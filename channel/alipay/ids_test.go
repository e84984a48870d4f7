package alipay

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/mapi"
	"github.com/mockpay/mockpay/channel/alipay/openapi"
	"github.com/mockpay/mockpay/payment"
)

// 20:00 UTC on 1 May is 04:00 on 2 May in GMT+8: an id dated in UTC would
// start 20260501 (§4.6 ids carry the GMT+8 date).
var lateUTC = time.Date(2026, 5, 1, 20, 0, 0, 0, time.UTC)

// TestOpenAPITradeNo: yyyyMMdd + "22" + 18 digits, 28 in all (§4.6).
func TestOpenAPITradeNo(t *testing.T) {
	shape := regexp.MustCompile(`^[0-9]{28}$`)
	cases := []struct {
		now  time.Time
		date string
	}{
		{lateUTC, "20260502"},
		{time.Date(2026, 5, 1, 15, 59, 59, 0, time.UTC), "20260501"},
		{time.Date(2026, 5, 1, 16, 0, 0, 0, time.UTC), "20260502"},
		{time.Date(2026, 12, 31, 23, 30, 0, 0, time.FixedZone("PST", -8*3600)), "20270101"},
	}
	for _, c := range cases {
		no := openapi.IDs{}.TradeNo(c.now)
		if !shape.MatchString(no) {
			t.Errorf("TradeNo(%v) = %q, want 28 digits", c.now, no)
			continue
		}
		if no[:8] != c.date {
			t.Errorf("TradeNo(%v) = %q, want date %s (GMT+8)", c.now, no, c.date)
		}
		if no[8:10] != "22" {
			t.Errorf("TradeNo(%v) = %q, want \"22\" at positions 8-9", c.now, no)
		}
	}
	if a, b := (openapi.IDs{}).TradeNo(lateUTC), (openapi.IDs{}).TradeNo(lateUTC); a == b {
		t.Errorf("two trade numbers at the same instant are equal: %s", a)
	}
}

// TestOpenAPINotifyID: 34 digits starting with the GMT+8 date (§3.2, §4.6).
func TestOpenAPINotifyID(t *testing.T) {
	shape := regexp.MustCompile(`^20260502[0-9]{26}$`)
	a, b := openapi.IDs{}.NotifyID(lateUTC), openapi.IDs{}.NotifyID(lateUTC)
	for _, id := range []string{a, b} {
		if !shape.MatchString(id) {
			t.Errorf("NotifyID = %q (len %d), want 34 digits starting 20260502", id, len(id))
		}
	}
	if a == b {
		t.Errorf("two notify ids at the same instant are equal: %s", a)
	}
}

// TestMAPIIDs: legacy trade numbers have 21 after the date and legacy
// notify_ids are 32 hex digits and 2 letters or digits (§4.6).
func TestMAPIIDs(t *testing.T) {
	if no := (mapi.IDs{}).TradeNo(lateUTC); !regexp.MustCompile(`^2026050221[0-9]{18}$`).MatchString(no) {
		t.Errorf("legacy trade_no %q", no)
	}
	shape := regexp.MustCompile(`^[0-9a-f]{32}[0-9a-z]{2}$`)
	seen := map[string]bool{}
	for range 200 {
		id := mapi.IDs{}.NotifyID(lateUTC)
		if !shape.MatchString(id) || seen[id] {
			t.Fatalf("legacy notify_id %q (repeat: %v)", id, seen[id])
		}
		seen[id] = true
	}
}

// TestIDsRegistered: the set hands the domain each protocol's own formats.
func TestIDsRegistered(t *testing.T) {
	set, err := channelSet()
	if err != nil {
		t.Fatal(err)
	}
	for p, shape := range map[payment.Protocol]string{
		payment.ProtocolOpenAPI: `^2026050222[0-9]{18}$`,
		payment.ProtocolLegacy:  `^2026050221[0-9]{18}$`,
	} {
		ids, ok := set.IDs(p)
		if !ok {
			t.Fatalf("protocol %q registered no ids", p)
		}
		if no := ids.TradeNo(lateUTC); !regexp.MustCompile(shape).MatchString(no) {
			t.Errorf("protocol %q: trade_no %q", p, no)
		}
	}
}

func TestCST(t *testing.T) {
	if _, off := lateUTC.In(payment.CST).Zone(); off != 8*3600 {
		t.Errorf("CST offset = %ds, want +8h", off)
	}
}

// channelSet registers Alipay alone, with pages that are never visited.
func channelSet() (*channel.Set, error) {
	return channel.NewSet(New(Deps{Pages: noPages{}}))
}

type noPages struct{}

func (noPages) OrderPath(string) string                                 { return "" }
func (noPages) ScanPath(string) string                                  { return "" }
func (noPages) RefundBatchPath(string) string                           { return "" }
func (noPages) TradePath(string) string                                 { return "" }
func (noPages) WriteError(http.ResponseWriter, channel.ErrorView) error { return nil }
