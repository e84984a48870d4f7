package wechatpaygo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/app"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/h5"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/jsapi"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/native"
	"github.com/wechatpay-apiv3/wechatpay-go/services/refunddomestic"
)

var orderSeq = time.Now().UnixNano() % 1e9

func outTradeNo(prefix string) string {
	orderSeq++
	return fmt.Sprintf("%s%d", prefix, orderSeq)
}

// prepay orders total fen of tradeType through the SDK's own service and
// checks the answer's shape (§2.5).
func prepay(t *testing.T, c *core.Client, m merchant, tradeType, no, notifyURL string, total int64) {
	t.Helper()
	ctx := context.Background()
	desc, appid, mchid := core.String("mockpay compat "+tradeType), core.String(m.AppIDWx), core.String(m.MchID)
	switch tradeType {
	case "JSAPI":
		rsp, _, err := (&jsapi.JsapiApiService{Client: c}).Prepay(ctx, jsapi.PrepayRequest{Appid: appid, Mchid: mchid, Description: desc,
			OutTradeNo: core.String(no), NotifyUrl: core.String(notifyURL), Amount: &jsapi.Amount{Total: core.Int64(total)},
			Payer: &jsapi.Payer{Openid: core.String("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")}})
		if err != nil || !strings.HasPrefix(*rsp.PrepayId, "wx") {
			t.Fatalf("jsapi prepay: %v %v", err, rsp)
		}
	case "APP":
		rsp, _, err := (&app.AppApiService{Client: c}).Prepay(ctx, app.PrepayRequest{Appid: appid, Mchid: mchid, Description: desc,
			OutTradeNo: core.String(no), NotifyUrl: core.String(notifyURL), Amount: &app.Amount{Total: core.Int64(total)}})
		if err != nil || !strings.HasPrefix(*rsp.PrepayId, "wx") {
			t.Fatalf("app prepay: %v %v", err, rsp)
		}
	case "MWEB":
		rsp, _, err := (&h5.H5ApiService{Client: c}).Prepay(ctx, h5.PrepayRequest{Appid: appid, Mchid: mchid, Description: desc,
			OutTradeNo: core.String(no), NotifyUrl: core.String(notifyURL), Amount: &h5.Amount{Total: core.Int64(total)},
			SceneInfo: &h5.SceneInfo{PayerClientIp: core.String("127.0.0.1"), H5Info: &h5.H5Info{Type: core.String("Wap")}}})
		if err != nil || !strings.Contains(*rsp.H5Url, "prepay_id=wx") {
			t.Fatalf("h5 prepay: %v %v", err, rsp)
		}
	case "NATIVE":
		rsp, _, err := (&native.NativeApiService{Client: c}).Prepay(ctx, native.PrepayRequest{Appid: appid, Mchid: mchid, Description: desc,
			OutTradeNo: core.String(no), NotifyUrl: core.String(notifyURL), Amount: &native.Amount{Total: core.Int64(total)}})
		if err != nil || !strings.HasPrefix(*rsp.CodeUrl, "weixin://wxpay/bizpayurl?pr=") {
			t.Fatalf("native prepay: %v %v", err, rsp)
		}
	}
}

