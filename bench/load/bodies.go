package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/mockpay/mockpay/internal/merchant"
)

// shop signs the requests of one OpenAPI app with the merchant package,
// mockpay's independent judge (it shares no code with mockpay's codec).
type shop struct {
	keys appKeys
	c    *merchant.Client
}

func newShop(gateway string, k appKeys) (*shop, error) {
	c, err := merchant.New(gateway, k.AppID, k.PrivateKeyPEM, k.AlipayKeyPEM, "RSA2")
	if err != nil {
		return nil, fmt.Errorf("app %s: %w", k.AppID, err)
	}
	return &shop{keys: k, c: c}, nil
}

// pagePay is the form of an alipay.trade.page.pay for out_trade_no.
func (s *shop) pagePay(outTradeNo, notifyURL string) string {
	return s.c.Params("alipay.trade.page.pay", map[string]string{
		"out_trade_no": outTradeNo, "total_amount": "100.00", "subject": "flash sale item",
		"product_code": "FAST_INSTANT_TRADE_PAY",
	}, map[string]string{"notify_url": notifyURL, "return_url": "http://127.0.0.1:9/return"}).Encode()
}

func (s *shop) query(outTradeNo string) string {
	return s.c.Params("alipay.trade.query", map[string]string{"out_trade_no": outTradeNo}, nil).Encode()
}

func (s *shop) refund(outTradeNo, outRequestNo string) string {
	return s.c.Params("alipay.trade.refund", map[string]string{
		"out_trade_no": outTradeNo, "out_request_no": outRequestNo, "refund_amount": "0.01",
	}, nil).Encode()
}

// legacyOrder is a create_direct_pay_by_user signed with the MD5 key.
func legacyOrder(l *merchant.Legacy, outTradeNo, notifyURL string) string {
	return l.Params("create_direct_pay_by_user", map[string]string{
		"out_trade_no": outTradeNo, "subject": "flash sale item", "total_fee": "100.00",
		"payment_type": "1", "seller_id": l.Partner, "notify_url": notifyURL,
		"return_url": "http://127.0.0.1:9/return",
	}).Encode()
}

// parallel builds n strings with build(i), on every core: signing the pools
// is the harness's own largest cost.
func parallel(n int, build func(i int) string) []string {
	out := make([]string, n)
	var wg sync.WaitGroup
	workers := runtime.NumCPU()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				out[i] = build(i)
			}
		}()
	}
	wg.Wait()
	return out
}

// writeLines writes the pool for wrk's bodies.lua, one form a line.
func writeLines(path string, lines []string) error {
	return os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
}
