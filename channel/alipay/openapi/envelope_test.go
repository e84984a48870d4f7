package openapi_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/channel/alipay/openapi"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// cutNode extracts the signed node the way gopay does (§6.2): from right
// after the first `_response":` up to the first `,"sign":`.
func cutNode(t *testing.T, body []byte) (node []byte, sig string) {
	t.Helper()
	_, rest, ok := bytes.Cut(body, []byte(`_response":`))
	if !ok {
		t.Fatalf("no _response\": in %q", body)
	}
	node, tail, ok := bytes.Cut(rest, []byte(`,"sign":"`))
	if !ok {
		t.Fatalf("no ,\"sign\": in %q", body)
	}
	sig, ok = strings.CutSuffix(string(tail), `"}`)
	if !ok {
		t.Fatalf("body does not end with the sign: %q", body)
	}
	return node, sig
}

func successNode() string {
	o := &openapi.Object{}
	o.Str("code", "10000").Str("msg", "Success")
	o.Str("trade_no", "2026050222001400000000000001").Str("out_trade_no", "ORDER-1")
	o.Str("buyer_logon_id", "buy***@sandbox.com").Str("trade_status", "TRADE_SUCCESS")
	o.Str("total_amount", "13.50").Str("subject", "<Shop> & Co / 1")
	o.Raw("fund_bill_list", `[{"fund_channel":"ALIPAYACCOUNT","amount":"13.50"}]`)
	return o.JSON()
}

// TestEnvelopeSigned: compact {"<node>":{...},"sign":"..."} with the node
// first and sign last; sign = SHA256withRSA over the node's exact bytes
// (§2.5, §6.5 items 1-2). PKCS#1 v1.5 is deterministic, so the whole body
// is a stable golden file.
func TestEnvelopeSigned(t *testing.T) {
	app := fixtureApp(t, appRSA2)
	node := successNode()
	body, err := openapi.Envelope("alipay.trade.query", node, app, sign.RSA2, kit.UTF8)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "envelope_signed.golden", body)

	if !bytes.HasPrefix(body, []byte(`{"alipay_trade_query_response":{`)) {
		t.Errorf("body does not start with the node: %s", body)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		t.Fatalf("body is not JSON: %v", err)
	}
	if len(top) != 2 || top["sign"] == nil || top["alipay_trade_query_response"] == nil {
		t.Errorf("top-level keys %v, want the node and sign only (no alipay_cert_sn in public-key mode, §6.1)", keysOf(top))
	}
	got, sig := cutNode(t, body)
	if string(got) != node {
		t.Errorf("cut node = %s, want exactly %s", got, node)
	}
	if err := verifyRaw(platformPublic(t, appRSA2), "RSA2", got, sig); err != nil {
		t.Errorf("sign does not verify over the node bytes: %v", err)
	}
	// Compact, no whitespace between tokens, nothing else (§2.5, §6.2).
	if want := `{"alipay_trade_query_response":` + node + `,"sign":"` + sig + `"}`; string(body) != want {
		t.Errorf("body = %s\nwant %s", body, want)
	}
	if bytes.Contains(body, []byte(`\/`)) {
		t.Errorf("body escapes / as \\/: %s", body)
	}
}

// TestEnvelopeSignTypeRSA: an app registered for RSA gets SHA1withRSA.
func TestEnvelopeSignTypeRSA(t *testing.T) {
	app := fixtureApp(t, appRSA)
	node := successNode()
	body, err := openapi.Envelope("alipay.trade.close", node, app, sign.RSA, kit.UTF8)
	if err != nil {
		t.Fatal(err)
	}
	got, sig := cutNode(t, body)
	pub := platformPublic(t, appRSA)
	if err := verifyRaw(pub, "RSA", got, sig); err != nil {
		t.Errorf("SHA1withRSA does not verify: %v", err)
	}
	if verifyRaw(pub, "RSA2", got, sig) == nil {
		t.Error("an RSA-app response verifies as SHA256: wrong algorithm")
	}
}