// runLoop is the whole loop for every trade type: prepay → pay through the
// control API → TRANSACTION.SUCCESS verified and decrypted by the SDK →
// query by both ids → partial refund → REFUND.SUCCESS → refund query.
func runLoop(t *testing.T, c *core.Client, m merchant, s *shop) {
	ctx := context.Background()
	svc := &native.NativeApiService{Client: c}
	for _, tradeType := range []string{"JSAPI", "APP", "MWEB", "NATIVE"} {
		t.Run(tradeType, func(t *testing.T) {
			no := outTradeNo("WXGO" + tradeType[:2])
			prepay(t, c, m, tradeType, no, s.url+"/pay/"+no, 100)
			if code, body := control(t, "POST", "/apps/"+m.MchID+"/orders/"+no+"/pay", nil); code != http.StatusOK {
				t.Fatalf("control pay: %d %s", code, body)
			}
			d := s.wait(no)
			if d.err != nil {
				t.Fatalf("TRANSACTION.SUCCESS refused by the SDK: %v", d.err)
			}
			r := d.request
			if r.EventType != "TRANSACTION.SUCCESS" || r.ResourceType != "encrypt-resource" || r.Resource.OriginalType != "transaction" ||
				r.Resource.AssociatedData == "" || len(r.Resource.Nonce) != 12 {
				t.Errorf("envelope: %+v %+v", r, r.Resource)
			}
			txID := str(d.content["transaction_id"])
			if str(d.content["out_trade_no"]) != no || str(d.content["trade_state"]) != "SUCCESS" || str(d.content["trade_type"]) != tradeType ||
				str(d.content["mchid"]) != m.MchID || str(d.content["appid"]) != m.AppIDWx || len(txID) != 28 {
				t.Errorf("decrypted transaction: %s", asJSON(d.content))
			}
			byNo, _, err := svc.QueryOrderByOutTradeNo(ctx, native.QueryOrderByOutTradeNoRequest{OutTradeNo: core.String(no), Mchid: core.String(m.MchID)})
			if err != nil || *byNo.TradeState != "SUCCESS" || *byNo.TransactionId != txID || *byNo.Amount.Total != 100 {
				t.Fatalf("query by out_trade_no: %v %v", err, byNo)
			}
			byID, _, err := svc.QueryOrderById(ctx, native.QueryOrderByIdRequest{TransactionId: core.String(txID), Mchid: core.String(m.MchID)})
			if err != nil || *byID.OutTradeNo != no || *byID.TradeState != "SUCCESS" || byID.SuccessTime == nil {
				t.Fatalf("query by transaction_id: %v %v", err, byID)
			}
			refunds := &refunddomestic.RefundsApiService{Client: c}
			outRefundNo := "R" + no
			rf, _, err := refunds.Create(ctx, refunddomestic.CreateRequest{OutTradeNo: core.String(no), OutRefundNo: core.String(outRefundNo),
				NotifyUrl: core.String(s.url + "/refund/" + outRefundNo),
				Amount:    &refunddomestic.AmountReq{Refund: core.Int64(30), Total: core.Int64(100), Currency: core.String("CNY")}})
			if err != nil || *rf.Amount.Refund != 30 || rf.RefundId == nil || *rf.OutRefundNo != outRefundNo {
				t.Fatalf("refund: %v %v", err, rf)
			}
			rd := s.wait(outRefundNo)
			if rd.err != nil || rd.request.EventType != "REFUND.SUCCESS" || rd.request.Resource.OriginalType != "refund" ||
				str(rd.content["refund_status"]) != "SUCCESS" || str(rd.content["refund_id"]) != *rf.RefundId || str(rd.content["out_trade_no"]) != no {
				t.Fatalf("REFUND.SUCCESS: %v %s", rd.err, asJSON(rd.content))
			}
			q, _, err := refunds.QueryByOutRefundNo(ctx, refunddomestic.QueryByOutRefundNoRequest{OutRefundNo: core.String(outRefundNo)})
			if err != nil || *q.Status != refunddomestic.STATUS_SUCCESS || *q.RefundId != *rf.RefundId || q.SuccessTime == nil {
				t.Fatalf("refund query: %v %v", err, q)
			}
			after, _, err := svc.QueryOrderByOutTradeNo(ctx, native.QueryOrderByOutTradeNoRequest{OutTradeNo: core.String(no), Mchid: core.String(m.MchID)})
			if err != nil || *after.TradeState != "REFUND" {
				t.Errorf("query after refund: %v %v", err, after)
			}
		})
	}
	t.Run("close", func(t *testing.T) { closeLoop(t, c, m, s) })
	t.Run("refund outcomes", func(t *testing.T) { refundOutcomes(t, c, m, s) })
	t.Run("errors", func(t *testing.T) { errorCases(t, c, m, s) })
}

