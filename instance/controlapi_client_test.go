package instance_test

import (
	"context"
	"errors"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/mockpay/mockpay/controlapi"
)

// TestControlAPIClient walks controlapi's typed client through every lever
// and view of the control API on a real server: what it decodes is what
// the server encoded, lag_ms included.
func TestControlAPIClient(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := controlapi.New(e.app.URL)

	apps, err := c.Apps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var openapi, legacy int
	for _, a := range apps {
		switch {
		case a.App != nil && a.App.Protocol == controlapi.ProtocolOpenAPI && a.App.AppPrivateKeyPEM != "":
			openapi++
		case a.Partner != nil && a.Partner.MD5Key != "":
			legacy++
		}
	}
	if openapi != 3 || legacy != 3 {
		t.Errorf("apps: %d openapi apps, %d partners with keys, want 3 and 3", openapi, legacy)
	}
	if a, err := c.App(ctx, "2021000122600001"); err != nil || a.App == nil || a.App.SignType != "RSA2" {
		t.Errorf("app: %+v %v", a, err)
	}
	created, err := c.CreateApp(ctx, controlapi.CreateAppRequest{Name: "typed", SignType: "RSA"})
	if err != nil || created.Name != "typed" || created.AppPrivateKeyPEM == "" {
		t.Fatalf("create app: %+v %v", created, err)
	}

	// The buyer: fail on the trade, then pay the order by out_trade_no.
	e.shop.setAnswer(func(n int) (int, string) {
		if n == 1 {
			return 500, "down"
		}
		return 200, "success"
	})
	e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz("TYPED-1", "3.00"), e.urls()))
	ts, err := c.Trades(ctx, controlapi.TradeQuery{AppID: "2021000122600001", OutTradeNo: "TYPED-1"})
	if err != nil || len(ts) != 1 || ts[0].Status != "WAIT_BUYER_PAY" || ts[0].TotalAmount != "3.00" {
		t.Fatalf("trades: %+v %v", ts, err)
	}
	tradeNo := ts[0].TradeNo
	if res, err := c.ActOnTrade(ctx, tradeNo, "fail"); err != nil || res.Trade.Status != "WAIT_BUYER_PAY" || res.Message == "" {
		t.Errorf("fail: %+v %v", res, err)
	}
	res, err := c.ActOnOrder(ctx, "2021000122600001", "TYPED-1", "pay")
	if err != nil || res.Trade.TradeNo != tradeNo || res.ReturnParams["trade_no"] != tradeNo || res.RedirectURL == "" {
		t.Fatalf("pay: %+v %v", res, err)
	}
	if tr, err := c.WaitTrade(ctx, controlapi.WaitQuery{TradeNo: tradeNo, Status: "TRADE_SUCCESS", Timeout: 10 * time.Second}); err != nil || len(tr.History) < 2 {
		t.Errorf("wait trade: %+v %v", tr, err)
	}
	// The first attempt fails; the retry, due 4 minutes later, goes out
	// after a jump of an hour: 56 minutes late.
	n, err := c.WaitNotification(ctx, controlapi.WaitQuery{TradeNo: tradeNo, Status: "pending", Attempts: 1, Timeout: 10 * time.Second})
	if err != nil || n.Attempts[0].StatusCode != 500 || n.NextAttemptAt == "" {
		t.Fatalf("wait notification: %+v %v", n, err)
	}
	clk, err := c.Advance(ctx, "1h")
	if err != nil || clk.Now != "2026-05-01T11:00:00+08:00" || clk.Scale != 0 {
		t.Errorf("advance: %+v %v", clk, err)
	}
	n, err = c.WaitNotification(ctx, controlapi.WaitQuery{AppID: "2021000122600001", OutTradeNo: "TYPED-1", Status: "acked", Timeout: 10 * time.Second})
	if err != nil || len(n.Attempts) != 2 || n.Attempts[1].LagMS != (56*time.Minute).Milliseconds() || !n.Attempts[1].Acked {
		t.Fatalf("retried: %+v %v", n, err)
	}
	if ns, err := c.TradeNotifications(ctx, tradeNo); err != nil || len(ns) != 1 || ns[0].ID != n.ID {
		t.Errorf("trade notifications: %+v %v", ns, err)
	}
	if ns, err := c.Notifications(ctx, controlapi.NotificationQuery{TradeNo: tradeNo, Status: "acked"}); err != nil || len(ns) != 1 {
		t.Errorf("notifications: %+v %v", ns, err)
	}
	again, err := c.Redeliver(ctx, strconv.FormatInt(n.ID, 10))
	if err != nil || again.Redeliveries != 1 || again.Status != "pending" {
		t.Fatalf("redeliver: %+v %v", again, err)
	}
	if n, err := c.WaitNotification(ctx, controlapi.WaitQuery{TradeNo: tradeNo, Status: "acked", Attempts: 3, Timeout: 10 * time.Second}); err != nil {
		t.Fatalf("redelivered: %+v %v", n, err)
	}
	if n, err := c.Notification(ctx, again.ID); err != nil || n.AttemptCount != 3 {
		t.Errorf("notification: %+v %v", n, err)
	}
	feed, err := c.Attempts(ctx, 0, 0)
	if err != nil || len(feed.Attempts) != 3 || feed.Next != feed.Attempts[2].FeedID || feed.Attempts[1].LagMS != (56*time.Minute).Milliseconds() {
		t.Errorf("feed: %+v %v", feed, err)
	}
	if now, err := c.Clock(ctx); err != nil || now.Now != clk.Now {
		t.Errorf("clock: %+v %v", now, err)
	}

	// Refusals are *controlapi.Error with the API's code.
	var apiErr *controlapi.Error
	if _, err := c.Trade(ctx, "2026000000000000000000"); !errors.As(err, &apiErr) || apiErr.Code != "not_found" {
		t.Errorf("unknown trade: %v", err)
	}
	if _, err := c.Advance(ctx, "soon"); !errors.As(err, &apiErr) || apiErr.Code != "invalid_parameter" {
		t.Errorf("bad span: %v", err)
	}
	if _, err := c.WaitTrade(ctx, controlapi.WaitQuery{TradeNo: tradeNo, Status: "TRADE_CLOSED", Timeout: time.Millisecond}); !errors.As(err, &apiErr) || apiErr.Code != "timeout" {
		t.Errorf("wait past its timeout: %v", err)
	}
	if err := c.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if ts, err := c.Trades(ctx, controlapi.TradeQuery{}); err != nil || len(ts) != 0 {
		t.Errorf("after reset: %+v %v", ts, err)
	}

	// No server: an *UnreachableError that says the connection was refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	var unreachable *controlapi.UnreachableError
	if _, err := controlapi.New(closed).Clock(ctx); !errors.As(err, &unreachable) || !unreachable.Refused() {
		t.Errorf("no server: %v", err)
	}
	// Not mockpay: a *NotAPIError.
	var notAPI *controlapi.NotAPIError
	if _, err := controlapi.New(e.shop.URL).Clock(ctx); !errors.As(err, &notAPI) || notAPI.Status != "200 OK" {
		t.Errorf("a shop, not mockpay: %v", err)
	}
}
