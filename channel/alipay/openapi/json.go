package openapi

import (
	"strings"

	"github.com/mockpay/mockpay/channel/alipay/kit"
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

// quote JSON-encodes s the way the platform writes its strings and the way
// JavaScript's JSON.stringify does: only the quote, the backslash and the
// control characters below U+0020 are escaped (\b \t \n \f \r by name,
// the rest as lower-case \u00xx); <, >, &, U+2028, U+2029 and every other
// character, non-BMP ones included, are written as they are. An SDK that
// verifies the response signature over the re-serialised node (older Node
// alipay-sdk majors run JSON.stringify on the parsed node) then gets back
// exactly the signed bytes (issue 12 item 1; §2.5, §6.3). Invalid UTF-8
// becomes U+FFFD, so the result is always one valid JSON string. It is not
// the encoder that keeps a browser opening a response safe: the
// Content-Security-Policy and nosniff headers the server sets on every
// gateway answer are.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s { // ranging over a string yields U+FFFD for invalid bytes
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r >= 0x20:
			b.WriteRune(r)
		default:
			b.WriteString(controlEscape(r))
		}
	}
	b.WriteByte('"')
	return b.String()
}

// controlEscape is JSON.stringify's spelling of a control character.
func controlEscape(r rune) string {
	switch r {
	case '\b':
		return `\b`
	case '\t':
		return `\t`
	case '\n':
		return `\n`
	case '\f':
		return `\f`
	case '\r':
		return `\r`
	}
	const hex = "0123456789abcdef"
	return `\u00` + string(hex[r>>4]) + string(hex[r&0xf])
}

// NodeName is the response key for a method: dots become underscores and
// "_response" is appended (§2.5). A request with no method, or with one
// that is no method name at all, answers in error_response: the node name
// is never built from bytes outside the name charset.
func NodeName(method string) string {
	if !ValidMethodName(method) {
		return "error_response"
	}
	return strings.ReplaceAll(method, ".", "_") + "_response"
}

// maxMethodName bounds a method name; the longest real one
// (alipay.data.dataservice.bill.downloadurl.query) has 46 characters.
const maxMethodName = 128

// ValidMethodName reports whether s has the shape of an OpenAPI method
// name: dot-separated words of lower-case ASCII letters and digits, as
// every method the platform documents is (alipay.trade.page.pay, §2.2,
// §2.7). The digest gives no formal rule; anything else can only be a
// mistake or an attack, and is refused before a node name is built from
// it.
func ValidMethodName(s string) bool {
	if s == "" || len(s) > maxMethodName || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '.' && s[i-1] != '.':
		default:
			return false
		}
	}
	return true
}

// Envelope wraps a response node: {"<node>":{...},"sign":"..."}, compact,
// node first and sign last, which every SDK's extraction accepts (§6.5).
// The signature covers the node's exact bytes in the response charset. A nil
// app (unknown app_id) gets no sign, as the real gateway does (§2.5). Every
// key and value is written as a JSON string (quote), so no request byte can
// end a string early; for a valid method name the bytes are the plain ones.
func Envelope(method, node string, app *payment.App, st sign.Type, cs kit.Charset) ([]byte, error) {
	nodeBytes := kit.Encode(node, cs)
	var b strings.Builder
	b.WriteByte('{')
	b.WriteString(quote(NodeName(method)))
	b.WriteByte(':')
	b.Write(nodeBytes)
	if cert := certOf(app); cert != nil {
		// Certificate mode names the platform certificate after the node
		// and before sign, as real responses do (§2.4, §6.2).
		b.WriteString(`,"alipay_cert_sn":`)
		b.WriteString(quote(cert.PlatformCertSN()))
	}
	if app != nil {
		sig, err := sign.SignRSA(app.PlatformPrivateKey(), st, nodeBytes)
		if err != nil {
			return nil, err
		}
		b.WriteString(`,"sign":`)
		b.WriteString(quote(sig))
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

// certOf is the certificates of an app in certificate mode, nil for a
// public-key app or none.
func certOf(app *payment.App) *kit.AppCert {
	if app == nil {
		return nil
	}
	return kit.Creds(app).Cert
}
