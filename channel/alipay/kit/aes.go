package kit

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
)

// Alipay's 接口内容加密 (content encryption, encrypt_type=AES): the app's key
// is base64 of 16 bytes (AES-128; 24 and 32 work the same way), the cipher
// is CBC with an all-zero IV and PKCS#5/7 padding, and the ciphertext
// travels as standard base64 — what the SDKs' encryptKey (Node alipay-sdk)
// and SetEncryptKey (smartwalle) options do.
var zeroIV = make([]byte, aes.BlockSize)

// NewAESKey is a fresh content-encryption key in the form the open
// platform hands out (base64 of 16 random bytes).
func NewAESKey() string {
	k := make([]byte, 16)
	if _, err := rand.Read(k); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.StdEncoding.EncodeToString(k)
}

// aesBlock parses an app's key; a registered app's key was checked by
// DecodeCreds.
func aesBlock(key string) (cipher.Block, error) {
	raw, err := base64.StdEncoding.DecodeString(key)
	if err != nil {
		return nil, fmt.Errorf("AES key is not base64: %w", err)
	}
	b, err := aes.NewCipher(raw)
	if err != nil {
		return nil, fmt.Errorf("AES key: %d bytes, want 16, 24 or 32", len(raw))
	}
	return b, nil
}

// EncryptContent encrypts plain with key: base64(AES-CBC(pkcs7(plain))).
func EncryptContent(key string, plain []byte) (string, error) {
	b, err := aesBlock(key)
	if err != nil {
		return "", err
	}
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	buf := append(append([]byte{}, plain...), bytes.Repeat([]byte{byte(pad)}, pad)...)
	cipher.NewCBCEncrypter(b, zeroIV).CryptBlocks(buf, buf)
	return base64.StdEncoding.EncodeToString(buf), nil
}

// ErrUndecryptable is content that is not base64 of whole AES blocks with
// valid padding under the key.
var ErrUndecryptable = errors.New("content does not decrypt with the app's AES key")

// DecryptContent reverses EncryptContent.
func DecryptContent(key, content string) ([]byte, error) {
	b, err := aesBlock(key)
	if err != nil {
		return nil, err
	}
	buf, err := base64.StdEncoding.DecodeString(content)
	if err != nil {
		return nil, fmt.Errorf("%w: not standard base64", ErrUndecryptable)
	}
	if len(buf) == 0 || len(buf)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: %d bytes is not a whole number of 16-byte blocks", ErrUndecryptable, len(buf))
	}
	cipher.NewCBCDecrypter(b, zeroIV).CryptBlocks(buf, buf)
	pad := int(buf[len(buf)-1])
	if pad == 0 || pad > aes.BlockSize || !bytes.Equal(buf[len(buf)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return nil, fmt.Errorf("%w: bad PKCS#7 padding (wrong key?)", ErrUndecryptable)
	}
	return buf[:len(buf)-pad], nil
}
