package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/mockpay/mockpay/internal/merchant"
)

// runSmoke drives a few hundred requests through the load's own request
// builders against a real mockpay and checks what the load only counts:
// every order accepted, every answer signed and verified, every payment
// notified and acknowledged exactly once, nothing lost. No figures: CI is
// too noisy to time, and no wrk is needed.
func runSmoke(bin string) error {
	rc, err := startReceiver()
	if err != nil {
		return err
	}
	defer rc.Close()
	m, err := startMockpay(bin)
	if err != nil {
		return err
	}
	defer m.Stop()
	rsa2, md5, err := fixtureKeys(m)
	if err != nil {
		return err
	}
	b := &bench{bin: bin, rc: rc, keys: rsa2, md5: md5, flows: 200, shops: 3}
	s, err := b.shop(m)
	if err != nil {
		return err
	}

	// The verify-only ceiling accepts what mockpay accepts and refuses a
	// form whose signature does not match.
	pub, err := merchant.ParsePublicKey(rsa2.PublicKeyPEM)
	if err != nil {
		return err
	}
	stub := httptest.NewServer(verifyStub(pub))
	defer stub.Close()
	form := s.pagePay("SMOKE-STUB", rc.URL)
	if code, _, err := postForm(stub.URL+"/gateway.do", form); err != nil || code != http.StatusSeeOther {
		return fmt.Errorf("verify-only server: HTTP %d %v for a good form", code, err)
	}
	if code, _, _ := postForm(stub.URL+"/gateway.do", strings.Replace(form, "SMOKE-STUB", "SMOKE-STUX", 1)); code != http.StatusBadRequest {
		return fmt.Errorf("verify-only server: HTTP %d for a tampered form, want 400", code)
	}

	// The flash sale: every flow's order accepted, paid and acknowledged
	// exactly once.
	rc.reset()
	if _, err := b.flash(1, 16); err != nil {
		return fmt.Errorf("flash sale: %w", err)
	}
	// Notification dispatch: refused first attempts all come back once.
	b.dispatchN = 50
	if _, err := b.notifications(1); err != nil {
		return fmt.Errorf("dispatch: %w", err)
	}

	// The wrk paths' forms, a few each.
	for i := range 20 {
		otn := fmt.Sprintf("SMOKE-P%d", i)
		if code, body, err := postForm(b.gateway(m), s.pagePay(otn, rc.URL)); err != nil || code != http.StatusSeeOther {
			return fmt.Errorf("page.pay %s: HTTP %d %v: %.300s", otn, code, err, body)
		}
	}
	if err := b.paidTrade(m, s, "SMOKE-Q"); err != nil {
		return err
	}
	for range 3 {
		if err := checkAnswer(s, "alipay.trade.query", s.query("SMOKE-Q"), map[string]string{"trade_status": "TRADE_SUCCESS"}); err != nil {
			return err
		}
	}
	for i := range 20 {
		if err := checkAnswer(s, "alipay.trade.refund", s.refund("SMOKE-Q", fmt.Sprintf("SMOKE-RQ%d", i)), map[string]string{"fund_change": "Y"}); err != nil {
			return err
		}
	}
	l := b.legacyClient(m)
	for i := range 20 {
		if err := checkLegacyOrder(b.gateway(m), legacyOrder(l, fmt.Sprintf("SMOKE-L%d", i), rc.URL)); err != nil {
			return err
		}
	}
	return nil
}
