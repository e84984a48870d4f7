package smartwalle

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smartwalle/alipay/v3"
)

// 1. page.pay URL → cashier → pay → 303 to return_url with signed params.
func TestPagePayReturn(t *testing.T) {
	c := mustSDKClient(t, app.AppPrivateKeyPEM) // PKCS#1 PEM
	o := newOrder("PAGE", "88.8", "88.80")
	b := newBrowser(t)
	cs := b.openPayURL(t, pagePayURL(t, c, o))
	loc := cs.pay(t, b)
	q := checkReturn(t, c, loc, o, "alipay.trade.page.pay.return")
	if !amountRE.MatchString(q.Get("total_amount")) {
		t.Errorf("sync return total_amount %q is not formatted with 2 decimals (protocol §4.3)", q.Get("total_amount"))
	}
	// The shop must also be able to serve the redirect target.
	if p := b.get(t, loc.String()); p.Status != http.StatusOK {
		t.Errorf("shop return page: %s", p)
	}
}

// 2. The async notification reaches notify_url, verifies with the SDK, is
// acknowledged with "success" and is not redelivered after the ack.
func TestPagePayNotification(t *testing.T) {
	c := mustSDKClient(t, app.AppPrivateKeyPEM)
	o := newOrder("NTFY", "66.6", "66.60")
	b := newBrowser(t)
	cs := b.openPayURL(t, pagePayURL(t, c, o))
	q := checkReturn(t, c, cs.pay(t, b), o, "alipay.trade.page.pay.return")

	n := checkPaidNotification(t, o, q.Get("trade_no"))
	if n.Answer != "success" {
		t.Fatalf("shop did not ack the notification (answered %q)", n.Answer)
	}
	time.Sleep(3 * time.Second)
	if ns := theShop.notifications(o.OutTradeNo); len(ns) != 1 {
		var times []string
		for _, x := range ns {
			times = append(times, x.At.Format("15:04:05.000")+" notify_id="+x.Form.Get("notify_id")+" answer="+x.Answer)
		}
		t.Errorf("want exactly 1 notification after it was acked with \"success\" (protocol §3.1/§3.5: retries only until success), got %d:\n  %s",
			len(ns), strings.Join(times, "\n  "))
	}
}

// 3. wap.pay (QUICK_WAP_WAY) through the cashier, with a PKCS#8 key client.
func TestWapPay(t *testing.T) {
	c := mustSDKClient(t, app.AppPrivateKeyPKCS8PEM) // PKCS#8 PEM
	o := newOrder("WAP", "0.01", "0.01")
	b := newBrowser(t)
	cs := b.openPayURL(t, wapPayURL(t, c, o))
	q := checkReturn(t, c, cs.pay(t, b), o, "alipay.trade.wap.pay.return")
	checkPaidNotification(t, o, q.Get("trade_no"))

	rsp := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
	wantSuccess(t, c, "query after wap pay", rsp.Error)
	if rsp.TradeStatus != alipay.TradeStatusSuccess || rsp.TotalAmount != o.Want || rsp.TradeNo != q.Get("trade_no") {
		t.Errorf("query after wap pay: trade_status=%q total_amount=%q trade_no=%q, want TRADE_SUCCESS %q %q\n%s",
			rsp.TradeStatus, rsp.TotalAmount, rsp.TradeNo, o.Want, q.Get("trade_no"), c.lastExchange())
	}
}

