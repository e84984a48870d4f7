package mockpaytest_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mockpay/mockpay/internal/merchant"
	"github.com/mockpay/mockpay/mockpaytest"
)

// shop answers notifications with what answer says for the nth one.
func shop(t *testing.T, answer func(n int) string) (*httptest.Server, *atomic.Int32) {
	var count atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Write([]byte(answer(int(count.Add(1)))))
	}))
	t.Cleanup(srv.Close)
	return srv, &count
}

func client(t *testing.T, sb *mockpaytest.Sandbox, a mockpaytest.App) *merchant.Client {
	m, err := merchant.New(sb.GatewayURL, a.AppID, a.PrivateKeyPEM, a.AlipayPublicKeyPEM, a.SignType)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func pageURL(m *merchant.Client, shopURL, outTradeNo string, extra map[string]any) string {
	biz := map[string]any{"out_trade_no": outTradeNo, "total_amount": "9.99", "subject": "kit", "product_code": "FAST_INSTANT_TRADE_PAY"}
	for k, v := range extra {
		biz[k] = v
	}
	return m.PageURL("alipay.trade.page.pay", biz, map[string]string{"notify_url": shopURL + "/notify", "return_url": shopURL + "/return"})
}

// TestMerchantFlow is the way a shop's own test uses the kit.
func TestMerchantFlow(t *testing.T) {
	sb := mockpaytest.Start(t)
	srv, _ := shop(t, func(int) string { return "success" })
	m := client(t, sb, sb.App)

	tradeNo, err := sb.Open(pageURL(m, srv.URL, "KIT-1", nil))
	if err != nil {
		t.Fatal(err)
	}
	ret, err := sb.Pay(tradeNo)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.VerifyParams(ret.Params); err != nil || ret.Params.Get("out_trade_no") != "KIT-1" {
		t.Fatalf("return: %v %v", err, ret.Params)
	}
	n := sb.WaitNotification(tradeNo, mockpaytest.Acked)
	if len(n.Attempts) != 1 || n.Attempts[0].Form.Get("trade_status") != "TRADE_SUCCESS" || m.VerifyParams(n.Attempts[0].Form) != nil {
		t.Errorf("notification: %+v", n)
	}
	if st := sb.TradeStatus(tradeNo); st != "TRADE_SUCCESS" {
		t.Errorf("status %s", st)
	}
	if _, err := sb.Pay(tradeNo); err == nil {
		t.Error("paid twice")
	}
}

// TestRetriesFollowAdvance: a day of retries in a test, no sleeps.
func TestRetriesFollowAdvance(t *testing.T) {
	start := time.Date(2026, 5, 1, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	sb := mockpaytest.Start(t, mockpaytest.WithStartTime(start))
	srv, count := shop(t, func(n int) string {
		if n < 3 {
			return "fail"
		}
		return "success"
	})
	m := client(t, sb, sb.App)
	m.Now = sb.Now
	tradeNo, err := sb.Open(pageURL(m, srv.URL, "KIT-2", nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sb.Pay(tradeNo); err != nil {
		t.Fatal(err)
	}
	n := sb.WaitNotification(tradeNo, mockpaytest.Pending)
	if !n.NextAttempt.Equal(start.Add(4 * time.Minute)) {
		t.Errorf("next attempt %v", n.NextAttempt)
	}
	sb.Advance(14 * time.Minute)
	n = sb.WaitNotification(tradeNo, mockpaytest.Acked)
	if len(n.Attempts) != 3 || count.Load() != 3 {
		t.Fatalf("attempts: %d (shop saw %d)", len(n.Attempts), count.Load())
	}
	for i, want := range []string{"10:00:00", "10:04:00", "10:14:00"} {
		if got := n.Attempts[i].Form.Get("notify_time"); got != "2026-05-01 "+want {
			t.Errorf("attempt %d notify_time %s", i+1, got)
		}
	}
	// Redeliver makes the notification pending again at once, so the wait
	// below ends only with the redelivered attempt recorded.
	sb.Redeliver(n.ID)
	n = sb.WaitNotification(tradeNo, mockpaytest.Acked)
	if len(n.Attempts) != 4 || count.Load() != 4 {
		t.Errorf("redelivery: %d attempts, shop saw %d", len(n.Attempts), count.Load())
	}
}

func TestOpenReportsGatewayErrors(t *testing.T) {
	sb := mockpaytest.Start(t)
	m := client(t, sb, sb.App)
	u, _ := url.Parse(pageURL(m, "http://shop.test", "KIT-3", nil))
	q := u.Query()
	q.Set("sign", "AAAA"+q.Get("sign")[4:])
	u.RawQuery = q.Encode()
	_, err := sb.Open(u.String())
	var ge *mockpaytest.GatewayError
	if !errors.As(err, &ge) || ge.Code != "isv.invalid-signature" {
		t.Fatalf("tampered order: %v", err)
	}
	_, err = sb.Open(pageURL(m, "http://shop.test", "KIT-3", map[string]any{"total_amount": "0"}))
	if !errors.As(err, &ge) || ge.Code != "ACQ.INVALID_PARAMETER" || ge.Detail == "" {
		t.Fatalf("zero amount: %v", err)
	}
}

func TestBuyerLevers(t *testing.T) {
	sb := mockpaytest.Start(t)
	m := client(t, sb, sb.App)
	if _, err := sb.Open(pageURL(m, "http://shop.test", "KIT-4", map[string]any{"timeout_express": "10m"})); err != nil {
		t.Fatal(err)
	}
	// The order reached the gateway: PayOrder finds it by out_trade_no.
	tradeNo, _ := sb.Open(pageURL(m, "http://shop.test", "KIT-5", nil))
	reason, err := sb.Fail(tradeNo)
	if err != nil || reason == "" || sb.TradeStatus(tradeNo) != "WAIT_BUYER_PAY" {
		t.Errorf("fail: %q %v", reason, err)
	}
	if to, err := sb.Cancel(tradeNo); err != nil || to != "http://shop.test/" {
		t.Errorf("cancel: %q %v", to, err)
	}
	ret, err := sb.PayOrder("KIT-5")
	if err != nil || ret.TradeNo != tradeNo {
		t.Errorf("pay order: %v %v", ret, err)
	}
	// Expiry follows the virtual clock.
	ts, _ := sb.Open(pageURL(m, "http://shop.test", "KIT-6", map[string]any{"timeout_express": "10m"}))
	sb.Advance(10 * time.Minute)
	if st := sb.TradeStatus(ts); st != "TRADE_CLOSED" {
		t.Errorf("after timeout_express: %s", st)
	}
}

// TestParallelSandboxes: parallel tests each get their own sandbox, and
// apps inside one sandbox never see each other's trades.
func TestParallelSandboxes(t *testing.T) {
	for i := range 3 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			sb := mockpaytest.Start(t)
			other := sb.NewApp("other", "RSA2")
			for _, a := range []mockpaytest.App{sb.App, other} {
				m := client(t, sb, a)
				tradeNo, err := sb.Open(pageURL(m, "http://shop.test", "SAME", nil))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := sb.Pay(tradeNo); err != nil {
					t.Fatalf("app %s: %v", a.AppID, err)
				}
				r, err := m.Call("alipay.trade.query", map[string]string{"out_trade_no": "SAME"}, nil)
				if err != nil || r.Str("trade_no") != tradeNo {
					t.Errorf("app %s sees %v %v", a.AppID, err, r)
				}
			}
		})
	}
}
