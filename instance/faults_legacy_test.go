package instance_test

import (
	"testing"

	"github.com/mockpay/mockpay/faults"
)

// MAPI: a trade's marker in extra_common_param sends a copy signed with a
// wrong MD5 key before the genuine one; busy answers single_trade_query
// with SYSTEM_ERROR once.
func TestFaultsLegacyWrongKeyAndBusy(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	order := e.directPay(md5PID, "LF-1", "6.00")
	order["extra_common_param"] = "shop7 " + faults.Marker + "wrongkey)"
	e.legacyPay(l.PageURL("create_direct_pay_by_user", order))
	forged, genuine := e.shop.next(t), e.shop.next(t)
	if err := l.Verify(forged); err == nil || forged.Get("sign_type") != "MD5" || forged.Get("notify_id") != genuine.Get("notify_id") {
		t.Fatalf("forged copy verifies, or is not a copy: %v (%v)", forged, err)
	}
	if err := l.Verify(genuine); err != nil {
		t.Fatalf("genuine copy: %v %v", genuine, err)
	}

	e.setFaults(md5PID, "busy:single_trade_query:1")
	q, err := l.Call("single_trade_query", map[string]string{"out_trade_no": "LF-1"})
	if err != nil || q.IsSuccess != "F" || q.Error != "SYSTEM_ERROR" {
		t.Fatalf("busy query: %v %s", err, q.Raw)
	}
	q, err = l.Call("single_trade_query", map[string]string{"out_trade_no": "LF-1"})
	if err != nil || q.IsSuccess != "T" || q.Fields["trade_status"] != "TRADE_SUCCESS" {
		t.Fatalf("query after the busy one: %v %s", err, q.Raw)
	}
	// The shop acknowledged the wrong-key copy: a canary failure.
	if v := e.verdicts(); v.OK || len(v.Failures) != 1 || v.Failures[0].Kind != "canary_accepted" {
		t.Fatalf("verdicts = %+v", v)
	}
}
