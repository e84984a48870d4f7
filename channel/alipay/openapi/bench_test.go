package openapi_test

import (
	"testing"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/channel/alipay/openapi"
	"github.com/mockpay/mockpay/sign"
)

// queryNode is a typical alipay.trade.query answer node.
const queryNode = `{"code":"10000","msg":"Success","trade_no":"2026050122001400000000000001","out_trade_no":"FLASH-000001",` +
	`"buyer_logon_id":"buy***@sandbox.com","trade_status":"TRADE_SUCCESS","total_amount":"100.00","buyer_pay_amount":"100.00",` +
	`"point_amount":"0.00","invoice_amount":"100.00","send_pay_date":"2026-05-01 10:00:05","receipt_amount":"100.00","buyer_user_id":"2088102177846880"}`

// BenchmarkEnvelope is a signed answer: the envelope and its RSA2 signature.
func BenchmarkEnvelope(b *testing.B) {
	app := fixtureApp(b, "2021000122600001")
	for b.Loop() {
		if _, err := openapi.Envelope("alipay.trade.query", queryNode, app, sign.RSA2, kit.UTF8); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnvelopeUnsigned is the envelope alone (no app: no sign), what
// is left once the signature is paid for or reused.
func BenchmarkEnvelopeUnsigned(b *testing.B) {
	for b.Loop() {
		if _, err := openapi.Envelope("alipay.trade.query", queryNode, nil, sign.RSA2, kit.UTF8); err != nil {
			b.Fatal(err)
		}
	}
}
