package mapi

import (
	"os"
	"testing"
	"time"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/internal/goldenfile"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

const testKey = "0123456789abcdefghijklmnopqrstuv"

func testPartner() *payment.App {
	a := &payment.App{
		AppID: "2088102100000011", PID: "2088102100000011", Name: "shop", SellerEmail: "seller@example.com",
		SignType: sign.MD5Type, Speaks: payment.ProtocolLegacy,
	}
	kit.SetCreds(a, kit.Credentials{Legacy: &kit.Partner{MD5Key: testKey}})
	return a
}

// TestVerifyRequest: vectors computed outside Go (Python hashlib) from the
// §1.2 rule: sign and sign_type and empty values out, sorted, raw values,
// key appended, lower-case hex; gbk requests over their gbk bytes.
func TestVerifyRequest(t *testing.T) {
	order := func(cs, subject, sig string) sign.Params {
		return sign.Params{
			{Key: "service", Value: "create_direct_pay_by_user"}, {Key: "partner", Value: "2088102100000011"},
			{Key: "_input_charset", Value: cs}, {Key: "out_trade_no", Value: "T-1"}, {Key: "subject", Value: subject},
			{Key: "payment_type", Value: "1"}, {Key: "total_fee", Value: "0.01"}, {Key: "seller_id", Value: "2088102100000011"},
			{Key: "body", Value: ""}, {Key: "sign_type", Value: "MD5"}, {Key: "sign", Value: sig},
		}
	}
	gbk := string(kit.Encode("测试", kit.GBK))
	cases := []struct {
		name   string
		params sign.Params
		code   payment.Code // "" when it verifies
	}{
		{"utf-8 vector", order("utf-8", "测试", "95a5df09ef1b765e9d2837095dca0550"), ""},
		{"upper-case hex is accepted", order("utf-8", "测试", "95A5DF09EF1B765E9D2837095DCA0550"), ""},
		{"gbk vector over gbk bytes", order("gbk", gbk, "d5ffa7168a79c6c1a8748ade4f729362"), ""},
		{"gbk bytes signed as utf-8 text", order("gbk", gbk, "95a5df09ef1b765e9d2837095dca0550"), payment.CodeInvalidSignature},
		{"one changed value", order("utf-8", "测试!", "95a5df09ef1b765e9d2837095dca0550"), payment.CodeInvalidSignature},
		{"empty sign", order("utf-8", "测试", ""), payment.CodeMissingSignature},
	}
	for _, c := range cases {
		_, err := verifyRequest(testPartner(), c.params)
		if payment.CodeOf(err) != c.code && !(c.code == "" && err == nil) {
			t.Errorf("%s: %v, want %q", c.name, err, c.code)
		}
	}
	p := order("utf-8", "测试", "95a5df09ef1b765e9d2837095dca0550")
	for _, st := range []struct {
		value string
		code  payment.Code
	}{{"", payment.CodeMissingSignType}, {"md5", payment.CodeInvalidSignType}, {"DSA", payment.CodeInvalidSignType}, {"RSA", payment.CodeMissingSignConfig}} {
		q := append(sign.Params(nil), p...)
		q[len(q)-2].Value = st.value
		if _, err := verifyRequest(testPartner(), q); payment.CodeOf(err) != st.code {
			t.Errorf("sign_type %q: %v, want %s", st.value, err, st.code)
		}
	}
}

// TestWireErrorsAreDocumentedCodes: every code the table emits is one the
// protocol digest lists (§1.8-§1.10) or a noted choice.
func TestWireErrorsAreDocumentedCodes(t *testing.T) {
	documented := map[string]bool{"SYSTEM_ERROR": true, "TRADE_HAS_SUCCESS": true, "TRADE_NOT_EXIST": true}
	for _, c := range []string{"ILLEGAL_SIGN", "ILLEGAL_ARGUMENT", "ILLEGAL_SERVICE", "ILLEGAL_PARTNER", "ILLEGAL_SIGN_TYPE",
		"ILLEGAL_CHARSET", "ILLEGAL_ENCODING", "HAS_NO_PRIVILEGE", "ILLEGAL_ANTI_PHISHING_KEY", "ANTI_PHISHING_KEY_TIMEOUT",
		"TRADE_TOTALFEE_NOT_MATCH", "TRADE_PRICE_NOT_MATCH", "TRADE_QUANTITY_NOT_MATCH", "TRADE_NOT_ALLOWED_PAY",
		"BUYER_SELLER_EQUAL", "SELLER_NOT_EXIST", "SUBJECT_MUST_NOT_BE_NULL", "ILLEGAL_FEE_PARAM", "ILLEGAL_PAYMENT_TYPE",
		"ILLEGAL_EXTRA_COMMON_PARAM", "ILLEGAL_OUTTIME_ARGUMENT", "DIRECT_PAY_AMOUNT_OUT_OF_RANGE", "TRADE_STATUS_ERROR",
		"TRADE_HAS_FINISHED", "TXN_RESULT_ACCOUNT_BALANCE_NOT_ENOUGH",
		// §1.9
		"BATCH_NUM_EXCEED_LIMIT", "REFUND_DATE_ERROR", "BATCH_NUM_ERROR", "BATCH_NUM_NOT_EQUAL_TOTAL",
		"DUBL_TRADE_NO_IN_SAME_BATCH", "DUPLICATE_BATCH_NO", "BATCH_NO_FORMAT_ERROR", "NOT_THIS_PARTNERS_TRADE",
		"DETAIL_DATA_FORMAT_ERROR", "REFUND_AMOUNT_NOT_VALID", "REASON_TRADE_REFUND_FEE_ERR", "TRADE_HAS_CLOSED",
		"TRADE_NOT_EXISTS"} {
		documented[c] = true
	}
	for code, w := range wireErrors {
		if !documented[w.Code] || w.Reason == "" || (w.InBatch != "" && !documented[w.InBatch]) {
			t.Errorf("%s → %+v: not a documented legacy code", code, w)
		}
	}
	if WireErrorOf(os.ErrClosed).Code != "SYSTEM_ERROR" {
		t.Error("a foreign error is not a system error")
	}
}

// TestBatchResult: result_details words of batch records (§1.9), where
// some failures have other names than in page errors.
func TestBatchResult(t *testing.T) {
	for code, want := range map[payment.Code]string{
		"":                               "SUCCESS",
		payment.CodeTradeNotExist:        "TRADE_NOT_EXISTS",
		payment.CodeTradeHasClosed:       "TRADE_HAS_CLOSED",
		payment.CodeTradeHasFinished:     "TRADE_HAS_FINISHED",
		payment.CodeTradeStatusError:     "TRADE_STATUS_ERROR",
		payment.CodeRefundAmountExceeded: "REASON_TRADE_REFUND_FEE_ERR",
		payment.CodeInvalidParameter:     "REFUND_AMOUNT_NOT_VALID",
		payment.CodeNotThisPartnersTrade: "NOT_THIS_PARTNERS_TRADE",
	} {
		if got := batchResult(code); got != want {
			t.Errorf("batchResult(%q) = %q, want %q", code, got, want)
		}
	}
}

var (
	paidAt = time.Date(2026, 5, 1, 10, 0, 5, 0, payment.CST)
	sample = payment.Trade{
		TradeNo: "2026050121000000000000000001",
		Order: payment.Order{
			Protocol: payment.ProtocolLegacy, AppID: "2088102100000011", PID: "2088102100000011",
			OutTradeNo: "T-1", Subject: "测试商品", Body: "a & b <c>", Total: 750, PassbackParams: "ref-1",
			ProductCode: "create_direct_pay_by_user", Charset: "utf-8", SignType: "MD5",
			Legacy: payment.LegacyTerms{Price: 250, Quantity: 3, PaymentType: "1"},
		},
		Status: payment.StatusPaid, BuyerID: "2088102177846880", BuyerLogon: "buy***@sandbox.com",
		CreatedAt: paidAt.Add(-5 * time.Second), PaidAt: paidAt,
	}
)

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got)
}

