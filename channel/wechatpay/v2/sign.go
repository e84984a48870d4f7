package v2

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"sort"
	"strings"
)

// SignType is an APIv2 signature algorithm (§1.2).
type SignType string

// The two sign types; an absent sign_type means MD5 (§1.2 rule 6).
const (
	MD5        SignType = "MD5"
	HMACSHA256 SignType = "HMAC-SHA256"
)

// ParseSignType reads a request's sign_type field.
func ParseSignType(s string) (SignType, bool) {
	switch s {
	case "", string(MD5):
		return MD5, true
	case string(HMACSHA256):
		return HMACSHA256, true
	}
	return "", false
}

// Canonical is the string both directions sign (§1.2 rules 1–4): every
// non-empty field but sign, sorted by name in byte order, joined as k=v&…,
// then &key=<APIv2 key>. Values are raw, never URL-encoded.
func Canonical(v Values, key string) string {
	names := make([]string, 0, len(v))
	for k, val := range v {
		if k == "sign" || val == "" {
			continue
		}
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(v[k])
		b.WriteByte('&')
	}
	b.WriteString("key=")
	b.WriteString(key)
	return b.String()
}

// Sign is the upper-case hex signature of v (§1.2 rule 5): MD5 of the
// canonical string, or HMAC-SHA256 of the same string (key=… included) keyed
// with the APIv2 key.
func Sign(v Values, key string, t SignType) string {
	s := Canonical(v, key)
	var sum []byte
	if t == HMACSHA256 {
		m := hmac.New(sha256.New, []byte(key))
		m.Write([]byte(s))
		sum = m.Sum(nil)
	} else {
		h := md5.Sum([]byte(s))
		sum = h[:]
	}
	return strings.ToUpper(hex.EncodeToString(sum))
}

// Verify checks v's sign field with t in constant time. The platform's
// signatures are upper-case hex and SDKs send them so; a lower-case one is
// refused as the platform compares strings (unconfirmed).
func Verify(v Values, key string, t SignType) bool {
	got := v["sign"]
	if got == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(Sign(v, key, t)), []byte(got)) == 1
}

// SignFields adds sign to fields, computed with t over them as Encode
// writes them (Clean).
func SignFields(fields []Field, key string, t SignType) []Field {
	v := Values{}
	out := make([]Field, 0, len(fields)+1)
	for _, f := range fields {
		f.Value = Clean(f.Value)
		v[f.Name] = f.Value
		out = append(out, f)
	}
	return append(out, Field{"sign", Sign(v, key, t)})
}
