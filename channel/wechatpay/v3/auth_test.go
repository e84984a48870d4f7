package v3

import "testing"

// TestParseAuthorization: the five parameters in any order (the SDKs
// differ, §2.2), and malformed headers refused.
func TestParseAuthorization(t *testing.T) {
	for _, h := range []string{
		`WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",timestamp="2",serial_no="S",signature="x=="`,
		`WECHATPAY2-SHA256-RSA2048 mchid="1",serial_no="S",timestamp="2",nonce_str="n",signature="x=="`,
	} {
		p, ok := parseAuthorization(h)
		if !ok || p["mchid"] != "1" || p["nonce_str"] != "n" || p["timestamp"] != "2" || p["serial_no"] != "S" || p["signature"] != "x==" {
			t.Errorf("%s: %v %v", h, ok, p)
		}
	}
	for _, h := range []string{"", `Bearer x`, `WECHATPAY2-SHA256-RSA2048 mchid=1`, `WECHATPAY2-SHA256-RSA2048 mchid="1`} {
		if _, ok := parseAuthorization(h); ok {
			t.Errorf("%q parsed", h)
		}
	}
}

func TestCheckNotifyURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://shop.example/notify": true, "http://127.0.0.1:8080/wx/1": true,
		"https://shop.example/notify?a=1": false, "https://shop.example/notify?": false, "/notify": false, "ftp://x/y": false,
	} {
		if got := checkNotifyURL(raw) == nil; got != ok {
			t.Errorf("%s: accepted %v, want %v", raw, got, ok)
		}
	}
}
