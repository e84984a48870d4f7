package notify

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mockpay/mockpay/channel"
)

// What is read and kept of a shop's answer. Whatever a notify_url points
// at (a shop, or a port speaking another protocol, or a binary file), the
// inspector shows a short excerpt, escaped, never the whole thing.
const (
	answerRead = 4096 // bytes of an answer read; Alipay's "success" needs 7
	answerKeep = 256  // bytes of a readable answer stored
	verdictCap = 300  // bytes of an error message kept in a verdict
)

// keepAnswer is what is stored of an answer body: readable text as it is
// (up to answerKeep bytes); anything else (binary, control bytes, invalid
// UTF-8) as an escaped excerpt, marked so it is not taken for the text.
func keepAnswer(b []byte) string {
	if readable(b) {
		cut := channel.Prefix(b, answerKeep)
		if len(cut) < len(b) {
			return string(cut) + "…"
		}
		return string(cut)
	}
	return "(not text) " + channel.Quote(b)
}

// clip bounds an error message for a verdict: a message quoting what a
// non-HTTP server sent can be as long as its header limit. Unreadable
// bytes are escaped.
func clip(s string) string {
	if !readable([]byte(s)) {
		s = strings.Trim(strconv.QuoteToGraphic(s), `"`)
	}
	if len(s) <= verdictCap {
		return s
	}
	return string(channel.Prefix([]byte(s), verdictCap)) + "…"
}

// readable reports whether b is valid UTF-8 of printable characters, tabs
// and line breaks.
func readable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if !unicode.IsPrint(r) && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}
