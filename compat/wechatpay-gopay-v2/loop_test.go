package gopayv2

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-pay/gopay"
	"github.com/go-pay/gopay/wechat"
	"github.com/go-pay/util"
)

// client is gopay's APIv2 client as a shop configures it for mockpay: the
// merchant's ids and APIv2 key, production mode, BaseURL = api_base_url.
func client(m merchant) *wechat.Client {
	c := wechat.NewClient(m.AppID, m.MchID, m.APIv2Key, true)
	c.BaseURL = m.APIBaseURL
	return c
}

var seq atomic.Int64

func outTradeNo(prefix string) string {
	return fmt.Sprintf("%s%d%03d", prefix, time.Now().UnixMilli()%1e9, seq.Add(1)%1000)
}

func nonce() string { return util.RandomString(32) }

// verify checks a response or notification with gopay's VerifySign, as a
// shop does: the struct (re-serialised: only documented fields, P-V2-3)
// and the BodyMap.
func verify(t *testing.T, what, key, signType string, beans ...any) {
	t.Helper()
	for _, b := range beans {
		if ok, err := wechat.VerifySign(key, signType, b); !ok || err != nil {
			t.Errorf("%s: gopay's VerifySign(%s) on %T: %v %v", what, signType, b, ok, err)
		}
	}
}

var signTypes = []string{wechat.SignType_MD5, wechat.SignType_HMAC_SHA256}

// TestLoop is the whole loop per sign type and trade type: unifiedorder →
// pay (control API) → pay notification parsed and verified with gopay's
// functions → orderquery → refund → refund notification decrypted by
// gopay → refundquery → the rest refunded.
func TestLoop(t *testing.T) {
	m := merchantFor(t, 0)
	for _, st := range signTypes {
		for _, tt := range []string{"NATIVE", "JSAPI", "MWEB", "APP"} {
			t.Run(st+"/"+tt, func(t *testing.T) { loop(t, m, st, tt) })
		}
	}
}

func order(m merchant, otn, st, tt string, fee int) gopay.BodyMap {
	bm := make(gopay.BodyMap)
	bm.Set("nonce_str", nonce()).Set("body", "gopay v2 "+tt).Set("out_trade_no", otn).Set("total_fee", fee).
		Set("spbill_create_ip", "127.0.0.1").Set("notify_url", shopURL+"/notify").Set("trade_type", tt).
		Set("sign_type", st).Set("attach", "a&b=<c> html")
	switch tt {
	case "JSAPI":
		bm.Set("openid", "oShopBuyerOpenID000000000001")
	case "MWEB":
		bm.Set("scene_info", `{"h5_info":{"type":"Wap","wap_url":"https://shop.example","wap_name":"shop"}}`)
	}
	return bm
}

