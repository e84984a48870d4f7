// Package kit is what Alipay's two protocols share on the wire: form
// parsing and encoding in the merchant's charset (utf-8 or gbk), the
// date-time layout, the unpaid-timeout syntax, the "all but sign and
// sign_type" signing rule, the names of the trade states, and the
// notification rule (ack "success", schedule). channel/alipay/openapi and
// channel/alipay/mapi import it; it imports neither.
package kit

import (
	"bufio"
	"errors"
	"io"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// ParseForm decodes an application/x-www-form-urlencoded string into ordered
// parameters holding the raw bytes the sender encoded (utf-8 or gbk): the
// signature is over those bytes, so no charset conversion happens here.
// A repeated key keeps its first value.
func ParseForm(s string) (sign.Params, error) {
	var out sign.Params
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, errors.New("malformed percent-encoding in parameter name")
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return nil, errors.New("malformed percent-encoding in parameter " + key)
		}
		if _, dup := out.Get(key); !dup {
			out.Add(key, val)
		}
	}
	return out, nil
}

// Peek finds key's first readable value in a query string, then in a form
// body, skipping pairs that do not decode; nil when absent. It reads what a
// request names even when some other parameter is broken.
func Peek(rawQuery, rawBody, key string) *string {
	for _, raw := range []string{rawQuery, rawBody} {
		for pair := range strings.SplitSeq(raw, "&") {
			k, v, _ := strings.Cut(pair, "=")
			if dk, err := url.QueryUnescape(k); err != nil || dk != key {
				continue
			}
			if dv, err := url.QueryUnescape(v); err == nil {
				return &dv
			}
		}
	}
	return nil
}

// CompletePairs is the trustworthy part of a form body cut off at a size
// limit: the pairs before the last '&' (the last one may be cut mid-value,
// so a method read from it could be a shorter, different one).
func CompletePairs(cut string) string {
	if i := strings.LastIndexByte(cut, '&'); i >= 0 {
		return cut[:i]
	}
	return ""
}

// MergeParams joins query and body parameters. A key in both with the same
// value counts once (gopay sends charset twice); when values differ the body
// wins (alipay-protocol.md §2.3, item 1).
func MergeParams(query, body sign.Params) sign.Params {
	out := make(sign.Params, 0, len(query)+len(body))
	for _, kv := range query {
		if v, ok := body.Get(kv.Key); ok {
			kv.Value = v
		}
		out = append(out, kv)
	}
	for _, kv := range body {
		if _, ok := query.Get(kv.Key); !ok {
			out = append(out, kv)
		}
	}
	return out
}

// Charset is a request charset that mockpay can decode and answer in.
type Charset string

const (
	UTF8 Charset = "utf-8"
	GBK  Charset = "gbk"
)

// ParseCharset accepts utf-8 and gbk in any case (gb2312 is a subset of gbk);
// an absent charset means utf-8.
func ParseCharset(s string) (Charset, bool) {
	switch strings.ToLower(s) {
	case "", "utf-8", "utf8":
		return UTF8, true
	case "gbk", "gb2312":
		return GBK, true
	}
	return "", false
}

// ToUTF8 converts raw parameter values in charset cs to UTF-8 strings.
func ToUTF8(params sign.Params, cs Charset) (sign.Params, error) {
	out := make(sign.Params, len(params))
	dec := simplifiedchinese.GBK.NewDecoder()
	for i, kv := range params {
		v := kv.Value
		if cs == GBK {
			s, err := dec.String(v)
			// x/text replaces bytes that are not gbk with U+FFFD instead of
			// failing; gbk cannot encode U+FFFD, so its presence means bad input.
			if err != nil || strings.ContainsRune(s, utf8.RuneError) {
				return nil, payment.Errorf(payment.CodeInvalidEncoding, "parameter %s is not valid gbk", kv.Key)
			}
			v = s
		} else if !utf8.ValidString(v) {
			return nil, payment.Errorf(payment.CodeInvalidEncoding, "parameter %s is not valid utf-8 (charset=%s)", kv.Key, cs)
		}
		out[i] = sign.Param{Key: kv.Key, Value: v}
	}
	return out, nil
}

// Encode converts UTF-8 text to charset cs for the wire. Characters gbk
// cannot hold become '?', as a gbk system would show them.
func Encode(s string, cs Charset) []byte {
	if cs != GBK {
		return []byte(s)
	}
	enc := simplifiedchinese.GBK.NewEncoder()
	out, err := enc.String(s)
	if err == nil {
		return []byte(out)
	}
	var b strings.Builder
	for _, r := range s {
		if c, err := enc.String(string(r)); err == nil {
			b.WriteString(c)
		} else {
			b.WriteByte('?')
		}
	}
	return []byte(b.String())
}

// EncodeForm percent-encodes params in order, with values in charset cs.
func EncodeForm(params sign.Params, cs Charset) string {
	var b strings.Builder
	for i, kv := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(kv.Key))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(string(Encode(kv.Value, cs))))
	}
	return b.String()
}

// TailPairs reads the rest of a form body cut off at the size limit and
// returns the small pairs it holds (key and value within maxPair bytes
// together), joined as a form body; the rest is read and dropped. Unless the
// cut fell right after an '&' (cutAtPair), the first segment is the
// remainder of the pair the cut fell in and is skipped. SDKs
// that sort their parameters put method, charset and sign after a huge
// biz_content, and the answer is still given in the method's node, signed
// (issue 12 item 4, alipay-protocol.md §2.5: every error of a known app is
// signed). r must be bounded by the caller.
func TailPairs(r io.Reader, cutAtPair bool, maxPair int) string {
	br := bufio.NewReaderSize(r, maxPair+1)
	var out []string
	first, tooLong := !cutAtPair, false
	for {
		seg, err := br.ReadSlice('&')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			tooLong = true // the pair is longer than any wanted: skip to its end
			continue
		case err != nil && !errors.Is(err, io.EOF):
			return strings.Join(out, "&")
		}
		pair := strings.TrimSuffix(string(seg), "&")
		if !first && !tooLong && pair != "" {
			out = append(out, pair)
		}
		first, tooLong = false, false
		if err != nil { // io.EOF: the last pair is complete
			return strings.Join(out, "&")
		}
	}
}
