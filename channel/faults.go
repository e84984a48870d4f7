package channel

import (
	"errors"
	"net/http"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// Faults is what a protocol lends mockpay's fault scenarios (faults/): the
// requests only the platform could sign wrongly, and its own "system busy"
// answer. It is optional: without it the delivery canaries and the busy
// answer of that protocol are refused with ErrNoFault, and every other
// scenario (duplicates, delays, drops, latency, timeouts, resets) still
// works, since the core plays those.
//
// A channel provides its own by setting Protocol.Faults: Forge renders the
// notification as Encode would, then breaks it the way asked, each in the
// platform's wire format (Alipay: a form's sign field; WeChat Pay: the
// Wechatpay-Signature header, and Probe its WECHATPAY/SIGNTEST/ value).
type Faults struct {
	// Forge renders n for an attempt at at, broken as f says. A forgery the
	// protocol has no form for answers ErrNoFault.
	Forge func(n *payment.Notification, at time.Time, f Forgery) (Request, error)
	// Busy is the platform's "system busy, result unknown" answer to a call
	// of method by app (Alipay OpenAPI: 20000 Service Currently
	// Unavailable, isp.unknow-error; WeChat Pay: 500 SYSTEM_ERROR), signed
	// as the platform signs its errors. The request is the call, already
	// served; its body can be read again (up to MaxBodyBytes), for the
	// fields a platform echoes or signs its answer by (WeChat Pay APIv2's
	// sign_type, UnionPay's scheme).
	Busy func(r *http.Request, app, method string) (BusyAnswer, error)
	// RefuseStale says what a correct shop does with a genuine notification
	// whose signed time is two days old (mockpay check's stale check): true
	// when the platform's SDKs refuse it (WeChat Pay: a Wechatpay-Timestamp
	// 5 minutes or more old, wechatpay-protocol.md §4), false when they do
	// not look (Alipay: notify_time is not verified), so the shop must
	// acknowledge it and not process it again.
	RefuseStale bool
}

// Forgery is how a canary notification is broken.
type Forgery string

const (
	// ForgeWrongKey is the genuine content signed with a key that is not
	// the platform's.
	ForgeWrongKey Forgery = "wrong_key"
	// ForgeTamper changes the amount and signs the result with a key that
	// is not the platform's: what an attacker who skipped the checkout
	// would post.
	ForgeTamper Forgery = "tamper"
	// ForgeBadSignature keeps the content and replaces the signature with
	// bytes of the right shape that verify under no key.
	ForgeBadSignature Forgery = "forged_signature"
	// ForgeNoSignature sends the content without any signature.
	ForgeNoSignature Forgery = "no_signature"
	// ForgeProbe is WeChat Pay's signature probe: a signature starting
	// WECHATPAY/SIGNTEST/ that the shop must reject (wechatpay-protocol.md
	// §2.3). Only a protocol whose platform sends it provides it.
	ForgeProbe Forgery = "signtest"
	// ForgeOversize pads the genuine, signed form or body with a large
	// unknown field; the signature no longer covers the body.
	ForgeOversize Forgery = "oversize"
	// ForgeStale is the genuine notification signed as if two days ago:
	// mockpay check's stale replay for a protocol whose notifications sign
	// a wall-clock time of their own, apart from the attempt's (WeChat Pay
	// APIv3's Wechatpay-Timestamp). A protocol whose Encode already signs
	// the time it is given does not need it.
	ForgeStale Forgery = "stale"
)

// ErrNoFault is a Faults function's answer to a fault its protocol has no
// form for.
var ErrNoFault = errors.New("this protocol has no such fault")

// BusyAnswer is a platform's "system busy" reply as sent.
type BusyAnswer struct {
	Status int
	Header http.Header
	Body   []byte
	// Code and SubCode are the platform's error in it, for the request
	// journal.
	Code, SubCode string
}
