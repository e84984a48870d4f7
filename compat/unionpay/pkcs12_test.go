package unionpay

import (
	"crypto/rsa"
	"os"
	"testing"
)

// TestLoadPFX reads the fixture merchant's PFX with its password, refuses
// a wrong one, and finds the certificate whose serial is the certId.
func TestLoadPFX(t *testing.T) {
	der, err := os.ReadFile("../../fixtures/unionpay/777290058110048/acp_sign.pfx")
	if err != nil {
		t.Fatal(err)
	}
	key, cert, err := LoadPFX(der, "000000")
	if err != nil {
		t.Fatal(err)
	}
	if !cert.PublicKey.(*rsa.PublicKey).Equal(&key.PublicKey) || CertID(cert) != "69903319370" {
		t.Errorf("key and certificate do not match, or certId %s", CertID(cert))
	}
	if _, _, err := LoadPFX(der, "111111"); err == nil {
		t.Error("a wrong password opened the PFX")
	}
}