// TestEnvelopeUnsigned: an unknown app gets its error with no sign (§2.5).
func TestEnvelopeUnsigned(t *testing.T) {
	w := openapi.WireErrorOf(payment.Errorf(payment.CodeInvalidAppID, "no app"))
	node := openapi.ErrorNode(w, "", sign.Param{Key: "out_trade_no", Value: "ORDER-1"}).JSON()
	body, err := openapi.Envelope("alipay.trade.query", node, nil, "", kit.UTF8)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "envelope_unsigned_error.golden", body)

	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		t.Fatalf("body is not JSON: %v", err)
	}
	if len(top) != 1 || string(top["alipay_trade_query_response"]) != node {
		t.Errorf("top-level = %v, want only the node %s", keysOf(top), node)
	}
	if want := `{"alipay_trade_query_response":` + node + `}`; string(body) != want {
		t.Errorf("body = %s, want %s", body, want)
	}
}

// TestEnvelopeGBK: a gbk request is answered in gbk, and the sign covers the
// gbk bytes of the node, since that is what the SDK cuts out (§2.3 Charset).
func TestEnvelopeGBK(t *testing.T) {
	app := fixtureApp(t, appRSA2)
	w := openapi.WireErrorOf(payment.Errorf(payment.CodeTradeNotExist, ""))
	node := openapi.ErrorNode(w, "", sign.Param{Key: "out_trade_no", Value: "订单-1"}).JSON()
	body, err := openapi.Envelope("alipay.trade.query", node, app, sign.RSA2, kit.GBK)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "envelope_gbk.golden", body)

	gbkNode := gbkBytes(t, node)
	got, sig := cutNode(t, body)
	if string(got) != gbkNode {
		t.Errorf("node bytes = %q, want the gbk encoding %q", got, gbkNode)
	}
	pub := platformPublic(t, appRSA2)
	if err := verifyRaw(pub, "RSA2", []byte(gbkNode), sig); err != nil {
		t.Errorf("sign does not verify over the gbk node: %v", err)
	}
	if verifyRaw(pub, "RSA2", []byte(node), sig) == nil {
		t.Error("sign verifies over the utf-8 node: it must cover the gbk bytes sent")
	}
	if bytes.Contains(body, []byte("交易")) {
		t.Error("utf-8 text in a gbk body")
	}
}

// TestEnvelopeErrorResponse: no method means error_response (§2.5).
func TestEnvelopeErrorResponse(t *testing.T) {
	body, err := openapi.Envelope("", `{"code":"40001"}`, nil, "", kit.UTF8)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"error_response":{"code":"40001"}}`; string(body) != want {
		t.Errorf("body = %s, want %s", body, want)
	}
}

// TestEnvelopeIsValidJSONForAnyMethod: whatever method a request names, the
// body is one valid JSON object whose only node is error_response or the
// method's own; a method that is no method name is never echoed.
func TestEnvelopeIsValidJSONForAnyMethod(t *testing.T) {
	for _, m := range []string{`"`, `\`, `<script>alert(1)</script>`, "a\u2028b", "\x00\x1f", "\xff\xfe", `"}],"sign":"x`, "alipay.trade.query"} {
		body, err := openapi.Envelope(m, `{"code":"40002"}`, nil, "", kit.UTF8)
		if err != nil {
			t.Fatal(err)
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal(body, &top); err != nil || len(top) != 1 {
			t.Errorf("Envelope(%q) = %s: %v", m, body, err)
		}
		if _, ok := top[openapi.NodeName(m)]; !ok {
			t.Errorf("Envelope(%q) = %s, want the %s node", m, body, openapi.NodeName(m))
		}
		if m != "alipay.trade.query" && len(m) > 2 && bytes.Contains(body, []byte(m)) {
			t.Errorf("Envelope(%q) = %s echoes the method", m, body)
		}
	}
}

func keysOf(m map[string]json.RawMessage) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// TestInvalidEncodingWireError: a value that is not valid in the declared
// charset is OpenAPI's isv.invalid-charset (§2.6).
func TestInvalidEncodingWireError(t *testing.T) {
	_, err := kit.ToUTF8(sign.Params{{Key: "subject", Value: "\xd6\xd0\xce\xc4"}}, kit.UTF8)
	if got := openapi.WireErrorOf(err).SubCode; got != "isv.invalid-charset" {
		t.Errorf("wire error %+v, want isv.invalid-charset", openapi.WireErrorOf(err))
	}
}
