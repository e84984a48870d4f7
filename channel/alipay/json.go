package alipay

import (
	"encoding/json"
	"strings"

	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// Object builds a compact JSON object with keys in the order they are added.
// SDKs cut the signed node out of the raw body, so mockpay writes exact bytes
// itself instead of re-serialising maps (alipay-protocol.md §2.5).
type Object struct {
	b strings.Builder
	n int
}

// Str adds a string field. Every scalar Alipay returns is a JSON string,
// even codes and amounts (§6.5 item 5).
func (o *Object) Str(key, value string) *Object {
	return o.Raw(key, quote(value))
}

// StrNonEmpty adds a string field unless value is empty.
func (o *Object) StrNonEmpty(key, value string) *Object {
	if value == "" {
		return o
	}
	return o.Str(key, value)
}

// Raw adds a field whose value is already JSON.
func (o *Object) Raw(key, rawJSON string) *Object {
	if o.n == 0 {
		o.b.WriteByte('{')
	} else {
		o.b.WriteByte(',')
	}
	o.n++
	o.b.WriteString(quote(key))
	o.b.WriteByte(':')
	o.b.WriteString(rawJSON)
	return o
}

// JSON returns the object's bytes.
func (o *Object) JSON() string {
	if o.n == 0 {
		return "{}"
	}
	return o.b.String() + "}"
}

// quote JSON-encodes s. encoding/json escapes <, > and & as \u003c..., which
// keeps responses inert if a browser opens them; SDKs verify whatever bytes
// are sent, so the escapes are harmless (§2.5).
func quote(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// NodeName is the response key for a method: dots become underscores and
// "_response" is appended; a request with no method answers in error_response.
func NodeName(method string) string {
	if method == "" {
		return "error_response"
	}
	return strings.ReplaceAll(method, ".", "_") + "_response"
}

// Envelope wraps a response node: {"<node>":{...},"sign":"..."}, compact,
// node first and sign last, which every SDK's extraction accepts (§6.5).
// The signature covers the node's exact bytes in the response charset. A nil
// app (unknown app_id) gets no sign, as the real gateway does (§2.5).
func Envelope(method, node string, app *payment.App, st sign.Type, cs Charset) ([]byte, error) {
	nodeBytes := Encode(node, cs)
	var b strings.Builder
	b.WriteString(`{"`)
	b.WriteString(NodeName(method))
	b.WriteString(`":`)
	b.Write(nodeBytes)
	if app != nil && app.Cert != nil {
		// Certificate mode names the platform certificate after the node
		// and before sign, as real responses do (§2.4, §6.2).
		b.WriteString(`,"alipay_cert_sn":`)
		b.WriteString(quote(app.Cert.PlatformCertSN()))
	}
	if app != nil {
		sig, err := sign.SignRSA(app.PlatformPrivateKey(), st, nodeBytes)
		if err != nil {
			return nil, err
		}
		b.WriteString(`,"sign":"`)
		b.WriteString(sig)
		b.WriteString(`"`)
	}
	b.WriteString("}")
	return []byte(b.String()), nil
}

// ErrorNode is the node of a failed call: code, msg, sub_code, sub_msg, and
// the trade identifiers the request named, as real error nodes echo them.
func ErrorNode(w WireError, subMsg string, echo ...sign.Param) *Object {
	o := &Object{}
	o.Str("code", w.Code).Str("msg", w.Msg).Str("sub_code", w.SubCode)
	if subMsg == "" {
		subMsg = w.SubMsg
	}
	o.Str("sub_msg", subMsg)
	for _, kv := range echo {
		o.StrNonEmpty(kv.Key, kv.Value)
	}
	return o
}
