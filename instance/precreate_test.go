package instance_test

import (
	"bytes"
	"image/png"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func precreateBiz(outTradeNo, amount string) map[string]any {
	return map[string]any{"out_trade_no": outTradeNo, "total_amount": amount, "subject": "QR order"}
}

// precreate calls alipay.trade.precreate and returns the qr_code.
func (e *env) precreate(outTradeNo, amount string) string {
	e.t.Helper()
	r, err := e.m.Call("alipay.trade.precreate", precreateBiz(outTradeNo, amount), map[string]string{"notify_url": e.shop.URL + "/notify"})
	if err != nil || !r.Verified || r.Code() != "10000" || r.Str("out_trade_no") != outTradeNo {
		e.t.Fatalf("precreate: %v %s", err, r.Raw)
	}
	return r.Str("qr_code")
}

var qrCodeURL = regexp.MustCompile(`^http://127\.0\.0\.1:\d+/cashier/qr/[0-9a-z]{20}$`)

// TestPrecreateScanPay: the qr_code leads to mockpay's scan page; before the
// scan there is no trade (query and close answer ACQ.TRADE_NOT_EXIST);
// scanning creates it, paying notifies (§2.7).
func TestPrecreateScanPay(t *testing.T) {
	e := newEnv(t)
	code := e.precreate("QR-1", "6.6")
	if !qrCodeURL.MatchString(code) || !strings.HasPrefix(code, e.app.URL) {
		t.Fatalf("qr_code %q does not lead to mockpay's scan page", code)
	}
	for _, method := range []string{"alipay.trade.query", "alipay.trade.close"} {
		r, _ := e.m.Call(method, map[string]string{"out_trade_no": "QR-1"}, nil)
		if r.SubCode() != "ACQ.TRADE_NOT_EXIST" {
			t.Errorf("%s before the scan: %s", method, r.Raw)
		}
	}
	if again := e.precreate("QR-1", "6.60"); again != code {
		t.Errorf("the same order precreated again got %s, want %s", again, code)
	}
	r, _ := e.m.Call("alipay.trade.precreate", precreateBiz("QR-1", "6.61"), nil)
	if r.SubCode() != "ACQ.CONTEXT_INCONSISTENT" {
		t.Errorf("precreate with other terms: %s", r.Raw)
	}

	resp, img := e.get(code + "/image.png")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("QR image: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	pic, err := png.Decode(bytes.NewReader([]byte(img)))
	if err != nil || pic.Bounds().Dx() != pic.Bounds().Dy() || pic.Bounds().Dx() < 200 || pic.Bounds().Dx() > 256 {
		t.Fatalf("QR image is not a square PNG of about 256 pixels: %v %v", err, pic.Bounds())
	}
	// A white quiet zone, then the dark corner of the top-left finder pattern.
	scale := pic.Bounds().Dx() / 41 // a URL this long is a version 4 code: 33 modules + 2*4 quiet
	if r, _, _, _ := pic.At(1, 1).RGBA(); r == 0 {
		t.Errorf("QR image has no quiet zone")
	}
	if r, _, _, _ := pic.At(4*scale+1, 4*scale+1).RGBA(); r != 0 {
		t.Errorf("QR image has no finder pattern after its quiet zone")
	}
	r, _ = e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "QR-1"}, nil)
	if r.SubCode() != "ACQ.TRADE_NOT_EXIST" {
		t.Errorf("drawing the code created the trade: %s", r.Raw)
	}

	resp, html := e.get(code)
	if resp.StatusCode != http.StatusOK || !strings.Contains(html, `data-testid="qr-image"`) || !strings.Contains(html, "6.60") {
		t.Fatalf("scan page: %d %s", resp.StatusCode, html)
	}
	tradeNo := tradeNoOf(t, html)
	r, _ = e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "QR-1"}, nil)
	if r.Str("trade_status") != "WAIT_BUYER_PAY" || r.Str("trade_no") != tradeNo {
		t.Errorf("query after the scan: %s", r.Raw)
	}
	e.payInTradeCashier(tradeNo)
	n := e.shop.next(t)
	if n.Get("trade_status") != "TRADE_SUCCESS" || n.Get("out_trade_no") != "QR-1" || e.m.VerifyParams(n) != nil {
		t.Errorf("notification: %v", n)
	}
	r, _ = e.m.Call("alipay.trade.precreate", precreateBiz("QR-1", "6.60"), nil)
	if r.SubCode() != "ACQ.TRADE_HAS_SUCCESS" {
		t.Errorf("precreate of a paid order: %s", r.Raw)
	}
}

// TestPrecreateCodeValidity: a code is valid for 2 hours of virtual time; a
// new precreate renews it; a cancel before the scan ends it (§2.7).
func TestPrecreateCodeValidity(t *testing.T) {
	e := newEnv(t)
	code := e.precreate("QR-OLD", "1")
	e.clock.Advance(2 * time.Hour)
	resp, html := e.get(code)
	if resp.StatusCode != http.StatusOK || !strings.Contains(html, "二维码已失效") || strings.Contains(html, `data-testid="pay"`) {
		t.Errorf("an expired code: %d %s", resp.StatusCode, html)
	}
	if r, _ := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "QR-OLD"}, nil); r.SubCode() != "ACQ.TRADE_NOT_EXIST" {
		t.Errorf("an expired scan created a trade: %s", r.Raw)
	}
	if again := e.precreate("QR-OLD", "1"); again != code {
		t.Errorf("renewed code %s, want %s", again, code)
	}
	e.clock.Advance(2*time.Hour - time.Second)
	if _, html := e.get(code); !strings.Contains(html, `data-testid="pay"`) {
		t.Errorf("a renewed code does not scan: %s", html)
	}

	code = e.precreate("QR-CANCEL", "1")
	r, _ := e.m.Call("alipay.trade.cancel", map[string]string{"out_trade_no": "QR-CANCEL"}, nil)
	if r.Code() != "10000" || r.Str("action") != "close" || r.Str("retry_flag") != "N" {
		t.Errorf("cancel of an unscanned code: %s", r.Raw)
	}
	if _, html := e.get(code); !strings.Contains(html, "二维码已失效") {
		t.Errorf("a cancelled code still scans: %s", html)
	}
	if resp, html := e.get(e.app.URL + "/cashier/qr/NOT-A-CODE/image.png"); resp.StatusCode != http.StatusOK || !strings.Contains(html, "ACQ.TRADE_NOT_EXIST") {
		t.Errorf("image of a malformed code: %d %s", resp.StatusCode, html)
	}
}
