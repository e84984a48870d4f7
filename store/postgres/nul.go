package postgres

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// PostgreSQL's text cannot hold U+0000, and jsonb refuses the \u0000
// escape, but a merchant may send one (a subject or an out_request_no with
// %00 in it) and SQLite keeps it: refusing it here would be a 500. So the
// store spells it with an escape character of its own, losslessly: in JSON
// values and in text columns a merchant's strings reach, U+0000 is esc
// followed by '0', and esc itself is esc twice. Values are read back from
// the JSON (unescaped there); columns are only ever compared with values
// escaped the same way.
const esc = '\uE000' // a private-use character

var (
	escUTF8  = []byte(string(esc))
	nulJSON  = []byte(`\u0000`)
	escapeTx = strings.NewReplacer(string(esc), string(esc)+string(esc), "\x00", string(esc)+"0")
)

// txt is a merchant's string as a text column holds it. Besides U+0000, a
// byte that is not UTF-8 (a GBK query string, a fuzzer's) is refused by
// PostgreSQL's text: it is spelt esc 'x' and two hex digits, so a lookup
// by it finds nothing (or what was stored under the same bytes) instead of
// failing.
func txt(s string) string {
	if utf8.ValidString(s) && !strings.ContainsAny(s, "\x00"+string(esc)) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, "%cx%02x", esc, s[i])
		case r == 0 || r == esc:
			b.WriteString(escapeTx.Replace(s[i : i+size]))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// marshal is json.Marshal with U+0000 and esc escaped for jsonb.
func marshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || (!bytes.Contains(b, nulJSON) && !bytes.Contains(b, escUTF8)) {
		return b, err
	}
	var out bytes.Buffer
	for i := 0; i < len(b); {
		switch {
		case b[i] == '\\' && bytes.HasPrefix(b[i:], nulJSON):
			out.Write(escUTF8)
			out.WriteByte('0')
			i += len(nulJSON)
		case b[i] == '\\': // another escape: copy it whole, so \\u0000 stays text
			out.Write(b[i : i+2])
			i += 2
		case bytes.HasPrefix(b[i:], escUTF8):
			out.Write(escUTF8)
			out.Write(escUTF8)
			i += len(escUTF8)
		default:
			out.WriteByte(b[i])
			i++
		}
	}
	return out.Bytes(), nil
}

// unmarshal undoes marshal's escapes (jsonb writes esc as it is, in UTF-8),
// then decodes.
func unmarshal(b []byte, v any) error {
	if bytes.Contains(b, escUTF8) {
		var out bytes.Buffer
		for i := 0; i < len(b); {
			if !bytes.HasPrefix(b[i:], escUTF8) {
				out.WriteByte(b[i])
				i++
				continue
			}
			i += len(escUTF8)
			switch {
			case bytes.HasPrefix(b[i:], escUTF8):
				out.Write(escUTF8)
				i += len(escUTF8)
			case i < len(b) && b[i] == '0':
				out.Write(nulJSON)
				i++
			default: // not ours (never written): keep it
				out.Write(escUTF8)
			}
		}
		b = out.Bytes()
	}
	return json.Unmarshal(b, v)
}

// texts is a statement's arguments with every string as a text column
// holds it (txt): each query and statement passes its arguments through.
func texts(args []any) []any {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = txt(s)
		}
	}
	return args
}
