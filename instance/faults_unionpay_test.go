package instance_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/channel/unionpay/acp"
)

// newUpShop is a UnionPay shop that verifies back notifications as the
// SDK's AcpService.validate does (the driver's verify: the signPubKeyCert
// chained to UnionPay's root, then SHA256withRSA over the sorted fields),
// answering 400 to what fails and 200 "ok" to the rest.
func newUpShop(t *testing.T, d *unionPayDriver) (*httptest.Server, chan acp.Fields) {
	got := make(chan acp.Fields, 100)
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
		if err != nil {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		v, _ := url.ParseQuery(string(b))
		f := acp.Fields{}
		for k := range v {
			f[k] = v.Get(k)
		}
		if f["signature"] == "" || d.verify(f) != nil {
			http.Error(w, "bad signature", http.StatusBadRequest)
			return
		}
		got <- f
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(s.Close)
	return s, got
}

// reqReserved's marker selects the chain: a shop that answers 200 to
// everything acknowledges the tampered copy (txnAmt ×10, signed by another
// key), a canary_accepted verdict.
func TestFaultsUnionPayCanaryAccepted(t *testing.T) {
	e, d := upEnv(t)
	queryID := upPayWith(t, e, d, acp.Fields{"txnType": "01", "orderId": "UPFAULT01", "txnAmt": "1500", "reqReserved": "mockpay-faults(tamper,signtest)"})
	forged, genuine := e.shop.next(t), e.shop.next(t)
	if forged.Get("txnAmt") != "15000" || genuine.Get("txnAmt") != "1500" || genuine.Get("reqReserved") != "mockpay-faults(tamper,signtest)" {
		t.Fatalf("forged %v, genuine %v", forged, genuine)
	}
	ff := acp.Fields{}
	for k := range forged {
		ff[k] = forged.Get(k)
	}
	if d.verify(ff) == nil {
		t.Fatal("the tampered copy verifies")
	}
	// UnionPay sends no signature probe, and says so.
	if as := e.attempts(queryID); len(as) != 3 || !strings.Contains(as[1]["verdict"].(string), "has no signtest notification") {
		t.Fatalf("attempts = %v", as)
	}
	v := e.verdicts()
	if v.OK || v.Canaries != 1 || len(v.Failures) != 1 || v.Failures[0].Kind != "canary_accepted" || v.Failures[0].TradeNo != queryID {
		t.Fatalf("verdicts = %+v", v)
	}
}

// A verifying shop refuses every canary.
func TestFaultsUnionPayCanariesRefused(t *testing.T) {
	e, d := upEnv(t)
	shop, got := newUpShop(t, d)
	// Five sends in all (§5.2): four canaries, then the genuine one.
	e.setFaults(d.app.AppID, "tamper,wrongkey,forge,nosign")
	queryID := upPayWith(t, e, d, acp.Fields{"txnType": "01", "orderId": "UPFAULT02", "txnAmt": "1500", "backUrl": shop.URL + "/back"})
	select {
	case f := <-got:
		if f["txnAmt"] != "1500" {
			t.Fatalf("acknowledged %v", f)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no verified notification: %v", e.attempts(queryID))
	}
	as := e.attempts(queryID)
	if len(as) != 5 || as[4]["acked"] != true {
		t.Fatalf("attempts = %v", as)
	}
	for _, a := range as[:4] {
		if a["status_code"].(float64) != 400 || a["failure"] != nil {
			t.Fatalf("canary attempt = %v", a)
		}
	}
	if v := e.verdicts(); !v.OK || v.Canaries != 4 {
		t.Fatalf("verdicts = %+v", v)
	}
}

// busy: the refund answers respCode 06 系统繁忙, signed, the request's
// fields echoed, and still happens: the query finds it.
func TestFaultsUnionPayBusy(t *testing.T) {
	e, d := upEnv(t)
	queryID := upPay(t, e, d, "01", "UPFAULT03", "1500")
	e.shop.next(t)
	e.setFaults(d.app.AppID, "busy:*:1")
	a := upBack(t, e, d, "04", "UPFAULTR3", "500", queryID)
	if a["respCode"] != "06" || a["respMsg"] != "系统繁忙" || a["orderId"] != "UPFAULTR3" || a["txnType"] != "04" {
		t.Fatalf("busy refund: %v", a)
	}
	q := d.call(t, "/gateway/api/queryTrans.do", acp.Fields{"txnType": "00", "txnSubType": "00", "bizType": "000000", "accessType": "0",
		"orderId": "UPFAULTR3", "txnTime": contractTxnTime})
	if q["respCode"] != "00" || q["origRespCode"] != "00" || q["txnAmt"] != "500" {
		t.Fatalf("query after busy: %v", q)
	}
}

// The end of the refund window is not notified: UnionPay has no such
// notification, and the domain's "finished" one used to go out as the
// consume's again.
func TestUnionPayFinishIsQuiet(t *testing.T) {
	e, d := upEnv(t)
	upPay(t, e, d, "01", "UPFINISH1", "1500")
	e.shop.next(t)
	e.clock.Advance(331 * 24 * time.Hour)
	e.settle()
	select {
	case v := <-e.shop.received:
		t.Errorf("a notification after the refund window ended: %v", v)
	case <-time.After(500 * time.Millisecond):
	}
}
