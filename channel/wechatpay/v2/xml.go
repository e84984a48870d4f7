// Package v2 is WeChat Pay's APIv2 protocol: XML bodies signed with the
// merchant's APIv2 key by MD5 or HMAC-SHA256 (wechatpay-protocol.md §1). It
// sits beside channel/wechatpay/v3 as Alipay's MAPI sits beside its OpenAPI.
package v2

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// Values are a decoded APIv2 message: one string per child of <xml>. Field
// order never matters on this wire (§1.1: gopay serialises a Go map).
type Values map[string]string

// Field is one element of a message mockpay writes.
type Field struct{ Name, Value string }

// Errors Decode returns, each one the platform answers with return_code FAIL
// (§1.3, §1.10).
var (
	ErrEmpty   = errors.New("post data empty")
	ErrNotUTF8 = errors.New("not utf-8")
	ErrFormat  = errors.New("xml format error")
)

// Decode reads a body: a root element (gopay and every client say <xml>)
// whose children are flat text or CDATA fields. A nested element, a repeated
// field or trailing content is a format error, since the signature would be
// ambiguous.
func Decode(body []byte) (Values, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, ErrEmpty
	}
	if !utf8.Valid(body) {
		return nil, ErrNotUTF8 // §1.1: UTF-8 only
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "utf8") {
			return r, nil
		}
		return nil, ErrNotUTF8
	}
	v := Values{}
	depth := 0
	var name string
	var text strings.Builder
	rootSeen := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, ErrNotUTF8) {
				return nil, ErrNotUTF8
			}
			return nil, ErrFormat
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 1:
				if rootSeen {
					return nil, ErrFormat
				}
				rootSeen = true
			case 2:
				name = t.Name.Local
				text.Reset()
			default:
				return nil, ErrFormat
			}
		case xml.EndElement:
			if depth == 2 {
				if _, dup := v[name]; dup {
					return nil, ErrFormat
				}
				v[name] = text.String()
			}
			depth--
		case xml.CharData:
			switch depth {
			case 2:
				text.Write(t)
			default:
				if len(bytes.TrimSpace(t)) != 0 {
					return nil, ErrFormat
				}
			}
		}
	}
	if !rootSeen || depth != 0 {
		return nil, ErrFormat
	}
	return v, nil
}

// Encode writes fields as <xml><name><![CDATA[value]]></name>…</xml> in the
// order given, skipping empty values (an absent field is never sent as an
// empty one). A value holding markup characters (< > & " ') or "html" in any
// case is written as escaped text instead, every h of "html" as a
// character reference: gopay treats any answer whose bytes contain
// <HTML/<html (in sandbox mode any html) as an error page (P-V2-4), and no
// answer carries markup a browser could run, while every XML parser reads
// the same value back. Characters XML cannot carry become U+FFFD (Clean).
func Encode(fields []Field) []byte {
	var b bytes.Buffer
	b.WriteString("<xml>")
	for _, f := range fields {
		if f.Value == "" {
			continue
		}
		b.WriteString("<" + f.Name + ">")
		writeValue(&b, Clean(f.Value))
		b.WriteString("</" + f.Name + ">")
	}
	b.WriteString("</xml>")
	return b.Bytes()
}

func writeValue(b *bytes.Buffer, s string) {
	if !strings.ContainsAny(s, "<>&\"'") && !strings.Contains(strings.ToLower(s), "html") {
		b.WriteString("<![CDATA[" + s + "]]>")
		return
	}
	var esc bytes.Buffer
	_ = xml.EscapeText(&esc, []byte(s)) // a bytes.Buffer never fails
	out := esc.String()
	lower := strings.ToLower(out)
	for {
		i := strings.Index(lower, "html")
		if i < 0 {
			break
		}
		b.WriteString(out[:i])
		if out[i] == 'h' {
			b.WriteString("&#104;")
		} else {
			b.WriteString("&#72;")
		}
		out, lower = out[i+1:], lower[i+1:]
	}
	b.WriteString(out)
}

// Clean is s as XML can carry it: invalid UTF-8 and characters XML 1.0
// forbids (controls but tab, newline and carriage return; U+FFFE, U+FFFF)
// become U+FFFD. What mockpay signs is what it writes: values are cleaned
// before they are signed (SignFields). A value decoded from a request is
// clean already; one stored through APIv3's JSON may not be.
func Clean(s string) string {
	ok := utf8.ValidString(s)
	for _, r := range s {
		if !xmlChar(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !xmlChar(r) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

func xmlChar(r rune) bool {
	switch {
	case r == 0x09 || r == 0x0A || r == 0x0D:
		return true
	case r < 0x20, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return true
}