// TestGoldenWireFormats pins the bytes mockpay sends a legacy merchant.
func TestGoldenWireFormats(t *testing.T) {
	partner := testPartner()
	gbkTrade := sample
	gbkTrade.Charset = "gbk"
	for _, c := range []struct {
		name  string
		trade payment.Trade
	}{{"notify_utf8.golden", sample}, {"notify_gbk.golden", gbkTrade}} {
		n := &payment.Notification{NotifyID: "0123456789abcdef0123456789abcdefzz", AppID: partner.AppID, Kind: payment.KindTrade, Trade: c.trade}
		req, err := Notifier{Apps: registryOf(t, partner)}.Encode(n, paidAt)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, c.name, []byte(req.Header.Get("Content-Type")+"\n"+req.Body+"\n"))
	}
	refunded := sample
	refunded.Status, refunded.ClosedAt = payment.StatusClosed, paidAt.Add(time.Hour)
	refund := &payment.Refund{TradeNo: sample.TradeNo, Amount: 750, RefundedTotal: 750, CreatedAt: paidAt.Add(time.Hour)}
	batch := &payment.RefundBatch{BatchNo: "20260501001", Charset: "utf-8", SignType: "MD5", Records: []payment.BatchRecord{
		{TradeNo: sample.TradeNo, Amount: 750, Reason: "退款"},
		{TradeNo: "2026050121000000000000000002", Amount: 100, Result: payment.CodeTradeNotExist},
	}}
	for _, c := range []struct {
		name string
		n    *payment.Notification
	}{
		{"notify_refund_full.golden", &payment.Notification{NotifyID: "0123456789abcdef0123456789abcdefyy", AppID: partner.AppID, Kind: payment.KindRefund, Trade: refunded, Refund: refund}},
		{"batch_refund_notify.golden", &payment.Notification{NotifyID: "0123456789abcdef0123456789abcdefxx", AppID: partner.AppID, Kind: payment.KindBatchRefund, Batch: batch}},
	} {
		req, err := Notifier{Apps: registryOf(t, partner)}.Encode(c.n, paidAt.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, c.name, []byte(req.Header.Get("Content-Type")+"\n"+req.Body+"\n"))
	}

	p, err := ReturnParams(partner, &sample, "fedcba9876543210fedcba9876543210aa", paidAt)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "return_utf8.golden", []byte(kit.EncodeForm(p, kit.UTF8)+"\n"))

	call := &Call{Partner: partner, Service: "single_trade_query", Charset: kit.UTF8, SignType: sign.MD5Type,
		Params: sign.Params{{Key: "service", Value: "single_trade_query"}, {Key: "partner", Value: partner.PID},
			{Key: "_input_charset", Value: "utf-8"}, {Key: "out_trade_no", Value: "T-1"}, {Key: "sign", Value: "x"}, {Key: "sign_type", Value: "MD5"}}}
	fields := tradeFields(partner, &sample)
	r, err := successXML(call, "trade", fields)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "single_trade_query.golden", append(r.Body, '\n'))
	golden(t, "error_gbk.golden", append(errorXML(WireErrorOf(payment.Errorf(payment.CodeTradeNotExist, "")), kit.GBK).Body, '\n'))
}

func registryOf(t *testing.T, apps ...*payment.App) *payment.Registry {
	r := payment.NewRegistry()
	for _, a := range apps {
		if err := r.Put(a); err != nil {
			t.Fatal(err)
		}
	}
	return r
}
