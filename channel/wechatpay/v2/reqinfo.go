package v2

import (
	"bytes"
	"crypto/aes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
)

// reqInfoKey is the refund notification's AES-256 key (§1.9, P-V2-5): the
// lower-case hex MD5 of the APIv2 key, its 32 ASCII bytes used as they are.
func reqInfoKey(apiKey string) []byte {
	sum := md5.Sum([]byte(apiKey))
	return []byte(hex.EncodeToString(sum[:]))
}

// EncryptReqInfo is the refund notification's req_info: plaintext under
// AES-256-ECB with PKCS#7 padding, standard Base64 (§1.9).
func EncryptReqInfo(plain []byte, apiKey string) string {
	block, err := aes.NewCipher(reqInfoKey(apiKey))
	if err != nil {
		panic(err) // the key is always 32 bytes
	}
	n := aes.BlockSize - len(plain)%aes.BlockSize
	buf := append(append([]byte{}, plain...), bytes.Repeat([]byte{byte(n)}, n)...)
	for i := 0; i < len(buf); i += aes.BlockSize {
		block.Encrypt(buf[i:i+aes.BlockSize], buf[i:i+aes.BlockSize])
	}
	return base64.StdEncoding.EncodeToString(buf)
}

// ErrReqInfo is a req_info that does not decrypt under the key.
var ErrReqInfo = errors.New("req_info does not decrypt")

// DecryptReqInfo reverses EncryptReqInfo, as a merchant does; the tests and
// the contract driver read refund notifications with it.
func DecryptReqInfo(reqInfo, apiKey string) ([]byte, error) {
	buf, err := base64.StdEncoding.DecodeString(reqInfo)
	if err != nil || len(buf) == 0 || len(buf)%aes.BlockSize != 0 {
		return nil, ErrReqInfo
	}
	block, _ := aes.NewCipher(reqInfoKey(apiKey))
	for i := 0; i < len(buf); i += aes.BlockSize {
		block.Decrypt(buf[i:i+aes.BlockSize], buf[i:i+aes.BlockSize])
	}
	n := int(buf[len(buf)-1])
	if n == 0 || n > aes.BlockSize || n > len(buf) || !bytes.Equal(buf[len(buf)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		return nil, ErrReqInfo
	}
	return buf[:len(buf)-n], nil
}
