package payment

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// CST is China Standard Time (GMT+8, no daylight saving): the platforms
// mockpay emulates date their ids and messages in it.
var CST = time.FixedZone("CST", 8*3600)

// IDs is how a protocol shapes the ids the platform issues, so merchant code
// that stores or validates them sees realistic values. Each channel
// registers its protocols' formats (channel.Protocol.IDs); the domain asks
// for them through IDFormats and never knows their shape.
type IDs interface {
	// TradeNo is a new platform trade number at now.
	TradeNo(now time.Time) string
	// NotifyID is a new notification id at now, the same on every retry
	// of that notification.
	NotifyID(now time.Time) string
}

// IDFormats finds a protocol's id formats; the wiring injects the
// registered channels (channel.Set).
type IDFormats interface {
	IDs(p Protocol) (IDs, bool)
}

// ids is the format of protocol p, or the domain's own when no channel
// registered p (a Service built without channels, as in the domain's tests).
func (s *Service) ids(p Protocol) IDs {
	if s.IDs != nil {
		if f, ok := s.IDs.IDs(p); ok {
			return f
		}
	}
	return plainIDs{}
}

// plainIDs are ids of no platform: the UTC date and random hex.
type plainIDs struct{}

func (plainIDs) TradeNo(now time.Time) string {
	return "T" + now.UTC().Format("20060102") + randomHex(12)
}
func (plainIDs) NotifyID(now time.Time) string {
	return "N" + now.UTC().Format("20060102") + randomHex(16)
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}
