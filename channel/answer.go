package channel

import (
	"strconv"
	"unicode/utf8"
)

// QuoteKeep is how many bytes of a shop's answer a verdict quotes.
const QuoteKeep = 64

// Quote is a Go-quoted excerpt of a shop's answer for a verdict: at most
// QuoteKeep bytes, cut on a character boundary, with … after the quote when
// there was more. Whatever a notify_url points at (a shop, a port speaking
// another protocol, a binary file), a verdict stays short and readable.
func Quote(b []byte) string {
	cut := Prefix(b, QuoteKeep)
	q := strconv.Quote(string(cut))
	if len(cut) < len(b) {
		q += "…"
	}
	return q
}

// Prefix is b cut to at most n bytes without splitting a UTF-8 character
// (an invalid byte counts as one).
func Prefix(b []byte, n int) []byte {
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