// 4. alipay.trade.query of a paid trade, through the SDK's response signature check.
func TestTradeQueryPaid(t *testing.T) {
	c := mustSDKClient(t, app.AppPrivateKeyPEM)
	o := newOrder("QRY", "1200", "1200.00")
	b := newBrowser(t)
	cs := b.openPayURL(t, pagePayURL(t, c, o))
	tradeNo := checkReturn(t, c, cs.pay(t, b), o, "alipay.trade.page.pay.return").Get("trade_no")

	for _, tc := range []struct {
		name string
		q    alipay.TradeQuery
	}{
		{"by out_trade_no", alipay.TradeQuery{OutTradeNo: o.OutTradeNo}},
		{"by trade_no", alipay.TradeQuery{TradeNo: tradeNo}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rsp := c.mustQuery(t, tc.q)
			t.Logf("exchange:\n%s", c.lastExchange())
			wantSuccess(t, c, "query", rsp.Error)
			if rsp.TradeStatus != alipay.TradeStatusSuccess {
				t.Errorf("trade_status = %q, want TRADE_SUCCESS\n%s", rsp.TradeStatus, c.lastExchange())
			}
			if rsp.TotalAmount != o.Want {
				t.Errorf("total_amount = %q, want %q (protocol §4.3: 2 decimals)\n%s", rsp.TotalAmount, o.Want, c.lastExchange())
			}
			if rsp.OutTradeNo != o.OutTradeNo || rsp.TradeNo != tradeNo {
				t.Errorf("out_trade_no=%q trade_no=%q, want %q %q\n%s", rsp.OutTradeNo, rsp.TradeNo, o.OutTradeNo, tradeNo, c.lastExchange())
			}
		})
	}
}

// 5. Unknown trades: a signed business error, err == nil.
func TestTradeQueryUnknown(t *testing.T) {
	c := mustSDKClient(t, app.AppPrivateKeyPEM)
	t.Run("never seen", func(t *testing.T) {
		rsp := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: "SWNOSUCH" + newOrder("", "1", "1").OutTradeNo})
		wantError(t, c, "query unknown out_trade_no", rsp.Error, "40004", "Business Failed", "ACQ.TRADE_NOT_EXIST")
	})
	t.Run("page.pay signed but cashier never opened", func(t *testing.T) {
		o := newOrder("UNOP", "5", "5.00")
		_ = pagePayURL(t, c, o) // built, never visited
		rsp := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
		wantError(t, c, "query before the cashier was opened", rsp.Error, "40004", "Business Failed", "ACQ.TRADE_NOT_EXIST")
	})
}

// 6. Close an opened-but-unpaid order; closing a never-opened order fails.
func TestTradeClose(t *testing.T) {
	c := mustSDKClient(t, app.AppPrivateKeyPEM)
	t.Run("opened, unpaid", func(t *testing.T) {
		o := newOrder("CLS", "9.9", "9.90")
		u := pagePayURL(t, c, o)
		before := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
		wantError(t, c, "query before cashier GET", before.Error, "40004", "Business Failed", "ACQ.TRADE_NOT_EXIST")

		b := newBrowser(t)
		cs := b.openPayURL(t, u)
		opened := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
		wantSuccess(t, c, "query after cashier GET", opened.Error)
		if opened.TradeStatus != alipay.TradeStatusWaitBuyerPay || opened.TotalAmount != o.Want {
			t.Errorf("after cashier GET: trade_status=%q total_amount=%q, want WAIT_BUYER_PAY %q\n%s", opened.TradeStatus, opened.TotalAmount, o.Want, c.lastExchange())
		}

		rsp := c.mustClose(t, alipay.TradeClose{OutTradeNo: o.OutTradeNo})
		wantSuccess(t, c, "close", rsp.Error)
		if rsp.OutTradeNo != o.OutTradeNo {
			t.Errorf("close: out_trade_no = %q, want %q (protocol §2.7 close response)", rsp.OutTradeNo, o.OutTradeNo)
		}
		if opened.TradeNo != "" && rsp.TradeNo != opened.TradeNo {
			t.Errorf("close: trade_no = %q, want %q (from query)", rsp.TradeNo, opened.TradeNo)
		}

		closed := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
		wantSuccess(t, c, "query after close", closed.Error)
		if closed.TradeStatus != alipay.TradeStatusClosed {
			t.Errorf("after close: trade_status = %q, want TRADE_CLOSED\n%s", closed.TradeStatus, c.lastExchange())
		}

		// A closed trade cannot be paid from the still-open cashier tab (§4.1: TRADE_CLOSED is terminal).
		p := cs.submit(t, b, "pay")
		t.Logf("pay on a closed trade: HTTP %d %s", p.Status, visibleText(p.Body))
		if p.Status == http.StatusSeeOther {
			if l := p.location(t); l.Query().Get("trade_no") != "" && l.Query().Get("sign") != "" {
				t.Errorf("paying a closed trade produced a signed sync return:\n%s", p)
			}
		}
		after := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
		if after.TradeStatus != alipay.TradeStatusClosed {
			t.Errorf("after clicking pay on a closed trade: trade_status = %q, want TRADE_CLOSED\npay answer:\n%s", after.TradeStatus, p)
		}
		time.Sleep(1 * time.Second)
		if ns := theShop.notifications(o.OutTradeNo); len(ns) != 0 {
			t.Errorf("close / pay-after-close sent %d notification(s) (protocol §3.4: close sends none)", len(ns))
		}
	})
	t.Run("never opened", func(t *testing.T) {
		o := newOrder("CLSN", "9.9", "9.90")
		_ = pagePayURL(t, c, o)
		rsp := c.mustClose(t, alipay.TradeClose{OutTradeNo: o.OutTradeNo})
		wantError(t, c, "close of a never-opened order", rsp.Error, "40004", "Business Failed", "ACQ.TRADE_NOT_EXIST")
	})
}

