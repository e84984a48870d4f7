package wechatpaygopay

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-pay/gopay"
	wechat "github.com/go-pay/gopay/wechat/v3"
)

const openid = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"

// order is the body every trade type shares (§2.5).
func order(a wxApp, s *shop, outTradeNo string, total int) gopay.BodyMap {
	bm := make(gopay.BodyMap)
	bm.Set("appid", a.Appid).
		Set("description", "compat gopay "+outTradeNo).
		Set("out_trade_no", outTradeNo).
		Set("notify_url", s.notifyURL(outTradeNo)).
		SetBodyMap("amount", func(b gopay.BodyMap) { b.Set("total", total).Set("currency", "CNY") })
	return bm
}

// prepay places one order of the given trade type through gopay and
// returns the trade_type the platform reports for it (H5 is MWEB, §2.6).
func prepay(t *testing.T, c *wechat.ClientV3, a wxApp, s *shop, kind, outTradeNo string, total int) string {
	t.Helper()
	ctx := context.Background()
	bm := order(a, s, outTradeNo, total)
	switch kind {
	case "JSAPI":
		bm.SetBodyMap("payer", func(b gopay.BodyMap) { b.Set("openid", openid) })
		rsp, err := c.V3TransactionJsapi(ctx, bm)
		mustOK(t, "V3TransactionJsapi", rsp.Code, rsp.Error, err)
		if rsp.Response.PrepayId == "" {
			t.Fatalf("JSAPI: empty prepay_id")
		}
		checkBuyerJSAPI(t, c, a, rsp.Response.PrepayId)
		return "JSAPI"
	case "APP":
		rsp, err := c.V3TransactionApp(ctx, bm)
		mustOK(t, "V3TransactionApp", rsp.Code, rsp.Error, err)
		if rsp.Response.PrepayId == "" {
			t.Fatalf("APP: empty prepay_id")
		}
		// The shop hands the app gopay's own signature over it (§2.9).
		if _, err := c.PaySignOfApp(a.Appid, rsp.Response.PrepayId); err != nil {
			t.Fatalf("PaySignOfApp: %v", err)
		}
		return "APP"
	case "H5":
		bm.SetBodyMap("scene_info", func(b gopay.BodyMap) {
			b.Set("payer_client_ip", "127.0.0.1").SetBodyMap("h5_info", func(h gopay.BodyMap) { h.Set("type", "Wap") })
		})
		rsp, err := c.V3TransactionH5(ctx, bm)
		mustOK(t, "V3TransactionH5", rsp.Code, rsp.Error, err)
		if !strings.HasPrefix(rsp.Response.H5Url, "http") {
			t.Fatalf("H5: h5_url %q", rsp.Response.H5Url)
		}
		mustReachCashier(t, "h5_url", rsp.Response.H5Url)
		return "MWEB"
	case "NATIVE":
		rsp, err := c.V3TransactionNative(ctx, bm)
		mustOK(t, "V3TransactionNative", rsp.Code, rsp.Error, err)
		if !strings.HasPrefix(rsp.Response.CodeUrl, "weixin://wxpay/bizpayurl?pr=") {
			t.Fatalf("Native: code_url %q", rsp.Response.CodeUrl)
		}
		checkBuyerNative(t, a, rsp.Response.CodeUrl)
		return "NATIVE"
	}
	t.Fatalf("trade type %s", kind)
	return ""
}

// mustOK fails unless gopay reported success (Code 0) with no error; err is
// where gopay's own answer-signature check reports.
func mustOK(t *testing.T, what string, code int, body string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if code != wechat.Success {
		t.Fatalf("%s: HTTP %d %s", what, code, body)
	}
}