// refundOutcomes: a refund the control API ends abnormal is notified as
// REFUND.ABNORMAL, which the SDK's notify handler verifies and decrypts,
// and queried ABNORMAL; one ended closed is REFUND.CLOSED, and its amount
// can be refunded again (wechatpay-protocol.md §2.6, §2.8).
func refundOutcomes(t *testing.T, c *core.Client, m merchant, s *shop) {
	ctx := context.Background()
	no := outTradeNo("WXGORO")
	prepay(t, c, m, "NATIVE", no, s.url+"/pay/"+no, 100)
	if code, body := control(t, "POST", "/apps/"+m.MchID+"/orders/"+no+"/pay", nil); code != http.StatusOK {
		t.Fatalf("control pay: %d %s", code, body)
	}
	txID := str(s.wait(no).content["transaction_id"])
	refunds := &refunddomestic.RefundsApiService{Client: c}
	refund := func(outRefundNo string, amount int64) *refunddomestic.Refund {
		t.Helper()
		rf, _, err := refunds.Create(ctx, refunddomestic.CreateRequest{OutTradeNo: core.String(no), OutRefundNo: core.String(outRefundNo),
			NotifyUrl: core.String(s.url + "/refund/" + outRefundNo),
			Amount:    &refunddomestic.AmountReq{Refund: core.Int64(amount), Total: core.Int64(100), Currency: core.String("CNY")}})
		if err != nil || *rf.Status != refunddomestic.STATUS_PROCESSING {
			t.Fatalf("refund %s: %v %v", outRefundNo, err, rf)
		}
		if d := s.wait(outRefundNo); d.err != nil || d.request.EventType != "REFUND.SUCCESS" {
			t.Fatalf("REFUND.SUCCESS of %s: %v %+v", outRefundNo, d.err, d.request)
		}
		return rf
	}
	// settle pulls a refund outcome lever on outRefundNo and answers the
	// notification that follows, as the SDK read it.
	settle := func(outRefundNo, lever string) delivery {
		t.Helper()
		code, body := control(t, "GET", "/trades/"+txID+"/refunds", nil)
		var rs []struct {
			ID           int64  `json:"id"`
			OutRequestNo string `json:"out_request_no"`
		}
		if err := json.Unmarshal(body, &rs); code != http.StatusOK || err != nil {
			t.Fatalf("refunds: %d %v %s", code, err, body)
		}
		for _, r := range rs {
			if r.OutRequestNo == outRefundNo {
				if code, body := control(t, "POST", "/refunds/"+strconv.FormatInt(r.ID, 10)+"/"+lever, nil); code != http.StatusOK {
					t.Fatalf("%s %s: %d %s", lever, outRefundNo, code, body)
				}
				return s.waitNth(outRefundNo, 2)
			}
		}
		t.Fatalf("no refund %s in %s", outRefundNo, body)
		return delivery{}
	}
	ab := refund("RA"+no, 40)
	d := settle("RA"+no, "fail")
	if d.err != nil || d.request.EventType != "REFUND.ABNORMAL" || d.request.Resource.OriginalType != "refund" ||
		str(d.content["refund_status"]) != "ABNORMAL" || str(d.content["refund_id"]) != *ab.RefundId {
		t.Errorf("REFUND.ABNORMAL: %v %+v %s", d.err, d.request, asJSON(d.content))
	}
	q, _, err := refunds.QueryByOutRefundNo(ctx, refunddomestic.QueryByOutRefundNoRequest{OutRefundNo: core.String("RA" + no)})
	if err != nil || *q.Status != refunddomestic.STATUS_ABNORMAL || q.SuccessTime != nil {
		t.Errorf("query of the abnormal refund: %v %v", err, q)
	}
	refund("RC"+no, 60)
	d = settle("RC"+no, "close")
	if d.err != nil || d.request.EventType != "REFUND.CLOSED" || str(d.content["refund_status"]) != "CLOSED" {
		t.Errorf("REFUND.CLOSED: %v %+v %s", d.err, d.request, asJSON(d.content))
	}
	q, _, err = refunds.QueryByOutRefundNo(ctx, refunddomestic.QueryByOutRefundNoRequest{OutRefundNo: core.String("RC" + no)})
	if err != nil || *q.Status != refunddomestic.STATUS_CLOSED {
		t.Errorf("query of the closed refund: %v %v", err, q)
	}
	refund("RD"+no, 60) // the closed refund's 60 fen are refundable again
}

