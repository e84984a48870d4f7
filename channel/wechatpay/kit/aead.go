package kit

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
)

// Resource is an AEAD_AES_256_GCM encrypted resource as notifications and
// /v3/certificates carry it (wechatpay-protocol.md §2.8, P-V3-8).
type Resource struct {
	Algorithm      string `json:"algorithm"`
	Ciphertext     string `json:"ciphertext"`
	AssociatedData string `json:"associated_data"`
	OriginalType   string `json:"original_type,omitempty"`
	Nonce          string `json:"nonce"`
}

// AEADAlgorithm is the algorithm's name on the wire.
const AEADAlgorithm = "AEAD_AES_256_GCM"

// Encrypt seals plaintext with the merchant's APIv3 key (32 ASCII bytes) as
// AES-256-GCM: a fresh 12-character nonce used as the 12-byte IV, aad as
// associated data, Base64 of ciphertext‖tag (§2.8).
func Encrypt(apiv3Key, aad, originalType string, plaintext []byte) (Resource, error) {
	gcm, err := gcmOf(apiv3Key)
	if err != nil {
		return Resource{}, err
	}
	nonce := Token(12)
	ct := gcm.Seal(nil, []byte(nonce), plaintext, []byte(aad))
	return Resource{Algorithm: AEADAlgorithm, Ciphertext: base64.StdEncoding.EncodeToString(ct),
		AssociatedData: aad, OriginalType: originalType, Nonce: nonce}, nil
}

// Decrypt opens r with the APIv3 key (the inspector shows the payload).
func Decrypt(apiv3Key string, r Resource) ([]byte, error) {
	gcm, err := gcmOf(apiv3Key)
	if err != nil {
		return nil, err
	}
	ct, err := base64.StdEncoding.DecodeString(r.Ciphertext)
	if err != nil {
		return nil, err
	}
	if len(r.Nonce) != gcm.NonceSize() {
		return nil, errors.New("nonce is not 12 bytes")
	}
	return gcm.Open(nil, []byte(r.Nonce), ct, []byte(r.AssociatedData))
}

func gcmOf(key string) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, errors.New("the APIv3 key is not 32 bytes")
	}
	block, err := aes.NewCipher([]byte(key))
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