// 7. Bad signatures.
func TestInvalidSignature(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	wrongPEM := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	wrong := mustSDKClient(t, wrongPEM)
	good := mustSDKClient(t, app.AppPrivateKeyPEM)

	t.Run("api call signed with another key", func(t *testing.T) {
		rsp := wrong.mustQuery(t, alipay.TradeQuery{OutTradeNo: newOrder("BADSIG", "1", "1").OutTradeNo})
		// err == nil above: the 40002 answer was signed and verified by the SDK.
		wantError(t, wrong, "query signed with a foreign key", rsp.Error, "40002", "Invalid Arguments", "isv.invalid-signature")
	})

	t.Run("page.pay with altered sign", func(t *testing.T) {
		o := newOrder("ALTS", "3", "3.00")
		u := pagePayURL(t, good, o)
		q := u.Query()
		sig, err := base64.StdEncoding.DecodeString(q.Get("sign"))
		if err != nil || len(sig) == 0 {
			t.Fatalf("SDK URL has no base64 sign: %v", err)
		}
		sig[len(sig)/2] ^= 0x5a
		q.Set("sign", base64.StdEncoding.EncodeToString(sig))
		u.RawQuery = q.Encode()
		b := newBrowser(t)
		expectErrorPage(t, b, b.get(t, u.String()), "isv.invalid-signature")
		rsp := good.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
		wantError(t, good, "query after rejected page.pay", rsp.Error, "40004", "Business Failed", "ACQ.TRADE_NOT_EXIST")
	})

	t.Run("page.pay with tampered biz_content", func(t *testing.T) {
		o := newOrder("ALTB", "3", "3.00")
		u := pagePayURL(t, good, o)
		q := u.Query()
		var biz map[string]any
		if err := json.Unmarshal([]byte(q.Get("biz_content")), &biz); err != nil {
			t.Fatalf("biz_content: %v", err)
		}
		biz["total_amount"] = "0.01"
		nb, _ := json.Marshal(biz)
		q.Set("biz_content", string(nb))
		u.RawQuery = q.Encode()
		b := newBrowser(t)
		expectErrorPage(t, b, b.get(t, u.String()), "isv.invalid-signature")
	})

	t.Run("page.pay signed with another key", func(t *testing.T) {
		o := newOrder("WRGK", "3", "3.00")
		b := newBrowser(t)
		expectErrorPage(t, b, b.get(t, pagePayURL(t, wrong, o).String()), "isv.invalid-signature")
	})
}

