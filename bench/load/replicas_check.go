package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// runReplicasCheck is the multi-replica test (issue 17, make
// test-postgres): three replicas on one PostgreSQL database, a few hundred
// orders driven through all three (page.pay on one, pay on the next, query
// and refund on the third, the same pay and refund sent to all three at
// once, refunds racing to exceed a total), one replica killed with SIGKILL
// while it holds deliveries, the clock advanced through another for the
// retries. It asserts every payment notified once and acknowledged, every
// recorded attempt delivered exactly once (a delivery cut by the kill is
// sent again, by another replica, under the same attempt number), none
// lost, and no trade in a state the platform would not reach.
func runReplicasCheck(bin, admin string, orders int) error {
	dbURL, drop, err := newPGDatabase(admin, "check")
	if err != nil {
		return err
	}
	defer drop()
	rc, err := startSlotReceiver()
	if err != nil {
		return err
	}
	defer rc.Close()
	rs, err := startReplicas(bin, dbURL, 3, "--notify-lease", checkLease.String(), "--notify-timeout", checkTimeout.String())
	if err != nil {
		return err
	}
	defer func() { stopAll(rs) }()

	// Shops created through replica 0 work on every replica at once.
	const nShops = 3
	shops := make([][]*shop, len(rs)) // [replica][shop]
	for k := range nShops {
		keys, err := rs[0].newApp(fmt.Sprintf("replica shop %d", k))
		if err != nil {
			return err
		}
		for j, m := range rs {
			s, err := newShop(m.URL+"/gateway.do", keys)
			if err != nil {
				return err
			}
			shops[j] = append(shops[j], s)
		}
	}
	names := make([]string, orders)
	for i := range names {
		names[i] = fmt.Sprintf("R-%d", i)
		if i%5 == 0 {
			rc.failFirst[names[i]] = true // their retry slots come after the advance
		}
	}
	via := func(i, step int) int { return (i + step) % len(rs) }

	// Orders, payments, queries: each order's steps through three replicas;
	// every fourth order is paid through all three at once.
	main := orders - orders/5 // the rest are paid while a replica dies
	err = each(main, 12, func(i int) error {
		k := i % nShops
		if err := pageOn(shops[via(i, 0)][k], names[i], rc.URL); err != nil {
			return err
		}
		if i%4 == 0 {
			ok := 0
			for _, r := range all(rs, func(m *mockpay) error { _, err := m.payOrder(shops[0][k].keys.AppID, names[i]); return err }) {
				if r == nil {
					ok++
				}
			}
			if ok == 0 {
				return fmt.Errorf("order %s: no replica accepted the concurrent pay", names[i])
			}
		} else if _, err := rs[via(i, 1)].payOrder(shops[0][k].keys.AppID, names[i]); err != nil {
			return err
		}
		return checkAnswer(shops[via(i, 2)][k], "alipay.trade.query", shops[via(i, 2)][k].query(names[i]),
			map[string]string{"trade_status": "TRADE_SUCCESS"})
	})
	if err != nil {
		return fmt.Errorf("orders: %w", err)
	}

	// Refunds: the same refund through all three at once moves money once;
	// three different refunds that together exceed the total, at once, let
	// at most what the total allows through.
	err = each(main, 12, func(i int) error {
		k := i % nShops
		switch i % 6 {
		case 0:
			moved := 0
			for _, a := range all(rs, func(m *mockpay) refundAnswer {
				return refundOn(shops[replicaOf(rs, m)][k], names[i], "SAME", "0.01")
			}) {
				if a.err != nil || a.code != "10000" {
					return fmt.Errorf("order %s: identical refund: %+v", names[i], a)
				}
				if a.fundChange == "Y" {
					moved++
				}
			}
			if moved != 1 {
				return fmt.Errorf("order %s: the same refund moved money %d times at once", names[i], moved)
			}
		case 3:
			ok := 0
			for j, a := range all(rs, func(m *mockpay) refundAnswer {
				return refundOn(shops[replicaOf(rs, m)][k], names[i], fmt.Sprintf("BIG-%d", replicaOf(rs, m)), "60.00")
			}) {
				if a.err != nil {
					return fmt.Errorf("order %s: racing refund %d: %v", names[i], j, a.err)
				}
				if a.code == "10000" {
					ok++
				}
			}
			if ok != 1 {
				return fmt.Errorf("order %s: %d of three 60.00 refunds of a 100.00 trade went through, want 1", names[i], ok)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("refunds: %w", err)
	}
	if err := waitFor(60*time.Second, func() bool { return rc.ackedPayments(acking(names[:main], rc)) == len(acking(names[:main], rc)) }); err != nil {
		return fmt.Errorf("payment notifications before the kill: %w", err)
	}

	// The kill: deliveries held at the receiver, replica 0 paying (so
	// delivering) its share, then SIGKILL while requests are held.
	rc.hold.Store(int64(500 * time.Millisecond))
	late := names[main:]
	err = each(len(late), 12, func(i int) error {
		k := i % nShops
		if err := pageOn(shops[1][k], late[i], rc.URL); err != nil {
			return err
		}
		_, err := rs[i%len(rs)].payOrder(shops[0][k].keys.AppID, late[i])
		return err
	})
	if err != nil {
		return fmt.Errorf("orders before the kill: %w", err)
	}
	if err := waitFor(10*time.Second, func() bool { return rc.holdingNow() >= 6 }); err != nil {
		return fmt.Errorf("deliveries in flight before the kill: %w", err)
	}
	time.Sleep(100 * time.Millisecond)
	killedAt := time.Now()
	rs[0].kill()
	alive := rs[1:]
	time.Sleep(time.Second)
	rc.hold.Store(0)
	if err := waitFor(60*time.Second, func() bool { return rc.ackedPayments(acking(names, rc)) == len(acking(names, rc)) }); err != nil {
		return fmt.Errorf("deliveries after the kill (lease %s): %w", checkLease, err)
	}
	rc.mu.Lock()
	cut := 0
	for _, n := range rc.cut {
		cut += n
	}
	rc.mu.Unlock()
	if cut == 0 {
		return fmt.Errorf("the kill cut no delivery: it tested no takeover")
	}

	// The retries: the clock advanced through replica 1 is replica 2's too.
	if err := alive[0].advance("5m"); err != nil {
		return err
	}
	if err := waitFor(60*time.Second, func() bool { return rc.ackedPayments(names) == len(names) }); err != nil {
		return fmt.Errorf("retries after the advance: %w", err)
	}
	time.Sleep(300 * time.Millisecond) // a duplicate would be on its way now
	var clocks [2]string
	for j, m := range alive {
		var c struct {
			Now string `json:"now"`
		}
		if err := m.api("GET", "/clock", nil, &c); err != nil {
			return err
		}
		clocks[j] = c.Now
	}

	// What the database says, read through the last replica.
	extra := 0
	for i, name := range names {
		if err := checkTrade(alive[1], rc, shops[0][i%nShops].keys.AppID, name, i, main, killedAt, &extra); err != nil {
			return err
		}
	}
	if extra > cut+len(rs)*8 {
		return fmt.Errorf("%d deliveries beyond the recorded attempts, more than the kill could cause", extra)
	}
	if err := checkSharedClockAndReset(alive); err != nil {
		return err
	}
	fmt.Printf("replicas check: %d orders on 3 replicas, %d deliveries cut by the SIGKILL and sent again, %d duplicate answers from the kill window; clocks %s / %s\n",
		len(names), cut, extra, clocks[0], clocks[1])
	return nil
}

// acking are the orders whose first payment notification is acknowledged
// (the others' comes after the advance).
func acking(names []string, rc *slotReceiver) []string {
	var out []string
	for _, n := range names {
		if !rc.failFirst[n] {
			out = append(out, n)
		}
	}
	return out
}

func replicaOf(rs []*mockpay, m *mockpay) int {
	for i, r := range rs {
		if r == m {
			return i
		}
	}
	return -1
}

func pageOn(s *shop, otn, notifyURL string) error {
	code, body, err := postForm(s.c.Gateway, s.pagePay(otn, notifyURL))
	if err != nil || code != http.StatusSeeOther {
		return fmt.Errorf("page.pay %s: HTTP %d %v: %.300s", otn, code, err, body)
	}
	return nil
}

type refundAnswer struct {
	code, subCode, fundChange string
	err                       error
}

func refundOn(s *shop, otn, req, amount string) refundAnswer {
	body := s.c.Params("alipay.trade.refund", map[string]string{
		"out_trade_no": otn, "out_request_no": req, "refund_amount": amount}, nil).Encode()
	code, raw, err := postForm(s.c.Gateway, body)
	if err != nil || code != http.StatusOK {
		return refundAnswer{err: fmt.Errorf("HTTP %d %v: %.300s", code, err, raw)}
	}
	r, err := s.c.Decode("alipay.trade.refund", raw)
	if err != nil {
		return refundAnswer{err: err}
	}
	if !r.Verified {
		return refundAnswer{err: fmt.Errorf("unverified answer: %.300s", raw)}
	}
	return refundAnswer{code: r.Code(), subCode: r.Str("sub_code"), fundChange: r.Str("fund_change")}
}

// checkTrade checks one order's trade, refunds and notifications as the
// database holds them against what the receiver saw.
func checkTrade(m *mockpay, rc *slotReceiver, appID, name string, i, main int, killedAt time.Time, extra *int) error {
	var ts []struct {
		TradeNo        string `json:"trade_no"`
		Status         string `json:"status"`
		TotalAmount    string `json:"total_amount"`
		RefundedAmount string `json:"refunded_amount"`
		Refunds        []struct {
			OutRequestNo string `json:"out_request_no"`
			Amount       string `json:"amount"`
		} `json:"refunds"`
	}
	if err := m.api("GET", "/trades?app_id="+appID+"&out_trade_no="+url.QueryEscape(name), nil, &ts); err != nil {
		return err
	}
	if len(ts) != 1 {
		return fmt.Errorf("order %s: %d trades, want 1", name, len(ts))
	}
	t := ts[0]
	var full struct {
		Status         string `json:"status"`
		RefundedAmount string `json:"refunded_amount"`
		Refunds        []struct {
			OutRequestNo string `json:"out_request_no"`
			Amount       string `json:"amount"`
		} `json:"refunds"`
	}
	if err := m.api("GET", "/trades/"+t.TradeNo, nil, &full); err != nil {
		return err
	}
	wantRefunds, wantRefunded := 0, "0.00"
	if i < main && i%6 == 0 {
		wantRefunds, wantRefunded = 1, "0.01"
	}
	if i < main && i%6 == 3 {
		wantRefunds, wantRefunded = 1, "60.00"
	}
	if full.Status != "TRADE_SUCCESS" || len(full.Refunds) != wantRefunds || (full.RefundedAmount != wantRefunded && !(wantRefunds == 0 && full.RefundedAmount == "")) {
		b, _ := json.Marshal(full)
		return fmt.Errorf("order %s: trade %s, want TRADE_SUCCESS with %d refund(s) of %s in all", name, b, wantRefunds, wantRefunded)
	}
	var ns []struct {
		NotifyID     string `json:"notify_id"`
		Status       string `json:"status"`
		AttemptCount int    `json:"attempt_count"`
		Attempts     []struct {
			Number int  `json:"number"`
			Acked  bool `json:"acked"`
		} `json:"attempts"`
	}
	if err := m.api("GET", "/trades/"+t.TradeNo+"/notifications", nil, &ns); err != nil {
		return err
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, n := range ns {
		if n.Status != "acked" {
			return fmt.Errorf("order %s: notification %s is %s", name, n.NotifyID, n.Status)
		}
		for j, a := range n.Attempts {
			if a.Number != j+1 {
				return fmt.Errorf("order %s: notification %s: attempt numbers %+v", name, n.NotifyID, n.Attempts)
			}
		}
		got := rc.byID[n.NotifyID]
		if len(got) == len(n.Attempts) {
			continue
		}
		// One more delivery than attempts recorded is a replica killed
		// after the shop answered and before it recorded: the kill's
		// window only, once.
		inWindow := false
		for _, a := range got {
			if !a.At.After(killedAt) && a.At.After(killedAt.Add(-checkTimeout)) {
				inWindow = true
			}
		}
		if len(got) != len(n.Attempts)+1 || !inWindow {
			return fmt.Errorf("order %s: notification %s delivered %d times, %d attempts recorded", name, n.NotifyID, len(got), len(n.Attempts))
		}
		*extra++
	}
	// One payment, one payment notification (refunds notify apart).
	if payments := len(rc.payments[name]); payments != 1 || rc.paidAcked[name] < 1 {
		return fmt.Errorf("order %s: %d payment notifications, acknowledged %d times", name, payments, rc.paidAcked[name])
	}
	return nil
}

// checkSharedClockAndReset: an advance through one replica is the other's
// time on the very next request, and a reset through one empties all.
func checkSharedClockAndReset(alive []*mockpay) error {
	var after, seen struct {
		Now string `json:"now"`
	}
	if err := alive[0].api("POST", "/clock/advance", map[string]string{"by": "1h"}, &after); err != nil {
		return err
	}
	if err := alive[1].api("GET", "/clock", nil, &seen); err != nil {
		return err
	}
	a, _ := time.Parse(time.RFC3339, after.Now)
	b, _ := time.Parse(time.RFC3339, seen.Now)
	if b.Before(a) {
		return fmt.Errorf("advanced to %s through one replica, the other says %s", after.Now, seen.Now)
	}
	if err := alive[0].api("POST", "/reset", nil, nil); err != nil {
		return err
	}
	var ts []json.RawMessage
	if err := alive[1].api("GET", "/trades", nil, &ts); err != nil {
		return err
	}
	if len(ts) != 0 {
		return fmt.Errorf("%d trades on one replica after a reset through the other", len(ts))
	}
	return nil
}
