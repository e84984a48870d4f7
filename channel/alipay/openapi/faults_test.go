package openapi_test

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/openapi"
	"github.com/mockpay/mockpay/payment"
)

// Every forgery is a well-formed notification form that does not verify
// under the platform key, as a merchant's SDK checks it (§3.3); tamper
// claims ten times the amount; signtest is WeChat Pay's, not Alipay's.
func TestForge(t *testing.T) {
	app := fixtureApp(t, appRSA2)
	reg := payment.NewRegistry()
	if err := reg.Put(app); err != nil {
		t.Fatal(err)
	}
	n := &payment.Notification{NotifyID: "2026050201220000000000000000000009", AppID: app.AppID, Kind: payment.KindTrade, Trade: paidTrade(app)}
	f := openapi.Faults{Apps: reg}
	pub := platformPublic(t, appRSA2)
	genuine, err := openapi.NotificationBody(app, n, notifyTime)
	if err != nil {
		t.Fatal(err)
	}
	for _, how := range []channel.Forgery{channel.ForgeWrongKey, channel.ForgeTamper, channel.ForgeBadSignature, channel.ForgeNoSignature, channel.ForgeOversize} {
		req, err := f.Forge(n, notifyTime, how)
		if err != nil {
			t.Fatalf("%s: %v", how, err)
		}
		if !strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded") || req.Body == genuine {
			t.Fatalf("%s: %v %q", how, req.Header, req.Body)
		}
		v, err := url.ParseQuery(req.Body)
		if err != nil {
			t.Fatalf("%s: not a form: %v", how, err)
		}
		m := map[string]string{}
		for k := range v {
			m[k] = v.Get(k)
		}
		if verifyRaw(pub, "RSA2", []byte(canonicalOf(m, "sign", "sign_type")), m["sign"]) == nil {
			t.Errorf("%s verifies under the platform key", how)
		}
		if (m["sign"] == "") != (how == channel.ForgeNoSignature) || m["notify_id"] != n.NotifyID {
			t.Errorf("%s: sign %q, notify_id %q", how, m["sign"], m["notify_id"])
		}
		wantAmount := "13.50"
		if how == channel.ForgeTamper {
			wantAmount = "135.00"
			if m["receipt_amount"] != wantAmount || m["buyer_pay_amount"] != wantAmount || !strings.Contains(m["fund_bill_list"], `"amount":"135.00"`) {
				t.Errorf("tamper left an amount: %v", m)
			}
		}
		if m["total_amount"] != wantAmount {
			t.Errorf("%s: total_amount %s", how, m["total_amount"])
		}
		if how == channel.ForgeOversize && len(req.Body) < 2<<20 {
			t.Errorf("oversize body is %d bytes", len(req.Body))
		}
	}
	if _, err := f.Forge(n, notifyTime, channel.ForgeProbe); !errors.Is(err, channel.ErrNoFault) {
		t.Errorf("signtest: %v", err)
	}
}

// Busy is 20000 with aop.ACQ.SYSTEM_ERROR for a trade API, isp.unknow-error
// otherwise, signed over the node as every answer to a known app (§2.5,
// §2.6); an unknown app gets it unsigned.
func TestBusy(t *testing.T) {
	app := fixtureApp(t, appRSA2)
	reg := payment.NewRegistry()
	if err := reg.Put(app); err != nil {
		t.Fatal(err)
	}
	f := openapi.Faults{Apps: reg}
	r := httptest.NewRequest("POST", "/gateway.do?charset=utf-8", nil)
	for method, sub := range map[string]string{"alipay.trade.query": "aop.ACQ.SYSTEM_ERROR", "alipay.data.dataservice.bill.downloadurl.query": "isp.unknow-error"} {
		ans, err := f.Busy(r, app.AppID, method)
		if err != nil {
			t.Fatal(err)
		}
		node := openapi.NodeName(method)
		body := string(ans.Body)
		i, j := strings.Index(body, `{"code"`), strings.Index(body, `,"sign":`)
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(ans.Body, &doc); err != nil || i < 0 || j < i {
			t.Fatalf("%s: %v %s", method, err, body)
		}
		var sig string
		_ = json.Unmarshal(doc["sign"], &sig)
		if err := verifyRaw(platformPublic(t, appRSA2), "RSA2", []byte(body[i:j]), sig); err != nil {
			t.Errorf("%s: busy answer does not verify: %v", method, err)
		}
		var n map[string]string
		_ = json.Unmarshal(doc[node], &n)
		if n["code"] != "20000" || n["msg"] != "Service Currently Unavailable" || n["sub_code"] != sub || ans.Code != "20000" || ans.SubCode != sub {
			t.Errorf("%s: %s", method, body)
		}
	}
	ans, err := f.Busy(r, "2021000199999999", "alipay.trade.query")
	if err != nil || strings.Contains(string(ans.Body), `"sign"`) {
		t.Errorf("unknown app: %v %s", err, ans.Body)
	}
}
