package ca

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
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