// 8. Resubmitting an out_trade_no.
func TestResubmitSameOutTradeNo(t *testing.T) {
	c := mustSDKClient(t, app.AppPrivateKeyPEM)
	o := newOrder("RESUB", "10", "10.00")
	b := newBrowser(t)
	first := b.openPayURL(t, pagePayURL(t, c, o))
	q1 := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
	wantSuccess(t, c, "query after first cashier GET", q1.Error)
	if q1.TradeStatus != alipay.TradeStatusWaitBuyerPay {
		t.Fatalf("after cashier GET: trade_status = %q, want WAIT_BUYER_PAY\n%s", q1.TradeStatus, c.lastExchange())
	}

	t.Run("different total_amount", func(t *testing.T) {
		changed := o
		changed.Amount = "20"
		expectErrorPage(t, b, b.get(t, pagePayURL(t, c, changed).String()), "ACQ.CONTEXT_INCONSISTENT")
		q := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
		if q.TradeStatus != alipay.TradeStatusWaitBuyerPay || q.TotalAmount != o.Want {
			t.Errorf("after the inconsistent resubmission: trade_status=%q total_amount=%q, want WAIT_BUYER_PAY %q", q.TradeStatus, q.TotalAmount, o.Want)
		}
	})

	var tradeNo string
	t.Run("identical terms", func(t *testing.T) {
		b2 := newBrowser(t) // another browser session: must reach the same trade
		again := b2.openPayURL(t, pagePayURL(t, c, o))
		t.Logf("first cashier token %s, second %s", first.Token, again.Token)
		q := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
		if q.TradeStatus != alipay.TradeStatusWaitBuyerPay || q.TradeNo != q1.TradeNo || q.TotalAmount != o.Want {
			t.Errorf("after identical resubmission: trade_status=%q trade_no=%q total_amount=%q, want WAIT_BUYER_PAY %q %q",
				q.TradeStatus, q.TradeNo, q.TotalAmount, q1.TradeNo, o.Want)
		}
		ret := checkReturn(t, c, again.pay(t, b2), o, "alipay.trade.page.pay.return")
		tradeNo = ret.Get("trade_no")
		if q1.TradeNo != "" && tradeNo != q1.TradeNo {
			t.Errorf("paying via the re-opened cashier paid trade_no %s, want the original %s", tradeNo, q1.TradeNo)
		}
	})

	t.Run("after payment", func(t *testing.T) {
		if tradeNo == "" {
			t.Skip("order was not paid")
		}
		expectErrorPage(t, b, b.get(t, pagePayURL(t, c, o).String()), "ACQ.TRADE_HAS_SUCCESS")
	})
}

// 9. Both private key encodings accepted by alipay.New give signatures
// mockpay accepts; and the key material of the apps API is consistent.
func TestPrivateKeyForms(t *testing.T) {
	pub := mustPublicKey(t, "app_public_key_pem", app.AppPublicKeyPEM)
	_ = mustPublicKey(t, "alipay_public_key_pem", app.AlipayPublicKeyPEM)

	block, _ := pem.Decode([]byte(app.AppPrivateKeyPKCS8PEM))
	if block == nil {
		t.Fatalf("app_private_key_pkcs8_pem is not PEM: %q", app.AppPrivateKeyPKCS8PEM)
	}
	bare := base64.StdEncoding.EncodeToString(block.Bytes) // Alipay key tool format: no header

	for _, tc := range []struct {
		name, key, pemType string
	}{
		{"PKCS#1 PEM", app.AppPrivateKeyPEM, "RSA PRIVATE KEY"},
		{"PKCS#8 PEM", app.AppPrivateKeyPKCS8PEM, "PRIVATE KEY"},
		{"PKCS#8 bare base64", bare, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.pemType != "" {
				blk, _ := pem.Decode([]byte(tc.key))
				if blk == nil || blk.Type != tc.pemType {
					t.Fatalf("key is not a %q PEM block: %q", tc.pemType, tc.key)
				}
				var k any
				var err error
				if tc.pemType == "RSA PRIVATE KEY" {
					k, err = x509.ParsePKCS1PrivateKey(blk.Bytes)
				} else {
					k, err = x509.ParsePKCS8PrivateKey(blk.Bytes)
				}
				if err != nil {
					t.Fatalf("parse %s: %v", tc.name, err)
				}
				rk, ok := k.(*rsa.PrivateKey)
				if !ok || !rk.PublicKey.Equal(pub) {
					t.Fatalf("%s does not match app_public_key_pem", tc.name)
				}
			}
			c := mustSDKClient(t, tc.key)
			rsp := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: newOrder("KEY", "1", "1").OutTradeNo})
			// 40004 (not 40002): mockpay accepted the signature.
			wantError(t, c, "query with "+tc.name+" client", rsp.Error, "40004", "Business Failed", "ACQ.TRADE_NOT_EXIST")
		})
	}
}

