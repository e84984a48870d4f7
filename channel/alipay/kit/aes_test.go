package kit

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"testing"
)

// TestAESKnownVector: the scheme matches an independent AES-CBC with a zero
// IV over the PKCS#7-padded text, so SDK ciphertexts decrypt.
func TestAESKnownVector(t *testing.T) {
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef"))
	plain := []byte(`{"out_trade_no":"A<B>&"}`)
	got, err := EncryptContent(key, plain)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := aes.NewCipher([]byte("0123456789abcdef"))
	padded := append(append([]byte{}, plain...), 8, 8, 8, 8, 8, 8, 8, 8)
	cipher.NewCBCEncrypter(b, make([]byte, 16)).CryptBlocks(padded, padded)
	if want := base64.StdEncoding.EncodeToString(padded); got != want {
		t.Fatalf("EncryptContent = %s, want %s", got, want)
	}
	back, err := DecryptContent(key, got)
	if err != nil || string(back) != string(plain) {
		t.Fatalf("DecryptContent = %q, %v", back, err)
	}
}

func TestAESRefusesGarbage(t *testing.T) {
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef")) // fixed: a random key could pad validly by chance
	for _, c := range []string{"", "not base64!", base64.StdEncoding.EncodeToString([]byte("short")), base64.StdEncoding.EncodeToString(make([]byte, 16))} {
		if _, err := DecryptContent(key, c); !errors.Is(err, ErrUndecryptable) {
			t.Errorf("DecryptContent(%q) = %v, want ErrUndecryptable", c, err)
		}
	}
	if _, err := EncryptContent("AAAA", nil); err == nil {
		t.Error("a 3-byte key encrypts")
	}
}

func TestNewAESKeyIsAES128(t *testing.T) {
	if raw, err := base64.StdEncoding.DecodeString(NewAESKey()); err != nil || len(raw) != 16 {
		t.Fatalf("NewAESKey: %d bytes, %v", len(raw), err)
	}
}
