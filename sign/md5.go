package sign

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
)

// MD5 signs a legacy canonical string: the key is appended with no separator
// and the digest is lower-case hex, since merchant demos compare with == (§1.2).
func MD5(content, key []byte) string {
	h := md5.New()
	h.Write(content)
	h.Write(key)
	return hex.EncodeToString(h.Sum(nil))
}

// VerifyMD5 compares in constant time; case matters, as it does for the demos.
func VerifyMD5(content, key []byte, signature string) bool {
	want := MD5(content, key)
	return subtle.ConstantTimeCompare([]byte(want), []byte(signature)) == 1
}

// MD5Type is the legacy gateway's sign_type for MD5 signatures (§1.2). The
// OpenAPI never accepts it, so ParseType does not know it.
const MD5Type Type = "MD5"