// TestLoop: every trade type gopay supports → pay → TRANSACTION.SUCCESS
// verified and decrypted by gopay → query by both ids → refund →
// REFUND.SUCCESS → refund query, for both routes and both key modes.
func TestLoop(t *testing.T) {
	forEach(t, func(t *testing.T, r route, a wxApp) {
		c := newClient(t, r, a)
		s := newShop(t)
		ctx := context.Background()
		for _, kind := range []string{"JSAPI", "APP", "H5", "NATIVE"} {
			t.Run(kind, func(t *testing.T) {
				no := newOutTradeNo(kind)
				const total = 201
				tradeType := prepay(t, c, a, s, kind, no, total)
				pay(t, a, no)

				d := s.wait(t, no, false)
				if err := d.req.VerifySignByPKMap(c.WxPublicKeyMap()); err != nil {
					t.Fatalf("VerifySignByPKMap on TRANSACTION.SUCCESS (Wechatpay-Serial %q): %v", d.hdr.Get("Wechatpay-Serial"), err)
				}
				if d.req.EventType != "TRANSACTION.SUCCESS" || d.req.ResourceType != "encrypt-resource" || d.req.Resource.OriginalType != "transaction" {
					t.Fatalf("notification envelope: %s", d.body)
				}
				res, err := d.req.DecryptPayCipherText(a.APIv3Key)
				if err != nil {
					t.Fatalf("DecryptPayCipherText: %v", err)
				}
				if res.OutTradeNo != no || res.TradeState != "SUCCESS" || res.Mchid != a.MchID || res.Appid != a.Appid ||
					res.TradeType != tradeType || res.Amount == nil || res.Amount.Total != total || res.TransactionId == "" {
					t.Fatalf("decrypted transaction: %+v", res)
				}
				if _, err := time.Parse(time.RFC3339, res.SuccessTime); err != nil {
					t.Fatalf("success_time %q is not RFC 3339 (P-V3-9)", res.SuccessTime)
				}
				if kind == "JSAPI" && (res.Payer == nil || res.Payer.Openid != openid) {
					t.Fatalf("JSAPI payer: %+v, want the order's openid %s", res.Payer, openid)
				}

				byNo, err := c.V3TransactionQueryOrder(ctx, wechat.OutTradeNo, no)
				mustOK(t, "query by out_trade_no", byNo.Code, byNo.Error, err)
				byID, err := c.V3TransactionQueryOrder(ctx, wechat.TransactionId, res.TransactionId)
				mustOK(t, "query by transaction_id", byID.Code, byID.Error, err)
				for _, q := range []*wechat.QueryOrder{byNo.Response, byID.Response} {
					if q.TradeState != "SUCCESS" || q.OutTradeNo != no || q.TransactionId != res.TransactionId || q.TradeType != tradeType || q.Amount == nil || q.Amount.Total != total {
						t.Fatalf("query: %+v", q)
					}
				}

				refundNo := "R" + no
				bm := make(gopay.BodyMap)
				bm.Set("out_trade_no", no).Set("out_refund_no", refundNo).Set("reason", "compat").
					Set("notify_url", s.notifyURL(refundNo)).
					SetBodyMap("amount", func(b gopay.BodyMap) { b.Set("refund", 101).Set("total", total).Set("currency", "CNY") })
				rf, err := c.V3Refund(ctx, bm)
				mustOK(t, "V3Refund", rf.Code, rf.Error, err)
				if rf.Response.OutRefundNo != refundNo || rf.Response.RefundId == "" || rf.Response.Amount == nil || rf.Response.Amount.Refund != 101 ||
					(rf.Response.Status != "PROCESSING" && rf.Response.Status != "SUCCESS") {
					t.Fatalf("refund: %+v", rf.Response)
				}

				rd := s.wait(t, refundNo, true)
				if err := rd.req.VerifySignByPKMap(c.WxPublicKeyMap()); err != nil {
					t.Fatalf("VerifySignByPKMap on REFUND.SUCCESS: %v", err)
				}
				if rd.req.EventType != "REFUND.SUCCESS" || rd.req.Resource.OriginalType != "refund" {
					t.Fatalf("refund notification envelope: %s", rd.body)
				}
				rr, err := rd.req.DecryptRefundCipherText(a.APIv3Key)
				if err != nil {
					t.Fatalf("DecryptRefundCipherText: %v", err)
				}
				if rr.OutRefundNo != refundNo || rr.OutTradeNo != no || rr.RefundStatus != "SUCCESS" || rr.RefundId != rf.Response.RefundId || rr.Amount == nil || rr.Amount.Refund != 101 {
					t.Fatalf("decrypted refund: %+v", rr)
				}

				rq, err := c.V3RefundQuery(ctx, refundNo, nil)
				mustOK(t, "V3RefundQuery", rq.Code, rq.Error, err)
				if rq.Response.Status != "SUCCESS" || rq.Response.RefundId != rf.Response.RefundId || rq.Response.OutTradeNo != no {
					t.Fatalf("refund query: %+v", rq.Response)
				}

				// Refunded, even in part: trade_state REFUND (§1.6).
				after, err := c.V3TransactionQueryOrder(ctx, wechat.OutTradeNo, no)
				mustOK(t, "query after refund", after.Code, after.Error, err)
				if after.Response.TradeState != "REFUND" {
					t.Fatalf("trade_state after a refund: %q, want REFUND", after.Response.TradeState)
				}
			})
		}
	})
}

// TestClose: close an unpaid order (exactly 204, signed, verified by gopay)
// and the query says CLOSED; paying it afterwards is refused.
func TestClose(t *testing.T) {
	forEach(t, func(t *testing.T, r route, a wxApp) {
		c := newClient(t, r, a)
		s := newShop(t)
		ctx := context.Background()
		no := newOutTradeNo("C")
		prepay(t, c, a, s, "NATIVE", no, 1)
		cl, err := c.V3TransactionCloseOrder(ctx, no)
		if err != nil {
			t.Fatalf("V3TransactionCloseOrder (gopay verifies the 204's signature): %v", err)
		}
		if cl.Code != wechat.Success {
			t.Fatalf("close: gopay wants exactly 204, got HTTP %d %s", cl.Code, cl.Error)
		}
		q, err := c.V3TransactionQueryOrder(ctx, wechat.OutTradeNo, no)
		mustOK(t, "query after close", q.Code, q.Error, err)
		if q.Response.TradeState != "CLOSED" {
			t.Fatalf("trade_state after close: %+v", q.Response)
		}
		if _, status, _ := control(http.MethodPost, "/_mockpay/api/apps/"+a.MchID+"/orders/"+no+"/pay", nil); status/100 == 2 {
			t.Fatalf("control API paid a closed order (HTTP %d)", status)
		}
	})
}
