package instance_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
)

// rawSubject and rawBody hold what Go's encoding/json would have escaped:
// HTML characters, U+2028/U+2029, and characters outside the BMP (a
// surrogate pair in JavaScript, four bytes in UTF-8). A subject may not
// hold & (§2.7 page.pay), a body may.
const (
	rawSubject = "A<B>C \u2028\u2029 😀𠜎 \"q\" \\"
	rawBody    = "x & y <b>😀</b>"
)

// TestResponseJSONIsWrittenRaw: node JSON carries <, >, &, U+2028, U+2029
// and non-BMP characters as they are, as the real platform writes them, so
// a verifier that re-serialises the parsed node (JSON.stringify, as older
// Node alipay-sdk majors do) recomputes exactly the signed bytes (issue 12
// item 1; alipay-protocol.md §2.5, §6.3).
func TestResponseJSONIsWrittenRaw(t *testing.T) {
	e := newEnv(t)
	r, err := e.m.Call("alipay.trade.create", map[string]any{
		"out_trade_no": "RAW-1", "total_amount": "1.00", "subject": rawSubject, "body": rawBody, "buyer_id": "2088102177846880",
	}, nil)
	if err != nil || r.Code() != "10000" {
		t.Fatalf("create: %v %+v", err, r)
	}
	r, err = e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "RAW-1"}, nil)
	if err != nil || !r.Verified || r.Str("subject") != rawSubject || r.Str("body") != rawBody {
		t.Fatalf("query: %v verified=%v subject=%q", err, r != nil && r.Verified, r.Str("subject"))
	}
	for _, escaped := range []string{`\u003c`, `\u003e`, `\u0026`, `\u2028`, `\u2029`, `\ud83d`} {
		if bytes.Contains(r.Raw, []byte(escaped)) {
			t.Errorf("response holds %s: %s", escaped, r.Raw)
		}
	}
	if !bytes.Contains(r.Raw, []byte(`"subject":"A<B>C `+"\u2028\u2029"+` 😀𠜎 \"q\" \\"`)) || !bytes.Contains(r.Raw, []byte(`"body":"x & y <b>😀</b>"`)) {
		t.Errorf("subject not written raw: %s", r.Raw)
	}
	restringified(t, e, r.Raw, "alipay_trade_query_response")

	// An error node echoes the request's identifiers: raw there too.
	r, err = e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "NO<&>😀"}, nil)
	if err != nil || r.SubCode() != "ACQ.TRADE_NOT_EXIST" || !bytes.Contains(r.Raw, []byte(`"out_trade_no":"NO<&>😀"`)) {
		t.Fatalf("error node: %v %s", err, r.Raw)
	}
	restringified(t, e, r.Raw, "alipay_trade_query_response")
}

// restringified checks the signature over JSON.stringify(JSON.parse(node)).
func restringified(t *testing.T, e *env, raw []byte, node string) {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		t.Fatal(err)
	}
	again, err := jsonStringify(top[node])
	if err != nil {
		t.Fatal(err)
	}
	if again != string(top[node]) {
		t.Errorf("re-serialised node differs:\n got %s\nsent %s", again, top[node])
	}
	var sig string
	json.Unmarshal(top["sign"], &sig)
	if err := e.m.VerifyBytes([]byte(again), sig); err != nil {
		t.Errorf("signature does not cover the re-serialised node: %v", err)
	}
}

// jsonStringify re-serialises a JSON value as JavaScript's
// JSON.stringify(JSON.parse(s)) does: keys in their order, no whitespace,
// strings escaping only ", \ and control characters (\b \t \n \f \r by
// name, others \u00xx). Numbers are not expected in Alipay nodes (§6.5).
func jsonStringify(s []byte) (string, error) {
	d := json.NewDecoder(bytes.NewReader(s))
	d.UseNumber()
	var b strings.Builder
	var write func() error
	write = func() error {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch v := tok.(type) {
		case json.Delim:
			closing := map[json.Delim]string{'{': "}", '[': "]"}[v]
			b.WriteString(v.String())
			for i := 0; d.More(); i++ {
				if i > 0 {
					b.WriteByte(',')
				}
				if v == '{' {
					k, err := d.Token()
					if err != nil {
						return err
					}
					b.WriteString(jsString(k.(string)) + ":")
				}
				if err := write(); err != nil {
					return err
				}
			}
			if _, err := d.Token(); err != nil {
				return err
			}
			b.WriteString(closing)
		case string:
			b.WriteString(jsString(v))
		case json.Number:
			b.WriteString(v.String())
		case bool:
			fmt.Fprint(&b, v)
		case nil:
			b.WriteString("null")
		}
		return nil
	}
	if err := write(); err != nil {
		return "", err
	}
	if _, err := d.Token(); err != io.EOF {
		return "", fmt.Errorf("trailing data after the value")
	}
	return b.String(), nil
}

func jsString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
