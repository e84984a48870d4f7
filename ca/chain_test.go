package ca_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"

	"github.com/mockpay/mockpay/ca"
	"github.com/mockpay/mockpay/sign"
)

// TestIssueSpecChain: an intermediate and a leaf with a prescribed serial
// verify up to the root with Go's verifier, and a leaf is no CA.
func TestIssueSpecChain(t *testing.T) {
	rootKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	rootPEM, err := ca.SelfSigned(rootKey, pkix.Name{CommonName: "root"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	root, err := ca.Load(rootPEM, sign.PKCS1PrivatePEM(rootKey), rootPEM)
	if err != nil {
		t.Fatal(err)
	}
	midKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	midPEM, err := root.IssueSpec(&midKey.PublicKey, ca.Spec{Serial: big.NewInt(7), Subject: pkix.Name{CommonName: "middle"}, CA: true})
	if err != nil {
		t.Fatal(err)
	}
	mid, err := ca.Intermediate(midPEM, midKey)
	if err != nil {
		t.Fatal(err)
	}
	leafKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	leafPEM, err := mid.IssueSpec(&leafKey.PublicKey, ca.Spec{Serial: big.NewInt(69903319369), Subject: pkix.Name{CommonName: "041@1@中国银联股份有限公司@1"},
		KeyUsage: x509.KeyUsageDigitalSignature})
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := sign.ParseCertificates(leafPEM)
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	r, _ := sign.ParseCertificates(rootPEM)
	m, _ := sign.ParseCertificates(midPEM)
	roots.AddCert(r[0])
	inter.AddCert(m[0])
	if _, err := leaf[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
		CurrentTime: ca.NotBefore.AddDate(1, 0, 0)}); err != nil {
		t.Fatalf("chain does not verify: %v", err)
	}
	if leaf[0].SerialNumber.String() != "69903319369" || leaf[0].IsCA {
		t.Errorf("leaf serial %s, CA %v", leaf[0].SerialNumber, leaf[0].IsCA)
	}
	if _, err := ca.Intermediate(leafPEM, leafKey); err == nil {
		t.Error("a leaf was taken as an intermediate")
	}
	if _, err := mid.IssueSpec(&leafKey.PublicKey, ca.Spec{Subject: pkix.Name{CommonName: "x"}}); err == nil {
		t.Error("a certificate without serial was issued")
	}
}
