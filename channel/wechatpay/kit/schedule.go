package kit

import (
	"time"

	"github.com/mockpay/mockpay/channel"
)

// Schedule is WeChat Pay's wait after each failed notification attempt, v2
// and v3 alike (wechatpay-protocol.md §3): 15 intervals summing to 24h 4m,
// counted after the first attempt (the digest leaves open whether the
// first attempt is one of the 15; mockpay sends it and then 15 retries).
var Schedule = channel.Schedule{
	15 * time.Second, 15 * time.Second, 30 * time.Second, 3 * time.Minute,
	10 * time.Minute, 20 * time.Minute, 30 * time.Minute, 30 * time.Minute,
	30 * time.Minute, time.Hour, 3 * time.Hour, 3 * time.Hour, 3 * time.Hour,
	6 * time.Hour, 6 * time.Hour,
}

// Timeout is how long the platform waits for the shop's answer: 5 s
// (§2.8, P-V3-13).
const Timeout = 5 * time.Second
