package mockpaytest_test

import (
	"testing"

	"github.com/mockpay/mockpay/mockpaytest"
)

// A shop that does not verify signatures acknowledges the canary: the
// attempt says so, and the genuine notification follows.
func TestFaultsInTheKit(t *testing.T) {
	sb := mockpaytest.Start(t)
	srv, _ := shop(t, func(int) string { return "success" })
	m := client(t, sb, sb.App)
	sb.Faults(sb.App.AppID, "forge")
	tradeNo, err := sb.Open(pageURL(m, srv.URL, "KIT-F", nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sb.Pay(tradeNo); err != nil {
		t.Fatal(err)
	}
	n := sb.WaitNotification(tradeNo, mockpaytest.Acked)
	if len(n.Attempts) != 2 || n.Attempts[0].Failure != "canary_accepted" || m.VerifyParams(n.Attempts[0].Form) == nil ||
		n.Attempts[1].Failure != "" || !n.Attempts[1].Acked {
		t.Fatalf("attempts: %+v", n.Attempts)
	}
}