func loop(t *testing.T, m merchant, st, tt string) {
	ctx := context.Background()
	c := client(m)
	otn := outTradeNo("GP2" + tt[:2])
	shop.expect(otn, m.APIv2Key, st)
	rsp, err := c.UnifiedOrder(ctx, order(m, otn, st, tt, 1001))
	if err != nil {
		t.Fatal(err)
	}
	if rsp.ReturnCode != "SUCCESS" || rsp.ResultCode != "SUCCESS" || rsp.PrepayId == "" || rsp.TradeType != tt ||
		rsp.Appid != m.AppID || rsp.MchId != m.MchID {
		t.Fatalf("unifiedorder: %+v", rsp)
	}
	verify(t, "unifiedorder", m.APIv2Key, st, rsp)
	switch tt {
	case "NATIVE":
		if !strings.HasPrefix(rsp.CodeUrl, "weixin://wxpay/bizpayurl?pr=") {
			t.Errorf("code_url %q", rsp.CodeUrl)
		}
	case "MWEB":
		checkMWeb(t, rsp.MwebUrl)
	}
	if tt == "JSAPI" {
		// What the shop hands the page (WeixinJSBridge), signed by gopay;
		// mockpay's wallet page checks it and opens the cashier.
		checkJSAPI(t, m, rsp.PrepayId, st)
	}
	// The same order again answers the same trade (§1.5).
	again, err := c.UnifiedOrder(ctx, order(m, otn, st, tt, 1001))
	if err != nil || again.ResultCode != "SUCCESS" {
		t.Errorf("resubmitted order: %+v %v", again, err)
	}

	from := shop.count()
	control(t, "/apps/"+m.MchID+"/orders/"+otn+"/pay", nil)
	n := shop.await(t, from, func(r received) bool { return !r.Refund && r.Fields.GetString("out_trade_no") == otn })
	if n.Err != "" || !n.Verified {
		t.Fatalf("pay notification: verified=%v %s: %v", n.Verified, n.Err, n.Fields)
	}
	if n.Fields.GetString("sign_type") != "" {
		t.Errorf("the pay notification carries sign_type (P-V2-2): %v", n.Fields)
	}
	if n.Struct.ResultCode != "SUCCESS" || n.Struct.TotalFee != "1001" || n.Struct.Attach != "a&b=<c> html" ||
		n.Struct.TradeType != tt || n.Struct.TransactionId == "" || n.Struct.TimeEnd == "" || n.Struct.Openid == "" {
		t.Errorf("pay notification: %+v", n.Struct)
	}
	txID := n.Struct.TransactionId

	qbm := make(gopay.BodyMap)
	qbm.Set("nonce_str", nonce()).Set("out_trade_no", otn).Set("sign_type", st)
	q, qres, err := c.QueryOrder(ctx, qbm)
	if err != nil {
		t.Fatal(err)
	}
	if q.ResultCode != "SUCCESS" || q.TradeState != "SUCCESS" || q.TransactionId != txID || q.TotalFee != "1001" || q.Attach != "a&b=<c> html" {
		t.Errorf("orderquery: %+v", q)
	}
	verify(t, "orderquery", m.APIv2Key, st, q, qres)

	// Paid: ordering again or closing it is refused (§1.5, §1.7).
	if r, err := c.UnifiedOrder(ctx, order(m, otn, st, tt, 1001)); err != nil || r.ResultCode != "FAIL" || r.ErrCode != "ORDERPAID" {
		t.Errorf("order of a paid out_trade_no: %+v %v", r, err)
	} else {
		verify(t, "ORDERPAID", m.APIv2Key, st, r)
	}
	cbm := make(gopay.BodyMap)
	cbm.Set("nonce_str", nonce()).Set("out_trade_no", otn).Set("sign_type", st)
	if r, err := c.CloseOrder(ctx, cbm); err != nil || r.ErrCode != "ORDERPAID" {
		t.Errorf("close of a paid order: %+v %v", r, err)
	}

	refund := func(no string, fee int) *wechat.RefundResponse {
		t.Helper()
		rbm := make(gopay.BodyMap)
		rbm.Set("nonce_str", nonce()).Set("transaction_id", txID).Set("out_refund_no", no).Set("total_fee", 1001).
			Set("refund_fee", fee).Set("sign_type", st).Set("notify_url", shopURL+"/refund")
		r, rres, err := c.Refund(ctx, rbm)
		if err != nil {
			t.Fatal(err)
		}
		if r.ResultCode == "SUCCESS" {
			verify(t, "refund", m.APIv2Key, st, r, rres)
		}
		return r
	}
	from = shop.count()
	r := refund(otn+"R1", 300)
	if r.ResultCode != "SUCCESS" || r.RefundId == "" || r.RefundFee != "300" || r.OutTradeNo != otn || r.TransactionId != txID {
		t.Fatalf("refund: %+v", r)
	}
	rn := shop.await(t, from, func(x received) bool { return x.Refund && x.Info != nil && x.Info.OutRefundNo == otn+"R1" })
	if rn.Err != "" || rn.Info.RefundStatus != "SUCCESS" || rn.Info.RefundFee != "300" || rn.Info.TotalFee != "1001" ||
		rn.Info.RefundId != r.RefundId || rn.Info.TransactionId != txID || rn.Info.SuccessTime == "" {
		t.Errorf("refund notification: %s %+v", rn.Err, rn.Info)
	}
	if again := refund(otn+"R1", 300); again.ResultCode != "SUCCESS" || again.RefundId != r.RefundId {
		t.Errorf("the same out_refund_no again: %+v", again)
	}
	if over := refund(otn+"R2", 702); over.ResultCode != "FAIL" || over.ErrCode == "" {
		t.Errorf("a refund beyond the rest: %+v", over)
	}

	rq := func(field, value string) (*wechat.QueryRefundResponse, gopay.BodyMap) {
		t.Helper()
		bm := make(gopay.BodyMap)
		bm.Set("nonce_str", nonce()).Set(field, value).Set("sign_type", st)
		res, bm2, err := c.QueryRefund(ctx, bm)
		if err != nil {
			t.Fatal(err)
		}
		return res, bm2
	}
	for _, by := range [][2]string{{"out_refund_no", otn + "R1"}, {"out_trade_no", otn}, {"transaction_id", txID}, {"refund_id", r.RefundId}} {
		res, bm := rq(by[0], by[1])
		if res.ResultCode != "SUCCESS" || res.RefundCount != "1" || res.OutRefundNo0 != otn+"R1" || res.RefundId0 != r.RefundId ||
			res.RefundStatus0 != "SUCCESS" || res.RefundFee0 != "300" || res.RefundSuccessTime0 == "" {
			t.Errorf("refundquery by %s: %+v", by[0], res)
		}
		verify(t, "refundquery by "+by[0], m.APIv2Key, st, res, bm)
	}
	if rest := refund(otn+"R2", 701); rest.ResultCode != "SUCCESS" {
		t.Errorf("refund of the rest: %+v", rest)
	}
	if res, _ := rq("out_trade_no", otn); res.RefundCount != "2" || res.OutRefundNo1 != otn+"R2" || res.RefundFee != "1001" {
		t.Errorf("refundquery after two refunds: %+v", res)
	}
	q, _, _ = c.QueryOrder(ctx, qbm)
	if q.TradeState != "REFUND" {
		t.Errorf("orderquery after refunds: %+v", q)
	}
}

