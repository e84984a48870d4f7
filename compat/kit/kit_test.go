package kit

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/smartwalle/alipay/v3"

	"github.com/mockpay/mockpay/mockpaytest"
)

// shop is a merchant's notify endpoint, written as a shop would write it:
// the SDK decodes and verifies the notification, and the shop acknowledges.
type shop struct {
	mu       sync.Mutex
	verified []*alipay.Notification
	rejected []error
}

func (s *shop) handler(c *alipay.Client) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		n, err := c.DecodeNotification(r.Form)
		s.mu.Lock()
		defer s.mu.Unlock()
		if err != nil {
			s.rejected = append(s.rejected, err)
			w.Write([]byte("fail"))
			return
		}
		s.verified = append(s.verified, n)
		c.ACKNotification(w)
	})
}

func newClient(t *testing.T, sb *mockpaytest.Sandbox) *alipay.Client {
	c, err := alipay.New(sb.App.AppID, sb.App.PrivateKeyPEM, false, alipay.WithSandboxGateway(sb.GatewayURL))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.LoadAliPayPublicKey(sb.App.AlipayPublicKeyPEM); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestShopWithSmartwalle is the example from the README: a shop's checkout,
// return and notify handling, tested end to end in-process.
func TestShopWithSmartwalle(t *testing.T) {
	sb := mockpaytest.Start(t)
	c := newClient(t, sb)
	var sh shop
	srv := httptest.NewServer(sh.handler(c))
	defer srv.Close()

	var p alipay.TradePagePay
	p.NotifyURL, p.ReturnURL = srv.URL+"/notify", srv.URL+"/return"
	p.Subject, p.OutTradeNo, p.TotalAmount, p.ProductCode = "Kit order", "KIT-SW-1", "66.60", "FAST_INSTANT_TRADE_PAY"
	u, err := c.TradePagePay(p)
	if err != nil {
		t.Fatal(err)
	}
	tradeNo, err := sb.Open(u.String())
	if err != nil {
		t.Fatal(err)
	}
	ret, err := sb.Pay(tradeNo)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.VerifySign(ret.Params); err != nil {
		t.Fatalf("the SDK rejects the return: %v", err)
	}
	n := sb.WaitNotification(tradeNo, mockpaytest.Acked)
	sh.mu.Lock()
	if len(sh.verified) != 1 || len(sh.rejected) != 0 || sh.verified[0].TradeStatus != alipay.TradeStatusSuccess {
		t.Errorf("shop saw %d verified, %d rejected", len(sh.verified), len(sh.rejected))
	}
	sh.mu.Unlock()
	if n.Attempts[0].Form.Get("total_amount") != "66.60" {
		t.Errorf("notification: %v", n.Attempts[0].Form)
	}

	rsp, err := c.TradeQuery(context.Background(), alipay.TradeQuery{OutTradeNo: "KIT-SW-1"})
	if err != nil || !rsp.IsSuccess() || rsp.TradeStatus != alipay.TradeStatusSuccess || rsp.TradeNo != tradeNo {
		t.Fatalf("query: %v %+v", err, rsp)
	}

	// The shop must handle a duplicate: redeliver the acknowledged one.
	sb.Redeliver(n.ID)
	sb.WaitNotification(tradeNo, mockpaytest.Acked)
	sh.mu.Lock()
	if len(sh.verified) != 2 || sh.verified[1].NotifyId != sh.verified[0].NotifyId {
		t.Errorf("redelivery: %d verified", len(sh.verified))
	}
	sh.mu.Unlock()
}

// TestUnpaidOrderClosesOnTimeout: the shop's "order expired" path, tested
// by moving the virtual clock instead of waiting.
func TestUnpaidOrderClosesOnTimeout(t *testing.T) {
	sb := mockpaytest.Start(t)
	c := newClient(t, sb)
	var p alipay.TradePagePay
	p.Subject, p.OutTradeNo, p.TotalAmount, p.ProductCode = "Kit order", "KIT-SW-2", "1.00", "FAST_INSTANT_TRADE_PAY"
	p.TimeoutExpress = "15m"
	u, err := c.TradePagePay(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sb.Open(u.String()); err != nil {
		t.Fatal(err)
	}
	sb.Advance(15 * time.Minute)
	rsp, err := c.TradeQuery(context.Background(), alipay.TradeQuery{OutTradeNo: "KIT-SW-2"})
	if err != nil || rsp.TradeStatus != alipay.TradeStatusClosed {
		t.Fatalf("after the timeout: %v %+v", err, rsp)
	}
}
