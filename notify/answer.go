package notify

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ack is the platform's acknowledgement rule: HTTP 200 and a body of exactly
// "success", nothing around it (alipay-protocol.md §1.5, §3.1).
const Ack = "success"

// What is read and kept of a shop's answer. Whatever a notify_url points
// at (a shop, or a port speaking another protocol, or a binary file), the
// inspector shows a short excerpt, escaped, never the whole thing.
const (
	answerRead = 4096 // bytes of an answer read; "success" needs 7
	answerKeep = 256  // bytes of a readable answer stored
	quoteKeep  = 64   // bytes of an answer quoted in a verdict or stored escaped
	verdictCap = 300  // bytes of an error message kept in a verdict
)

// Judge applies the acknowledgement rule to a shop's answer.
func Judge(status int, body []byte) (bool, string) {
	switch {
	case status >= 300 && status < 400:
		return false, fmt.Sprintf("HTTP %d: redirects are not followed; answer 200 with %q", status, Ack)
	case status != http.StatusOK:
		return false, fmt.Sprintf("HTTP %d: the platform needs 200 with %q", status, Ack)
	case string(body) == Ack:
		return true, "acknowledged"
	case strings.TrimSpace(string(body)) == Ack:
		return false, fmt.Sprintf("the answer must be exactly %q, with nothing around it; got %s", Ack, quoted(body))
	default:
		return false, fmt.Sprintf("the answer must be exactly %q; got %s", Ack, quoted(body))
	}
}

// quoted is a Go-quoted excerpt of b: at most quoteKeep bytes, cut on a
// character boundary, with … after the quote when there was more.
func quoted(b []byte) string {
	cut := prefix(b, quoteKeep)
	q := strconv.Quote(string(cut))
	if len(cut) < len(b) {
		q += "…"
	}
	return q
}

// keepAnswer is what is stored of an answer body: readable text as it is
// (up to answerKeep bytes); anything else (binary, control bytes, invalid
// UTF-8) as an escaped excerpt, marked so it is not taken for the text.
func keepAnswer(b []byte) string {
	if readable(b) {
		cut := prefix(b, answerKeep)
		if len(cut) < len(b) {
			return string(cut) + "…"
		}
		return string(cut)
	}
	return "(not text) " + quoted(b)
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
	return string(prefix([]byte(s), verdictCap)) + "…"
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

// prefix is b cut to at most n bytes without splitting a UTF-8 character
// (an invalid byte counts as one).
func prefix(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	i := 0
	for i < n {
		_, size := utf8.DecodeRune(b[i:])
		if i+size > n {
			break
		}
		i += size
	}
	return b[:i]
}
