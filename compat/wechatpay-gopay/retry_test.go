package wechatpaygopay

import "testing"

// TestRetriedNotification: the shop answers the first TRANSACTION.SUCCESS
// with a 500; after the first interval of WeChat's schedule (15 s, §3) on
// the virtual clock the same event comes again — same id, freshly signed
// (new nonce, P-V3-2) — and gopay verifies and decrypts the retry too.
func TestRetriedNotification(t *testing.T) {
	a := merchant(t, "certificate")
	c := newClient(t, routes[0], a)
	s := newShop(t)
	no := newOutTradeNo("RT")
	s.mu.Lock()
	s.refuse[no] = 1
	s.mu.Unlock()
	prepay(t, c, a, s, "NATIVE", no, 1)
	pay(t, a, no)
	first := s.wait(t, no, false)
	advanceClock(t, "15s")
	second := s.waitN(t, no, 2, true)
	if first.req.Id == "" || second.req.Id != first.req.Id {
		t.Fatalf("retry id %q, first delivery id %q: WeChat keeps the id across retries", second.req.Id, first.req.Id)
	}
	if second.hdr.Get("Wechatpay-Nonce") == first.hdr.Get("Wechatpay-Nonce") {
		t.Fatalf("retry reuses the first delivery's Wechatpay-Nonce %q", first.hdr.Get("Wechatpay-Nonce"))
	}
	if err := second.req.VerifySignByPKMap(c.WxPublicKeyMap()); err != nil {
		t.Fatalf("VerifySignByPKMap on the retry: %v", err)
	}
	res, err := second.req.DecryptPayCipherText(a.APIv3Key)
	if err != nil || res.OutTradeNo != no || res.TradeState != "SUCCESS" {
		t.Fatalf("retry decrypts to %+v, %v", res, err)
	}
}
