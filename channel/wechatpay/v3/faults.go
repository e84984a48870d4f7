package v3

import (
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// Faults are APIv3's fault hooks (channel.Faults): notifications whose
// Wechatpay-Signature header is broken, the signature probe, and the
// platform's 500 SYSTEM_ERROR.
type Faults struct {
	Apps *payment.Registry
	Wall clock.Clock
}

// Hooks is f as the channel contract takes it. RefuseStale: the SDKs
// refuse a Wechatpay-Timestamp 5 minutes or more off their clock
// (wechatpay-protocol.md §2.2, §4), so a correct shop refuses a replay
// signed two days ago.
func (f Faults) Hooks() *channel.Faults {
	return &channel.Faults{Forge: f.Forge, Busy: f.Busy, RefuseStale: true}
}

// probePrefix starts the signature of the platform's probe (§2.3).
const probePrefix = "WECHATPAY/SIGNTEST/"

// staleAge is how old a stale replay's Wechatpay-Timestamp is.
const staleAge = 48 * time.Hour

// Forge renders n's notification as Encode does, then breaks it as asked.
func (f Faults) Forge(n *payment.Notification, at time.Time, how channel.Forgery) (channel.Request, error) {
	nf := Notifier{Apps: f.Apps, Wall: f.Wall}
	req, err := nf.Encode(n, at)
	if err != nil {
		return channel.Request{}, err
	}
	h := req.Header
	resign := func(key *rsa.PrivateKey, ts string, body string) error {
		sig, err := sign.SignRSA(key, sign.RSA2, []byte(ts+"\n"+h.Get("Wechatpay-Nonce")+"\n"+body+"\n"))
		h.Set("Wechatpay-Timestamp", ts)
		h.Set("Wechatpay-Signature", sig)
		return err
	}
	ts := h.Get("Wechatpay-Timestamp")
	switch how {
	case channel.ForgeWrongKey:
		key, err := channel.WrongKey()
		if err != nil {
			return channel.Request{}, err
		}
		return req, resign(key, ts, req.Body)
	case channel.ForgeTamper:
		body, err := f.tampered(n, req.Body)
		if err != nil {
			return channel.Request{}, err
		}
		key, err := channel.WrongKey()
		if err != nil {
			return channel.Request{}, err
		}
		req.Body = body
		return req, resign(key, ts, body)
	case channel.ForgeBadSignature:
		h.Set("Wechatpay-Signature", channel.BadSignature(256))
	case channel.ForgeNoSignature:
		h.Del("Wechatpay-Signature")
	case channel.ForgeProbe:
		// The probe's value is not a signature at all: the prefix, then
		// base64 (§2.3); a shop that verifies refuses it.
		h.Set("Wechatpay-Signature", probePrefix+channel.BadSignature(189))
	case channel.ForgeOversize:
		// Padding after the signed body's last field: the JSON still
		// parses, the signature no longer covers it.
		req.Body = strings.TrimSuffix(req.Body, "}") + `,"mockpay_padding":"` + strings.Repeat("x", channel.OversizeBytes) + `"}`
	case channel.ForgeStale:
		app, ok := f.Apps.App(n.AppID)
		if !ok {
			return channel.Request{}, fmt.Errorf("no merchant %s", n.AppID)
		}
		old := strconv.FormatInt(f.Wall.Now().Add(-staleAge).Unix(), 10)
		return req, resign(app.PlatformPrivateKey(), old, req.Body)
	default:
		return channel.Request{}, channel.ErrNoFault
	}
	return req, nil
}

// tampered is the envelope body with its resource re-encrypted (with the
// merchant's APIv3 key: the worst case, a leaked key) claiming ten times
// the amounts.
func (f Faults) tampered(n *payment.Notification, body string) (string, error) {
	app, ok := f.Apps.App(n.AppID)
	if !ok {
		return "", fmt.Errorf("no merchant %s", n.AppID)
	}
	_, _, originalType, plain, err := Notifier{Apps: f.Apps}.Plain(app, n)
	if err != nil {
		return "", err
	}
	var res map[string]any
	if err := json.Unmarshal(plain, &res); err != nil {
		return "", err
	}
	if amount, ok := res["amount"].(map[string]any); ok {
		for k, v := range amount {
			if x, ok := v.(float64); ok {
				amount[k] = int64(channel.TamperedAmount(payment.Amount(x)))
			}
		}
	}
	if plain, err = json.Marshal(res); err != nil {
		return "", err
	}
	var env Envelope
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		return "", err
	}
	if env.Resource, err = kit.Encrypt(kit.Creds(app).APIv3Key, originalType, originalType, plain); err != nil {
		return "", err
	}
	out, err := json.Marshal(env)
	return string(out), err
}

// Busy is the platform's answer when it cannot tell the outcome: HTTP 500
// SYSTEM_ERROR 系统错误 (§2.7), which the SDKs surface for a retry or a
// query; signed for a known merchant as every answer is.
func (f Faults) Busy(_ *http.Request, mchID, _ string) (channel.BusyAnswer, error) {
	e := apiError(http.StatusInternalServerError, "SYSTEM_ERROR", "系统错误")
	body, err := json.Marshal(e)
	if err != nil {
		return channel.BusyAnswer{}, err
	}
	h := http.Header{}
	if app, ok := f.Apps.App(mchID); ok && kit.Creds(app) != nil {
		if h, err = Signed(app, f.Wall, body); err != nil {
			return channel.BusyAnswer{}, err
		}
	}
	h.Set("Request-ID", requestID())
	h.Set("Content-Type", "application/json; charset=utf-8")
	return channel.BusyAnswer{Status: e.Status, Header: h, Body: body, Code: e.Code}, nil
}