// checkMWeb opens mweb_url as the buyer's browser does (§1.5): mockpay's
// page, which leads to the cashier.
func checkMWeb(t *testing.T, mweb string) {
	t.Helper()
	if !strings.HasPrefix(mweb, baseURL+"/") {
		t.Fatalf("mweb_url %q is not on mockpay", mweb)
	}
	noRedirect := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	rsp, err := noRedirect.Get(mweb + "&redirect_url=" + "https%3A%2F%2Fshop.example%2Fdone")
	if err != nil {
		t.Fatal(err)
	}
	rsp.Body.Close()
	loc := rsp.Header.Get("Location")
	if rsp.StatusCode/100 == 3 && strings.Contains(loc, "/cashier/") || rsp.StatusCode == http.StatusOK {
		return
	}
	t.Errorf("mweb_url %s: %d %s, want the cashier", mweb, rsp.StatusCode, loc)
}

// TestClose: an unpaid order closes once; then it is ORDERCLOSED to close
// and to order again (§1.7).
func TestClose(t *testing.T) {
	ctx := context.Background()
	m := merchantFor(t, 1)
	c := client(m)
	for _, st := range signTypes {
		otn := outTradeNo("GP2CL")
		if r, err := c.UnifiedOrder(ctx, order(m, otn, st, "NATIVE", 1)); err != nil || r.ResultCode != "SUCCESS" {
			t.Fatalf("unifiedorder: %+v %v", r, err)
		}
		cbm := make(gopay.BodyMap)
		cbm.Set("nonce_str", nonce()).Set("out_trade_no", otn).Set("sign_type", st)
		r, err := c.CloseOrder(ctx, cbm)
		if err != nil || r.ReturnCode != "SUCCESS" || r.ResultCode != "SUCCESS" {
			t.Fatalf("closeorder: %+v %v", r, err)
		}
		verify(t, "closeorder", m.APIv2Key, st, r)
		qbm := make(gopay.BodyMap)
		qbm.Set("nonce_str", nonce()).Set("out_trade_no", otn).Set("sign_type", st)
		if q, _, err := c.QueryOrder(ctx, qbm); err != nil || q.TradeState != "CLOSED" {
			t.Errorf("orderquery after close: %+v %v", q, err)
		}
		if r, err := c.CloseOrder(ctx, cbm); err != nil || r.ErrCode != "ORDERCLOSED" {
			t.Errorf("second close: %+v %v", r, err)
		}
		if r, err := c.UnifiedOrder(ctx, order(m, otn, st, "NATIVE", 1)); err != nil || r.ErrCode != "ORDERCLOSED" {
			t.Errorf("order of a closed out_trade_no: %+v %v", r, err)
		}
	}
}

// checkJSAPI opens mockpay's JSAPI wallet page with the parameters gopay's
// GetJsapiPaySign signs (§1.12): accepted into the cashier; a tampered
// paySign is refused.
func checkJSAPI(t *testing.T, m merchant, prepayID, st string) {
	t.Helper()
	ts, n := fmt.Sprint(time.Now().Unix()), nonce()
	pkg := "prepay_id=" + prepayID
	paySign := wechat.GetJsapiPaySign(m.AppID, n, pkg, st, ts, m.APIv2Key)
	noRedirect := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	open := func(sig string) (*http.Response, string) {
		q := url.Values{"appId": {m.AppID}, "timeStamp": {ts}, "nonceStr": {n}, "package": {pkg}, "signType": {st}, "paySign": {sig}}
		rsp, err := noRedirect.Get(m.APIBaseURL + "/wxpay/jsapi?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer rsp.Body.Close()
		b, _ := io.ReadAll(rsp.Body)
		return rsp, string(b)
	}
	if rsp, body := open(paySign); rsp.StatusCode/100 != 3 || !strings.Contains(rsp.Header.Get("Location"), "/cashier/") {
		t.Errorf("JSAPI page with gopay's paySign: %d %s %s", rsp.StatusCode, rsp.Header.Get("Location"), body)
	}
	tampered := "0" + paySign[1:]
	if tampered == paySign {
		tampered = "1" + paySign[1:]
	}
	if rsp, body := open(tampered); rsp.StatusCode/100 == 3 || !strings.Contains(body, "SIGN_ERROR") {
		t.Errorf("JSAPI page with a tampered paySign: %d %s", rsp.StatusCode, rsp.Header.Get("Location"))
	}
}
