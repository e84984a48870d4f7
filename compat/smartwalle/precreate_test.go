package smartwalle

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/smartwalle/alipay/v3"
)

var tradeNoInPage = regexp.MustCompile(`data-testid="trade-no">(\d{28})<`)

// tradeCashier is the cashier of an existing trade: /cashier/trade/<trade_no>.
func tradeCashier(tradeNo string) string { return baseURL + "/cashier/trade/" + tradeNo }

// payTrade presses "pay" in a trade's cashier.
func payTrade(t *testing.T, b *browser, tradeNo string) {
	t.Helper()
	p := b.post(t, tradeCashier(tradeNo), url.Values{"action": {"pay"}})
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "支付成功") {
		t.Fatalf("pay in the trade cashier:\n%s", p)
	}
}

// precreate → scan → pay → notify (protocol §2.7): the SDK's qr_code leads
// to mockpay's scan page; no trade exists before the scan.
func TestPrecreateScanPay(t *testing.T) {
	c := mustSDKClient(t, app.AppPrivateKeyPEM)
	o := newOrder("QR", "6.6", "6.60")
	var p alipay.TradePreCreate
	p.NotifyURL = theShop.notifyURL()
	p.OutTradeNo, p.TotalAmount, p.Subject = o.OutTradeNo, o.Amount, testSubject
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rsp, err := c.TradePreCreate(ctx, p)
	if err != nil {
		t.Fatalf("TradePreCreate: %v\n%s", err, c.lastExchange())
	}
	wantSuccess(t, c, "precreate", rsp.Error)
	if rsp.OutTradeNo != o.OutTradeNo || !strings.HasPrefix(rsp.QRCode, baseURL+"/cashier/qr/") {
		t.Fatalf("precreate: out_trade_no=%q qr_code=%q, want a code leading to %s/cashier/qr/", rsp.OutTradeNo, rsp.QRCode, baseURL)
	}
	before := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
	wantError(t, c, "query before the scan", before.Error, "40004", "Business Failed", "ACQ.TRADE_NOT_EXIST")

	b := newBrowser(t)
	if img := b.get(t, rsp.QRCode+"/image.png"); img.Status != http.StatusOK || img.Header.Get("Content-Type") != "image/png" {
		t.Errorf("QR image:\n%s", img)
	}
	scan := b.get(t, rsp.QRCode)
	m := tradeNoInPage.FindStringSubmatch(scan.Body)
	if scan.Status != http.StatusOK || m == nil {
		t.Fatalf("scan page has no trade:\n%s", scan)
	}
	tradeNo := m[1]
	after := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
	if after.TradeStatus != alipay.TradeStatusWaitBuyerPay || after.TradeNo != tradeNo {
		t.Errorf("query after the scan: %q %q\n%s", after.TradeStatus, after.TradeNo, c.lastExchange())
	}
	payTrade(t, b, tradeNo)
	n := checkPaidNotification(t, o, tradeNo)
	if n.Answer != "success" {
		t.Errorf("notification not acknowledged: %q", n.Answer)
	}
}