// closeLoop: close answers a signed 204 the SDK accepts; the order is CLOSED
// and cannot be paid.
func closeLoop(t *testing.T, c *core.Client, m merchant, s *shop) {
	ctx := context.Background()
	svc := &native.NativeApiService{Client: c}
	no := outTradeNo("WXGOCL")
	prepay(t, c, m, "NATIVE", no, s.url+"/pay/"+no, 10)
	res, err := svc.CloseOrder(ctx, native.CloseOrderRequest{OutTradeNo: core.String(no), Mchid: core.String(m.MchID)})
	if err != nil || res.Response.StatusCode != http.StatusNoContent {
		t.Fatalf("close: %v %v", err, res)
	}
	q, _, err := svc.QueryOrderByOutTradeNo(ctx, native.QueryOrderByOutTradeNoRequest{OutTradeNo: core.String(no), Mchid: core.String(m.MchID)})
	if err != nil || *q.TradeState != "CLOSED" || q.TransactionId != nil {
		t.Fatalf("query closed: %v %v", err, q)
	}
	if code, body := control(t, "POST", "/apps/"+m.MchID+"/orders/"+no+"/pay", nil); code < 400 {
		t.Errorf("paying a closed order: %d %s", code, body)
	}
}

func apiErr(t *testing.T, err error, status int, code string) {
	t.Helper()
	var e *core.APIError
	if !errors.As(err, &e) || e.StatusCode != status || e.Code != code || e.Message == "" {
		t.Errorf("want HTTP %d %s, got %v", status, code, err)
	}
}

// errorCases: unknown order, over-refund, reused out_trade_no on other
// terms, in the SDK's APIError.
func errorCases(t *testing.T, c *core.Client, m merchant, s *shop) {
	ctx := context.Background()
	svc := &native.NativeApiService{Client: c}
	_, _, err := svc.QueryOrderByOutTradeNo(ctx, native.QueryOrderByOutTradeNoRequest{OutTradeNo: core.String("NO_SUCH_ORDER_1"), Mchid: core.String(m.MchID)})
	apiErr(t, err, 404, "ORDER_NOT_EXIST")
	_, _, err = svc.QueryOrderById(ctx, native.QueryOrderByIdRequest{TransactionId: core.String("4200000000202612020000000000"), Mchid: core.String(m.MchID)})
	apiErr(t, err, 404, "ORDER_NOT_EXIST")

	no := outTradeNo("WXGOER")
	prepay(t, c, m, "NATIVE", no, s.url+"/pay/"+no, 100)
	prepay(t, c, m, "NATIVE", no, s.url+"/pay/"+no, 100) // identical terms: accepted again
	_, _, err = svc.Prepay(ctx, native.PrepayRequest{Appid: core.String(m.AppIDWx), Mchid: core.String(m.MchID), Description: core.String("mockpay compat NATIVE"),
		OutTradeNo: core.String(no), NotifyUrl: core.String(s.url + "/pay/" + no), Amount: &native.Amount{Total: core.Int64(200)}})
	apiErr(t, err, 400, "INVALID_REQUEST")
	_, _, err = svc.Prepay(ctx, native.PrepayRequest{Appid: core.String(m.AppIDWx), Mchid: core.String(m.MchID), Description: core.String("x"),
		OutTradeNo: core.String("bad no!"), NotifyUrl: core.String(s.url + "/pay/x"), Amount: &native.Amount{Total: core.Int64(1)}})
	apiErr(t, err, 400, "PARAM_ERROR")

	if code, body := control(t, "POST", "/apps/"+m.MchID+"/orders/"+no+"/pay", nil); code != http.StatusOK {
		t.Fatalf("control pay: %d %s", code, body)
	}
	_, _, err = (&refunddomestic.RefundsApiService{Client: c}).Create(ctx, refunddomestic.CreateRequest{OutTradeNo: core.String(no), OutRefundNo: core.String("R" + no),
		Amount: &refunddomestic.AmountReq{Refund: core.Int64(101), Total: core.Int64(100), Currency: core.String("CNY")}})
	apiErr(t, err, 400, "INVALID_REQUEST")
	_, _, err = (&refunddomestic.RefundsApiService{Client: c}).QueryByOutRefundNo(ctx, refunddomestic.QueryByOutRefundNoRequest{OutRefundNo: core.String("NO_SUCH_REFUND")})
	apiErr(t, err, 404, "RESOURCE_NOT_EXISTS")
}

var _ = payments.Transaction{}