func mustPublicKey(t *testing.T, name, s string) *rsa.PublicKey {
	t.Helper()
	blk, _ := pem.Decode([]byte(s))
	if blk == nil || blk.Type != "PUBLIC KEY" {
		t.Fatalf("%s is not a PKIX \"PUBLIC KEY\" PEM block: %q", name, s)
	}
	k, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	rk, ok := k.(*rsa.PublicKey)
	if !ok {
		t.Fatalf("%s is not an RSA key", name)
	}
	return rk
}

// 10. The cashier's fail and cancel buttons leave the trade unpaid.
func TestCashierFailAndCancel(t *testing.T) {
	c := mustSDKClient(t, app.AppPrivateKeyPEM)
	t.Run("fail", func(t *testing.T) {
		o := newOrder("FAIL", "2", "2.00")
		b := newBrowser(t)
		cs := b.openPayURL(t, pagePayURL(t, c, o))
		p := cs.submit(t, b, "fail")
		t.Logf("action=fail: HTTP %d %s", p.Status, visibleText(p.Body))
		if p.Status != http.StatusOK || !p.isHTML() || strings.TrimSpace(p.Body) == "" {
			t.Errorf("POST action=fail: want an HTTP 200 HTML page with a reason, got:\n%s", p)
		}
		q := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
		wantSuccess(t, c, "query after fail", q.Error)
		if q.TradeStatus != alipay.TradeStatusWaitBuyerPay {
			t.Errorf("after action=fail: trade_status = %q, want WAIT_BUYER_PAY (left unpaid)", q.TradeStatus)
		}
		time.Sleep(1 * time.Second)
		if ns := theShop.notifications(o.OutTradeNo); len(ns) != 0 {
			t.Errorf("action=fail sent %d notification(s)", len(ns))
		}
	})
	t.Run("cancel", func(t *testing.T) {
		o := newOrder("CNCL", "2", "2.00")
		b := newBrowser(t)
		cs := b.openPayURL(t, pagePayURL(t, c, o))
		p := cs.submit(t, b, "cancel")
		t.Logf("action=cancel: HTTP %d Location %q", p.Status, p.Header.Get("Location"))
		if p.Status != http.StatusSeeOther {
			t.Fatalf("POST action=cancel: want HTTP 303 back to the shop, got:\n%s", p)
		}
		if l := p.location(t); l.Host != strings.TrimPrefix(theShop.URL, "http://") {
			t.Errorf("action=cancel redirected to %s, want a page of the shop %s", l, theShop.URL)
		}
		q := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
		if q.TradeStatus == alipay.TradeStatusSuccess || q.TradeStatus == alipay.TradeStatusFinished {
			t.Errorf("after action=cancel: trade_status = %q, want unpaid", q.TradeStatus)
		}
		time.Sleep(1 * time.Second)
		if ns := theShop.notifications(o.OutTradeNo); len(ns) != 0 {
			t.Errorf("action=cancel sent %d notification(s)", len(ns))
		}
	})
}
