package sign_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/mockpay/mockpay/sign"
)

func selfSigned(t *testing.T, key any, pub any, name pkix.Name, serial *big.Int) string {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: name, NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<31, 0),
		IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// TestCertSN: MD5 of the issuer written most specific first with no
// spaces, then the serial in decimal (§2.4), checked against the string
// spelled out by hand.
func TestCertSN(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := new(big.Int).SetString("340282366920938463463374607431768211457", 10) // > 64 bits
	name := pkix.Name{Country: []string{"CN"}, Organization: []string{"Ant Financial"},
		OrganizationalUnit: []string{"Certification Authority"}, CommonName: "Ant Financial Certification Authority Class 1 R1"}
	bundle := selfSigned(t, key, &key.PublicKey, name, serial)
	certs, err := sign.ParseCertificates(bundle)
	if err != nil {
		t.Fatal(err)
	}
	sum := md5.Sum([]byte("CN=Ant Financial Certification Authority Class 1 R1,OU=Certification Authority,O=Ant Financial,C=CN" +
		"340282366920938463463374607431768211457"))
	if got, want := sign.CertSN(certs[0]), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("CertSN = %s, want %s", got, want)
	}

	// The root SN skips the ECC root and joins the RSA ones in file order.
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecc := selfSigned(t, ecKey, &ecKey.PublicKey, pkix.Name{CommonName: "E1"}, big.NewInt(7))
	second := selfSigned(t, key, &key.PublicKey, pkix.Name{CommonName: "R2", Country: []string{"CN"}}, big.NewInt(8))
	sum2 := md5.Sum([]byte("CN=R2,C=CN8"))
	root, err := sign.RootCertSN(ecc + bundle + "\n" + second)
	if want := hex.EncodeToString(sum[:]) + "_" + hex.EncodeToString(sum2[:]); err != nil || root != want {
		t.Errorf("RootCertSN = %s, %v; want %s", root, err, want)
	}
	if root, err := sign.RootCertSN(ecc); err != nil || root != "" {
		t.Errorf("RootCertSN of an ECC-only bundle = %q, %v", root, err)
	}
	for _, bad := range []string{"", "not pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"} {
		if _, err := sign.RootCertSN(bad); err == nil {
			t.Errorf("RootCertSN(%q) accepted it", bad)
		}
	}
}
