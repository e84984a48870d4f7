package faults

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
)

// A protocol of no platform: the body is the signed time, "forged" when
// forged; the ack is "ok".
type plainNotifier struct{}

func (plainNotifier) Encode(_ *payment.Notification, at time.Time) (channel.Request, error) {
	return channel.Request{Body: at.UTC().Format(time.RFC3339)}, nil
}
func (plainNotifier) Judge(a channel.Answer) (bool, string) { return string(a.Body) == "ok", "" }
func (plainNotifier) Schedule() channel.Schedule            { return nil }
func (plainNotifier) Timeout() time.Duration                { return 2 * time.Second }

type plainProtocols struct{ p *channel.Protocol }

func (s plainProtocols) Protocol(payment.Protocol) (*channel.Protocol, *channel.Channel, bool) {
	return s.p, nil, true
}
func (s plainProtocols) Notifier(payment.Protocol) (channel.Notifier, bool) {
	return plainNotifier{}, true
}

type oneApp struct{}

func (oneApp) App(id string) (*payment.App, bool) { return &payment.App{AppID: id}, id == "A1" }

type oneTrade struct{}

func (oneTrade) Trades(context.Context, payment.TradeFilter) ([]*payment.Trade, error) {
	return []*payment.Trade{{TradeNo: "T1", Order: payment.Order{OutTradeNo: "O1"}}}, nil
}
func (oneTrade) NotificationsOfTrade(context.Context, string) ([]*payment.Notification, error) {
	t := payment.Trade{TradeNo: "T1", Order: payment.Order{OutTradeNo: "O1"}}
	return []*payment.Notification{{ID: 1, Kind: payment.KindTrade, Trade: t}, {ID: 2, Kind: payment.KindRefund, Trade: t}}, nil
}

// The stale check's expectation follows the protocol: acknowledged where
// the SDKs do not check the signed time, refused where they do.
func TestCheckStaleFollowsTheProtocol(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	// The shop refuses forgeries and anything signed more than 5 minutes ago.
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		at, err := time.Parse(time.RFC3339, string(b))
		if err != nil || now.Sub(at) > 5*time.Minute {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		io.WriteString(w, "ok")
	}))
	defer shop.Close()
	apps := oneApp{}
	forge := func(_ *payment.Notification, _ time.Time, f channel.Forgery) (channel.Request, error) {
		return channel.Request{Body: "forged " + string(f)}, nil
	}
	for _, refuse := range []bool{false, true} {
		c := &Checker{Apps: apps, Store: oneTrade{}, Client: shop.Client(), Clock: clock.NewFake(now),
			Protocols: plainProtocols{&channel.Protocol{Faults: &channel.Faults{Forge: forge, RefuseStale: refuse}}}}
		rep, err := c.Run(context.Background(), controlapi.CheckRequest{NotifyURL: shop.URL, AppID: "A1"})
		if err != nil {
			t.Fatal(err)
		}
		for _, ck := range rep.Checks {
			want := ck.Name != "stale" || refuse
			if ck.Passed != want || ck.Skipped {
				t.Errorf("refuse stale %v: %s passed %v (expected %q, got %q)", refuse, ck.Name, ck.Passed, ck.Expected, ck.Got)
			}
			if ck.Name == "stale" && strings.Contains(ck.Expected, "refused") != refuse {
				t.Errorf("refuse stale %v: expectation %q", refuse, ck.Expected)
			}
		}
	}
}
