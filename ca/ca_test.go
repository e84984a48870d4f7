package ca_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/ca"
	"github.com/mockpay/mockpay/sign"
)

func authority(t *testing.T) (*ca.Authority, string, string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	root, err := ca.SelfSigned(key, pkix.Name{Country: []string{"CN"}, Organization: []string{"o"}, CommonName: "root"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	a, err := ca.Load(root, keyPEM, root)
	if err != nil {
		t.Fatal(err)
	}
	return a, root, keyPEM
}

// TestIssue: issued certificates chain to the root, hold the key, and are
// the same bytes when issued again (their SN must not change between
// starts).
func TestIssue(t *testing.T) {
	a, _, _ := authority(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	name := pkix.Name{Country: []string{"CN"}, Organization: []string{"shop"}, OrganizationalUnit: []string{"u"}, CommonName: "2021000000000001"}
	first, err := a.Issue(&key.PublicKey, name)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := a.Issue(&key.PublicKey, name)
	if first != again {
		t.Error("issuing the same certificate twice gave different bytes")
	}
	certs, err := sign.ParseCertificates(first)
	if err != nil {
		t.Fatal(err)
	}
	c := certs[0]
	pool := x509.NewCertPool()
	pool.AddCert(a.Cert)
	if _, err := c.Verify(x509.VerifyOptions{Roots: pool, CurrentTime: ca.NotBefore.AddDate(1, 0, 0), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		t.Errorf("does not chain to the root: %v", err)
	}
	if !key.PublicKey.Equal(c.PublicKey) || c.Issuer.String() != "CN=root,O=o,C=CN" || c.SignatureAlgorithm != x509.SHA256WithRSA {
		t.Errorf("issued %v by %s with %v", c.PublicKey, c.Issuer, c.SignatureAlgorithm)
	}
	other := name
	other.CommonName = "2021000000000002"
	if o, _ := a.Issue(&key.PublicKey, other); sign.CertSN(mustCert(t, o)) == sign.CertSN(c) {
		t.Error("two subjects got the same SN")
	}
	for _, bad := range []pkix.Name{
		{CommonName: "x", Locality: []string{"Hangzhou"}},
		{CommonName: "x", Organization: []string{"a", "b"}},
		{CommonName: "x", SerialNumber: "1"},
		{Organization: []string{"no CN"}},
	} {
		if _, err := a.Issue(&key.PublicKey, bad); err == nil || !strings.Contains(err.Error(), "C, O, OU and CN") {
			t.Errorf("issued for %v: %v", bad, err)
		}
	}
}

func mustCert(t *testing.T, p string) *x509.Certificate {
	t.Helper()
	cs, err := sign.ParseCertificates(p)
	if err != nil {
		t.Fatal(err)
	}
	return cs[0]
}

// TestLoadRefusesMismatches: a key of another root, or a bundle without the
// root, is a broken CA.
func TestLoadRefusesMismatches(t *testing.T) {
	_, root, keyPEM := authority(t)
	_, otherRoot, otherKey := authority(t)
	if _, err := ca.Load(root, otherKey, root); err == nil {
		t.Error("loaded a root with another root's key")
	}
	if _, err := ca.Load(root, keyPEM, otherRoot); err == nil {
		t.Error("loaded a bundle that does not hold the root")
	}
	if _, err := ca.Load("nope", keyPEM, root); err == nil {
		t.Error("loaded a broken root certificate")
	}
}
