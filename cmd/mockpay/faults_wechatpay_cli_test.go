package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/internal/merchant"
)

// check runs against a WeChat Pay merchant (--app is its mch_id): a shop
// that verifies the APIv2 sign passes, one that acknowledges everything
// fails the broken notifications.
func TestCLICheckWechatpay(t *testing.T) {
	s := newSandbox(t)
	var apps []map[string]string
	s.api("/apps", &apps)
	var c *merchant.WeChatV2
	for _, a := range apps {
		if a["protocol"] == "wechatpay" {
			c = &merchant.WeChatV2{BaseURL: a["api_base_url"], AppID: a["appid"], MchID: a["mch_id"], Key: a["apiv2_key"]}
			break
		}
	}
	if c == nil {
		t.Fatal("no WeChat Pay merchant in the fixtures")
	}
	shop := func(verify bool) *httptest.Server {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
			if err != nil {
				http.Error(w, "too large", http.StatusRequestEntityTooLarge)
				return
			}
			f, err := merchant.V2Decode(b)
			if verify && (err != nil || f["sign"] == "" || merchant.V2Sign(f, c.Key, "MD5") != f["sign"]) {
				w.Write([]byte(`<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[签名失败]]></return_msg></xml>`))
				return
			}
			w.Write([]byte(`<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>`))
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	good, careless := shop(true), shop(false)
	a, err := c.Call("/pay/unifiedorder", "MD5", map[string]string{"body": "check", "out_trade_no": "CLIWXCHECK1", "total_fee": "100",
		"spbill_create_ip": "127.0.0.1", "notify_url": good.URL + "/wx", "trade_type": "NATIVE"})
	if err != nil || a.Code() != "" {
		t.Fatalf("unifiedorder: %v %s", err, a.Raw)
	}
	s.mustCLI("pay", "--app", c.MchID, "--out-trade-no", "CLIWXCHECK1")
	out := s.mustCLI("check", "--notify-url", good.URL+"/wx", "--app", c.MchID)
	if !strings.Contains(out, "9 passed, 0 failed, 1 skipped") || !strings.Contains(out, "PASS  tampered") {
		t.Fatalf("check of a verifying shop:\n%s", out)
	}
	out, err = s.cli("check", "--notify-url", careless.URL+"/wx", "--app", c.MchID)
	if exitCode(err) != 1 || !strings.Contains(out, "FAIL  forged") || !strings.Contains(out, "FAIL  wrong_key") || !strings.Contains(out, "PASS  genuine") {
		t.Fatalf("check of a careless shop: %v\n%s", err, out)
	}
}
