package instance_test

import (
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/sign"
)

// wxShop is a WeChat Pay APIv3 shop. A verifying one does what the SDKs'
// notification handlers do (wechatpay-go's notify.Handler): the
// Wechatpay-Signature over timestamp, nonce and body with the platform's
// key, a Wechatpay-Timestamp within 5 minutes; it answers 401 to what fails
// and 204 to the rest. A careless one answers 204 to everything.
type wxShop struct {
	*httptest.Server
	got chan wxNote
}

type wxNote struct {
	h    http.Header
	body string
}

func newWxShop(t *testing.T, e *env, m wxMerchant, verify bool) *wxShop {
	var pub *rsa.PublicKey
	if certs, err := sign.ParseCertificates(m.PlatformCert); err == nil {
		pub = certs[0].PublicKey.(*rsa.PublicKey)
	} else if pub, err = sign.ParsePublicKey(m.PlatformCert); err != nil {
		t.Fatal(err)
	}
	s := &wxShop{got: make(chan wxNote, 100)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
		if err != nil {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		h := r.Header
		if verify {
			ts, err := strconv.ParseInt(h.Get("Wechatpay-Timestamp"), 10, 64)
			skew := e.clock.Now().Sub(time.Unix(ts, 0))
			msg := h.Get("Wechatpay-Timestamp") + "\n" + h.Get("Wechatpay-Nonce") + "\n" + string(b) + "\n"
			if err != nil || skew >= 5*time.Minute || skew <= -5*time.Minute ||
				sign.VerifyRSA(pub, sign.RSA2, []byte(msg), h.Get("Wechatpay-Signature")) != nil {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"code":"FAIL","message":"签名错误"}`))
				return
			}
		}
		s.got <- wxNote{h.Clone(), string(b)}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *wxShop) next(t *testing.T) wxNote {
	t.Helper()
	select {
	case n := <-s.got:
		return n
	case <-time.After(10 * time.Second):
		t.Fatal("no notification reached the shop")
		return wxNote{}
	}
}

// wxPaid orders out_trade_no through APIv3 with the attach given and pays
// it; it returns the transaction_id.
func (e *env) wxPaid(m wxMerchant, notifyURL, otn, attach string, total int) string {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"appid": m.AppID, "mchid": m.MchID, "description": "faults", "out_trade_no": otn,
		"notify_url": notifyURL, "attach": attach, "amount": map[string]any{"total": total}})
	if rsp, b := e.wx(m, "POST", "/v3/pay/transactions/native", string(body), e.clock.Now().Unix(), nil); rsp.StatusCode != 200 {
		e.t.Fatalf("native: %d %s", rsp.StatusCode, b)
	}
	var out map[string]any
	if code := e.api("POST", "/apps/"+m.MchID+"/orders/"+otn+"/pay", nil, &out); code != 200 {
		e.t.Fatalf("pay: %d %v", code, out)
	}
	var ts []map[string]any
	e.api("GET", "/trades?app_id="+m.MchID+"&out_trade_no="+otn, nil, &ts)
	if len(ts) != 1 {
		e.t.Fatalf("trades: %v", ts)
	}
	return ts[0]["trade_no"].(string)
}

// A shop that acknowledges the tampered copy (chosen by the order's attach
// marker) has a canary_accepted verdict; the copy's signature verifies
// under no platform key.
func TestFaultsWechatpayV3CanaryAccepted(t *testing.T) {
	e := newEnv(t)
	m := e.wxMerchant("public_key")
	shop := newWxShop(t, e, m, false)
	tradeNo := e.wxPaid(m, shop.URL+"/wx", "WXFLT-1", "order 1 mockpay-faults(tamper,signtest)", 100)
	forged, probe, genuine := shop.next(t), shop.next(t), shop.next(t)
	if forged.h.Get("Wechatpay-Signature") == genuine.h.Get("Wechatpay-Signature") || forged.body == genuine.body {
		t.Fatal("the forged copy is the genuine one")
	}
	// The probe is the notification (its envelope id; the resource is
	// encrypted afresh each attempt) under a WECHATPAY/SIGNTEST/ value
	// (wechatpay-protocol.md §2.3).
	id := func(body string) string {
		var env struct{ ID string }
		_ = json.Unmarshal([]byte(body), &env)
		return env.ID
	}
	if !strings.HasPrefix(probe.h.Get("Wechatpay-Signature"), "WECHATPAY/SIGNTEST/") || id(probe.body) == "" || id(probe.body) != id(genuine.body) {
		t.Fatalf("probe: %v %s", probe.h, probe.body)
	}
	verifyWx(t, m, genuine.h, genuine.body)
	v := e.verdicts()
	if v.OK || v.Canaries != 2 || len(v.Failures) != 2 || v.Failures[0].Kind != "canary_accepted" || v.Failures[0].TradeNo != tradeNo {
		t.Fatalf("verdicts = %+v", v)
	}
}

// A verifying shop refuses every canary, the signtest probe among them,
// and acknowledges the genuine notification; the verdicts stay ok.
func TestFaultsWechatpayV3CanariesRefused(t *testing.T) {
	e := newEnv(t)
	m := e.wxMerchant("certificate")
	shop := newWxShop(t, e, m, true)
	e.setFaults(m.MchID, "tamper,wrongkey,forge,nosign,signtest")
	tradeNo := e.wxPaid(m, shop.URL+"/wx", "WXFLT-2", "", 100)
	if n := shop.next(t); !strings.Contains(n.body, "TRANSACTION.SUCCESS") {
		t.Fatalf("acknowledged: %s", n.body)
	}
	as := e.attempts(tradeNo)
	if len(as) != 6 || as[5]["acked"] != true {
		t.Fatalf("attempts = %v", as)
	}
	for _, a := range as[:5] {
		if a["status_code"].(float64) != 401 || !strings.HasPrefix(a["verdict"].(string), "canary (") || a["failure"] != nil {
			t.Fatalf("canary attempt = %v", a)
		}
	}
	if v := e.verdicts(); !v.OK || v.Canaries != 5 {
		t.Fatalf("verdicts = %+v", v)
	}
}

// busy: the refund answers 500 SYSTEM_ERROR, signed, and still happens.
func TestFaultsWechatpayV3Busy(t *testing.T) {
	e := newEnv(t)
	m := e.wxMerchant("public_key")
	shop := newWxShop(t, e, m, true)
	e.wxPaid(m, shop.URL+"/wx", "WXFLT-3", "", 100)
	shop.next(t)
	e.setFaults(m.MchID, "busy:refund:1")
	refund := `{"out_trade_no":"WXFLT-3","out_refund_no":"WXRFD-3","amount":{"refund":40,"total":100,"currency":"CNY"}}`
	rsp, b := e.wx(m, "POST", "/v3/refund/domestic/refunds", refund, e.clock.Now().Unix(), nil)
	if rsp.StatusCode != 500 || b != `{"code":"SYSTEM_ERROR","message":"系统错误"}` {
		t.Fatalf("busy refund: %d %s", rsp.StatusCode, b)
	}
	verifyWx(t, m, rsp.Header, b)
	rsp, b = e.wx(m, "GET", "/v3/refund/domestic/refunds/WXRFD-3", "", e.clock.Now().Unix(), nil)
	if rsp.StatusCode != 200 || !strings.Contains(b, `"refund":40`) {
		t.Fatalf("refund query after busy: %d %s", rsp.StatusCode, b)
	}
}

// mockpay check runs against a WeChat Pay merchant: a verifying shop
// passes every check, the stale replay refused (its Wechatpay-Timestamp two
// days old); a careless one fails the forged ones and the stale one.
func TestFaultsWechatpayV3Check(t *testing.T) {
	e := newEnv(t)
	m := e.wxMerchant("public_key")
	good := newWxShop(t, e, m, true)
	e.wxPaid(m, good.URL+"/wx", "WXFLT-4", "", 100)
	good.next(t)
	status, rep, raw := e.check(controlapi.CheckRequest{NotifyURL: good.URL + "/wx", AppID: m.MchID})
	if status != http.StatusOK || !rep.Passed {
		t.Fatalf("check of a verifying shop: %d %s", status, raw)
	}
	for _, c := range rep.Checks {
		if c.Name == "stale" && !strings.Contains(c.Expected, "refused") {
			t.Errorf("stale check: %+v", c)
		}
	}
	bad := newWxShop(t, e, m, false)
	status, rep, raw = e.check(controlapi.CheckRequest{NotifyURL: bad.URL + "/wx", AppID: m.MchID})
	if status != http.StatusOK || rep.Passed {
		t.Fatalf("check of a careless shop: %d %s", status, raw)
	}
	want := map[string]bool{"genuine": true, "forged": false, "unsigned": false, "tampered": false, "wrong_key": false, "stale": false}
	for _, c := range rep.Checks {
		if pass, ok := want[c.Name]; ok && c.Passed != pass {
			t.Errorf("check %s: passed %v, want %v (%s)", c.Name, c.Passed, pass, c.Got)
		}
	}
}
