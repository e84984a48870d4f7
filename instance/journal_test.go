package instance_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/controlapi"
)

// TestRequestJournal: a good call and a bad-signature call both appear in
// GET /_mockpay/api/requests with their verdicts, the bad one with the
// diagnosis, and no entry carries the app's private key (issue 11 item 1).
func TestRequestJournal(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := controlapi.New(e.app.URL)

	e.pay("J1", "1.00")
	e.shop.next(t)
	// The pay's own page.pay and cashier requests come before: start after them.
	before, err := c.Requests(ctx, controlapi.RequestFilter{})
	if err != nil {
		t.Fatal(err)
	}
	from := before.Next
	good := e.m.Params("alipay.trade.query", map[string]string{"out_trade_no": "J1"}, nil)
	e.postForm(e.app.URL+"/gateway.do", good)
	bad := e.m.Params("alipay.trade.query", map[string]string{"out_trade_no": "J2"}, nil)
	bad.Set("biz_content", `{"out_trade_no":"tampered"}`)
	e.postForm(e.app.URL+"/gateway.do", bad)

	got, err := c.Requests(ctx, controlapi.RequestFilter{AppID: e.m.AppID, Since: from})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Requests) != 2 {
		t.Fatalf("journal = %+v, want 2 entries", got.Requests)
	}
	ok, rej := got.Requests[0], got.Requests[1]
	// The trade exists and is paid: the query is accepted.
	if ok.Method != "alipay.trade.query" || ok.Surface != "channel" || ok.Path != "/gateway.do" ||
		ok.Verdict != "accepted" || ok.Code != "" || ok.SubCode != "" {
		t.Errorf("first entry = %+v", ok)
	}
	if rej.Verdict != "rejected" || rej.SubCode != "isv.invalid-signature" || rej.Diagnosis == nil ||
		!strings.Contains(rej.Diagnosis.Canonical, "tampered") || rej.Diagnosis.Cause == "" {
		t.Errorf("bad-signature entry = %+v", rej)
	}
	only, err := c.Requests(ctx, controlapi.RequestFilter{Verdict: "rejected", Since: ok.ID - 1})
	if err != nil || len(only.Requests) == 0 || only.Requests[0].Verdict != "rejected" {
		t.Errorf("verdict=rejected: %+v %v", only, err)
	}

	// A legacy partner's tampered call is journaled with its code, and the
	// MD5 key (which an MD5 canonical string would end with) is never kept.
	l := e.partner(md5PID)
	v := l.Params("single_trade_query", map[string]string{"out_trade_no": "J3"})
	v.Set("out_trade_no", "J3-tampered")
	e.postForm(e.app.URL+"/gateway.do", v)
	legacy, err := c.Requests(ctx, controlapi.RequestFilter{AppID: md5PID})
	if err != nil || len(legacy.Requests) != 1 || legacy.Requests[0].Verdict != "rejected" || legacy.Requests[0].Code == "" {
		t.Errorf("legacy tampered call: %+v %v", legacy, err)
	}

	a, _ := e.app.Apps.App(e.m.AppID)
	p, _ := e.app.Apps.App(md5PID)
	_, raw := e.get(e.app.URL + "/_mockpay/api/requests")
	for _, secret := range []string{a.AppPrivateKeyPEM, pemBody(a.AppPrivateKeyPEM), kit.Creds(p).Legacy.MD5Key} {
		if secret != "" && strings.Contains(raw, secret) {
			t.Fatal("the journal holds the app's private key")
		}
	}

	// A long poll from the last id returns when the next request arrives.
	done := make(chan controlapi.Requests, 1)
	go func() {
		r, _ := c.Requests(ctx, controlapi.RequestFilter{Since: got.Next, Wait: 30 * time.Second})
		done <- r
	}()
	time.Sleep(50 * time.Millisecond) // not required for correctness: the poll returns either way
	e.get(e.app.URL + "/gateway.do?method=alipay.trade.query")
	r := <-done
	if len(r.Requests) == 0 || r.Requests[0].ID <= got.Next {
		b, _ := json.Marshal(r)
		t.Fatalf("long poll = %s", b)
	}
}

// pemBody is a PEM's base64 without its armour lines, joined.
func pemBody(p string) string {
	var b strings.Builder
	for _, l := range strings.Split(p, "\n") {
		if !strings.HasPrefix(l, "-----") {
			b.WriteString(strings.TrimSpace(l))
		}
	}
	return b.String()[:min(64, b.Len())]
}
