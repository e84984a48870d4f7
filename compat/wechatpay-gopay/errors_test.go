package wechatpaygopay

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/go-pay/gopay"
	wechat "github.com/go-pay/gopay/wechat/v3"
)

// wantErr asserts gopay's view of a refusal: HTTP status and the
// {code,message} body it decodes into ErrResponse (§2.7, P-V3-6).
func wantErr(t *testing.T, what string, code int, er wechat.ErrResponse, body string, err error, status int, wantCode string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: gopay error %v (a refusal must come back as Code/ErrResponse)", what, err)
	}
	if code != status || er.Code != wantCode || er.Message == "" {
		t.Fatalf("%s: got HTTP %d %+v (%s), want HTTP %d %s with a message", what, code, er, body, status, wantCode)
	}
}

func TestErrors(t *testing.T) {
	forEach(t, func(t *testing.T, r route, a wxApp) {
		c := newClient(t, r, a)
		s := newShop(t)
		ctx := context.Background()

		t.Run("bad signature", func(t *testing.T) {
			// The right merchant id and serial, the wrong private key: the
			// other fixture merchant's.
			var other wxApp
			for _, o := range wxApps {
				if o.MchID != a.MchID {
					other = o
				}
			}
			bad, err := wechat.NewClientV3(a.MchID, a.MerchantSerialNo, a.APIv3Key, other.MerchantPrivateKeyPEM)
			if err != nil {
				t.Fatal(err)
			}
			if r.setup != nil {
				r.setup(bad, a)
			}
			rsp, err := bad.V3TransactionQueryOrder(ctx, wechat.OutTradeNo, newOutTradeNo("S"))
			wantErr(t, "query signed with another key", rsp.Code, rsp.ErrResponse, rsp.Error, err, http.StatusUnauthorized, "SIGN_ERROR")
		})

		t.Run("unknown order", func(t *testing.T) {
			no := newOutTradeNo("U")
			rsp, err := c.V3TransactionQueryOrder(ctx, wechat.OutTradeNo, no)
			wantErr(t, "query of an unknown out_trade_no", rsp.Code, rsp.ErrResponse, rsp.Error, err, http.StatusNotFound, "ORDER_NOT_EXIST")
			rsp, err = c.V3TransactionQueryOrder(ctx, wechat.TransactionId, "4200000000202612020000000000")
			wantErr(t, "query of an unknown transaction_id", rsp.Code, rsp.ErrResponse, rsp.Error, err, http.StatusNotFound, "ORDER_NOT_EXIST")
		})

		t.Run("over-refund", func(t *testing.T) {
			no := newOutTradeNo("O")
			prepay(t, c, a, s, "NATIVE", no, 100)
			pay(t, a, no)
			bm := make(gopay.BodyMap)
			bm.Set("out_trade_no", no).Set("out_refund_no", "R"+no).
				SetBodyMap("amount", func(b gopay.BodyMap) { b.Set("refund", 101).Set("total", 100).Set("currency", "CNY") })
			rsp, err := c.V3Refund(ctx, bm)
			wantErr(t, "refund above the order amount", rsp.Code, rsp.ErrResponse, rsp.Error, err, http.StatusBadRequest, "INVALID_REQUEST")
		})

		t.Run("reused out_trade_no", func(t *testing.T) {
			no := newOutTradeNo("D")
			prepay(t, c, a, s, "NATIVE", no, 100)
			// Identical terms again: accepted (§2.5 re-entry).
			prepay(t, c, a, s, "NATIVE", no, 100)
			rsp, err := c.V3TransactionNative(ctx, order(a, s, no, 200))
			wantErr(t, "same out_trade_no, other amount", rsp.Code, rsp.ErrResponse, rsp.Error, err, http.StatusBadRequest, "INVALID_REQUEST")
		})

		t.Run("close a paid order", func(t *testing.T) {
			// Not 204: a paid order is refunded, not closed (§1.7, §2.7).
			no := newOutTradeNo("P")
			prepay(t, c, a, s, "NATIVE", no, 1)
			pay(t, a, no)
			rsp, err := c.V3TransactionCloseOrder(ctx, no)
			wantErr(t, "close of a paid order", rsp.Code, rsp.ErrResponse, rsp.Error, err, http.StatusBadRequest, "ORDER_PAID")
		})

		t.Run("field rules", func(t *testing.T) {
			// §2.5: each breaks one rule of an otherwise valid Native order.
			for name, mutate := range map[string]func(bm gopay.BodyMap){
				"description of 128 chars": func(bm gopay.BodyMap) { bm.Set("description", strings.Repeat("x", 128)) },
				"out_trade_no with #":      func(bm gopay.BodyMap) { bm.Set("out_trade_no", "GP#"+newOutTradeNo("F")) },
				"out_trade_no of 5 chars":  func(bm gopay.BodyMap) { bm.Set("out_trade_no", "GP123") },
				"amount 0": func(bm gopay.BodyMap) {
					bm.SetBodyMap("amount", func(b gopay.BodyMap) { b.Set("total", 0).Set("currency", "CNY") })
				},
				"notify_url with a query": func(bm gopay.BodyMap) { bm.Set("notify_url", s.notifyURL("q")+"?a=b") },
			} {
				bm := order(a, s, newOutTradeNo("F"), 1)
				mutate(bm)
				rsp, err := c.V3TransactionNative(ctx, bm)
				wantErr(t, name, rsp.Code, rsp.ErrResponse, rsp.Error, err, http.StatusBadRequest, "PARAM_ERROR")
			}
		})

		t.Run("tampered notification", func(t *testing.T) {
			// The shop side of a bad signature: gopay must refuse a
			// notification whose body was altered after signing.
			no := newOutTradeNo("T")
			prepay(t, c, a, s, "NATIVE", no, 1)
			pay(t, a, no)
			d := s.wait(t, no, false)
			forged := *d.req
			si := *d.req.SignInfo
			si.SignBody = si.SignBody + " "
			forged.SignInfo = &si
			if err := forged.VerifySignByPKMap(c.WxPublicKeyMap()); err == nil {
				t.Fatalf("VerifySignByPKMap accepted an altered body")
			}
		})
	})
}
