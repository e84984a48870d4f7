package sign

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"testing"
)

// The memo gives back what signing again would: the same bytes, which the
// standard library verifies; another key, type or content is signed anew;
// and it never holds more than memoSize signatures.
func TestMemoIsSigningAgain(t *testing.T) {
	k1, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	content := []byte(`{"code":"10000","msg":"Success","trade_status":"TRADE_SUCCESS"}`)
	first, err := SignRSA(k1, RSA2, content)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := SignRSA(k1, RSA2, content)
	sum := sha256.Sum256(content)
	fresh, _ := rsa.SignPKCS1v15(nil, k1, crypto.SHA256, sum[:])
	if again != first || first != base64.StdEncoding.EncodeToString(fresh) {
		t.Fatalf("memo answered %q, signing again gives %q", again, base64.StdEncoding.EncodeToString(fresh))
	}
	if err := VerifyRSA(&k1.PublicKey, RSA2, content, again); err != nil {
		t.Fatal(err)
	}
	other, _ := SignRSA(k2, RSA2, content)
	if other == first || VerifyRSA(&k2.PublicKey, RSA2, content, other) != nil {
		t.Error("another key got the first key's signature")
	}
	sha1Sig, _ := SignRSA(k1, RSA, content)
	if sha1Sig == first || VerifyRSA(&k1.PublicKey, RSA, content, sha1Sig) != nil {
		t.Error("RSA (SHA-1) got the RSA2 signature")
	}
	changed, _ := SignRSA(k1, RSA2, append(content, ' '))
	if changed == first {
		t.Error("changed content got the old signature")
	}
	for i := range memoSize + 10 {
		if _, err := SignRSA(k2, RSA2, []byte(strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	if n := signatures.len(); n != memoSize {
		t.Errorf("memo holds %d signatures, bound %d", n, memoSize)
	}
	if s, _ := SignRSA(k1, RSA2, content); s != first {
		t.Error("signing after the memo forgot it differs")
	}
}
