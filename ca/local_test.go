package ca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/sign"
)

func TestLocalIsMadeOnceBesideTheDatabaseWithAPrivateKey(t *testing.T) {
	certFile, keyFile := LocalFiles(filepath.Join(t.TempDir(), "mockpay.db"))
	if filepath.Base(certFile) != "mockpay-ca.pem" || filepath.Base(keyFile) != "mockpay-ca-key.pem" {
		t.Fatalf("files %s %s", certFile, keyFile)
	}
	first, err := LoadOrCreateLocal(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key mode %v, want 0600", st.Mode().Perm())
	}
	again, err := LoadOrCreateLocal(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Cert.Equal(first.Cert) || again.CertPEM != first.CertPEM {
		t.Error("a second start made a new CA instead of loading the first")
	}
}

func TestLocalRefusesAKeyWithoutItsCertificate(t *testing.T) {
	certFile, keyFile := LocalFiles(filepath.Join(t.TempDir(), "x.db"))
	if _, err := LoadOrCreateLocal(certFile, keyFile); err != nil {
		t.Fatal(err)
	}
	os.Remove(certFile)
	if _, err := LoadOrCreateLocal(certFile, keyFile); err == nil {
		t.Fatal("a lone key was silently replaced by a new CA")
	}
}

func TestLeafVerifiesUnderTheLocalCAForEveryName(t *testing.T) {
	dir := t.TempDir()
	l, err := LoadOrCreateLocal(filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem"))
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := l.Leaf([]string{"localhost", "127.0.0.1", "openapi.alipay.com", "openapi.alipay.com"})
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(leaf.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(l.Cert)
	for _, name := range []string{"localhost", "127.0.0.1", "openapi.alipay.com"} {
		if _, err := cert.Verify(x509.VerifyOptions{DNSName: name, Roots: roots}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := cert.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: roots}); err == nil {
		t.Error("the leaf verifies for a name it was not issued for")
	}
}

func TestNewLocalIsRSA2048AndCertifiesApps(t *testing.T) {
	dir := t.TempDir()
	l, err := LoadOrCreateLocal(filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pub, ok := l.Cert.PublicKey.(*rsa.PublicKey)
	if !ok || pub.N.BitLen() != 2048 || l.Cert.SignatureAlgorithm != x509.SHA256WithRSA {
		t.Fatalf("local CA key %T, signed %v", l.Cert.PublicKey, l.Cert.SignatureAlgorithm)
	}
	a, err := l.Certifier("")
	if err != nil {
		t.Fatal(err)
	}
	if sn, err := sign.RootCertSN(a.BundlePEM); err != nil || sn != sign.CertSN(l.Cert) {
		t.Errorf("bundle SN %q %v", sn, err)
	}
}

func TestECDSALocalLoadsButDoesNotCertify(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem")
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{Organization: []string{"mockpay"}, CommonName: "mockpay local CA old"},
		NotBefore: NotBefore, NotAfter: NotAfter, IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	keyDER, _ := x509.MarshalECPrivateKey(key)
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	l, err := LoadOrCreateLocal(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Leaf([]string{"localhost"}); err != nil {
		t.Errorf("an ECDSA CA no longer issues TLS leaves: %v", err)
	}
	if _, err := l.Certifier(""); err == nil || !strings.Contains(err.Error(), "mockpay-ca-key.pem") {
		t.Errorf("an ECDSA CA certifies apps: %v", err)
	}
}
