package acp

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Charset names what a message's encoding field says (§4: UTF-8, utf-8,
// GBK), echoed back as received.
func knownCharset(enc string) (gbk bool, ok bool) {
	switch strings.ToUpper(enc) {
	case "", "UTF-8", "UTF8":
		return false, true
	case "GBK", "GB2312", "GB18030":
		return true, true
	}
	return false, false
}

// ErrEncoding is an encoding field mockpay cannot decode.
var ErrEncoding = errors.New("unknown encoding")

// Encode turns UTF-8 text into the message's charset.
func Encode(enc, s string) ([]byte, error) {
	gbk, ok := knownCharset(enc)
	if !ok {
		return nil, ErrEncoding
	}
	if !gbk {
		return []byte(s), nil
	}
	return simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
}

func decode(gbk bool, b []byte) (string, error) {
	if !gbk {
		return string(b), nil
	}
	out, err := simplifiedchinese.GBK.NewDecoder().Bytes(b)
	return string(out), err
}

// ParseForm reads a urlencoded body in the charset its encoding field
// names (§2). Values are trimmed of nothing: the signature covers them as
// sent. A field given twice keeps its first value.
func ParseForm(body string) (Fields, error) {
	pairs := strings.Split(body, "&")
	rawEnc := ""
	for _, p := range pairs {
		if k, v, _ := strings.Cut(p, "="); k == "encoding" {
			rawEnc, _ = url.QueryUnescape(v)
			break
		}
	}
	gbk, ok := knownCharset(rawEnc)
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrEncoding, rawEnc)
	}
	f := Fields{}
	for _, p := range pairs {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		kb, err1 := unescape(k)
		vb, err2 := unescape(v)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("malformed form pair %q", p)
		}
		key, _ := decode(gbk, kb)
		val, err := decode(gbk, vb)
		if err != nil {
			return nil, fmt.Errorf("field %s is not %s", key, rawEnc)
		}
		if _, dup := f[key]; !dup {
			f[key] = val
		}
	}
	return f, nil
}

// unescape percent-decodes to bytes (+ is a space), leaving the charset to
// the caller.
func unescape(s string) ([]byte, error) {
	u, err := url.QueryUnescape(s)
	return []byte(u), err
}

// Answer is a synchronous answer's body (§2): key=value joined by &, values
// raw (not percent-encoded), sorted keys, then signPubKeyCert, then
// signature, in the message's charset. Empty fields are dropped (§2's
// byte-exactness rules).
func Answer(f Fields) ([]byte, error) {
	keys := make([]string, 0, len(f))
	for k, v := range f {
		if v != "" && k != "signature" && k != "signPubKeyCert" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range []string{"signPubKeyCert", "signature"} {
		if f[k] != "" {
			keys = append(keys, k)
		}
	}
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k + "=" + f[k])
	}
	return Encode(f["encoding"], b.String())
}

// FormBody is a notification's body (§2): urlencoded in the message's
// charset, sorted keys.
func FormBody(f Fields) (string, error) {
	keys := make([]string, 0, len(f))
	for k, v := range f {
		if v != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b bytes.Buffer
	for i, k := range keys {
		v, err := Encode(f["encoding"], f[k])
		if err != nil {
			return "", err
		}
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(string(v)))
	}
	return b.String(), nil
}
