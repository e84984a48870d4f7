package instance_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/internal/merchant"
)

// TestLegacyBadSignatureDiagnosis: a MAPI request signed the way a mistaken
// integration signs it is journaled with the mistake named (issue 11 item
// 1, alipay-protocol.md §1.2), the verified string without the MD5 key, and
// each parameter marked signed or not.
func TestLegacyBadSignatureDiagnosis(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := controlapi.New(e.app.URL)
	l := e.partner(md5PID)
	p, _ := e.app.Apps.App(md5PID)
	key := kit.Creds(p).Legacy.MD5Key
	md5Of := func(s string) string { sum := md5.Sum([]byte(s)); return hex.EncodeToString(sum[:]) }

	cases := []struct {
		name, cause string
		sign        func(v map[string][]string) string
	}{
		{"key joined as &key=", "md5_key", func(v map[string][]string) string {
			return md5Of(merchant.Canonical(v, "sign", "sign_type") + "&key=" + key)
		}},
		{"sign_type signed", "canonical_rule", func(v map[string][]string) string {
			return md5Of(merchant.Canonical(v, "sign") + key)
		}},
		{"another key", "unexplained", func(v map[string][]string) string {
			return md5Of(merchant.Canonical(v, "sign", "sign_type") + "not-the-key")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			from, err := c.Requests(ctx, controlapi.RequestFilter{})
			if err != nil {
				t.Fatal(err)
			}
			v := l.Params("single_trade_query", map[string]string{"out_trade_no": "JL-1", "extra": ""})
			v.Set("sign", tc.sign(v))
			e.postForm(e.app.URL+"/gateway.do", v)
			got, err := c.Requests(ctx, controlapi.RequestFilter{AppID: md5PID, Since: from.Next})
			if err != nil || len(got.Requests) != 1 {
				t.Fatalf("journal: %+v %v", got, err)
			}
			r := got.Requests[0]
			d := r.Diagnosis
			if r.Verdict != "rejected" || d == nil {
				t.Fatalf("entry = %+v", r)
			}
			if d.Cause != tc.cause {
				t.Errorf("cause = %q (%s), want %q", d.Cause, d.Summary, tc.cause)
			}
			want := "_input_charset=utf-8&out_trade_no=JL-1&partner=" + md5PID + "&service=single_trade_query"
			if d.Canonical != want || strings.Contains(d.Canonical, key) {
				t.Errorf("canonical = %q, want %q", d.Canonical, want)
			}
			signed := map[string]bool{}
			for _, p := range d.Params {
				signed[p.Key] = p.Signed
			}
			if !signed["out_trade_no"] || signed["sign"] || signed["sign_type"] || signed["extra"] {
				t.Errorf("params = %+v", d.Params)
			}
		})
	}
}
