package v2

import "testing"

func TestVerifyPaySign(t *testing.T) {
	key := testKey
	for _, st := range []SignType{MD5, HMACSHA256} {
		p := map[string]string{"appId": "wxd930ea5d5a258f4f", "nonceStr": "n1", "package": "prepay_id=wx1",
			"signType": string(st), "timeStamp": "1700000000"}
		v := Values{}
		for k, s := range p {
			v[k] = s
		}
		p["paySign"] = Sign(v, key, st)
		get := func(k string) string { return p[k] }
		if !VerifyPaySign(get, key, string(st)) {
			t.Errorf("%s: a good paySign is refused", st)
		}
		if VerifyPaySign(get, "other", string(st)) {
			t.Errorf("%s: verifies under another key", st)
		}
		other := map[SignType]string{MD5: "HMAC-SHA256", HMACSHA256: "MD5"}[st]
		if VerifyPaySign(get, key, other) {
			t.Errorf("%s: accepted for an order of sign type %s", st, other)
		}
		p["package"] = "prepay_id=wx2"
		if VerifyPaySign(get, key, string(st)) {
			t.Errorf("%s: a changed package verifies", st)
		}
	}
}
