package sign

import (
	"crypto/md5"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"strings"
)

// CertSN is a certificate's serial number as Alipay's certificate mode names
// it (alipay-protocol.md §2.4): lowercase hex MD5 of the issuer DN (RFC 2253
// order, most specific first, no spaces) followed by the serial in decimal.
// Go's pkix.Name.String agrees with the SDKs for issuers made only of C, O,
// OU and CN, which is all mockpay's CA uses.
func CertSN(c *x509.Certificate) string {
	sum := md5.Sum([]byte(c.Issuer.String() + c.SerialNumber.String()))
	return hex.EncodeToString(sum[:])
}

// ParseCertificates reads every certificate of a PEM bundle, in file order.
func ParseCertificates(bundle string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	rest := []byte(bundle)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("no PEM certificate")
	}
	return out, nil
}

// RootCertSN is alipay_root_cert_sn (§2.4): the SNs of the bundle's
// certificates signed with an RSA algorithm, joined with "_" in file order.
// Others (the ECC root real bundles hold) are skipped.
func RootCertSN(bundle string) (string, error) {
	certs, err := ParseCertificates(bundle)
	if err != nil {
		return "", err
	}
	var sns []string
	for _, c := range certs {
		if RSASigned(c) {
			sns = append(sns, CertSN(c))
		}
	}
	return strings.Join(sns, "_"), nil
}

// RSASigned reports a certificate signed with an algorithm under OID
// 1.2.840.113549.1.1 (PKCS#1): those RootCertSN counts.
func RSASigned(c *x509.Certificate) bool {
	switch c.SignatureAlgorithm {
	case x509.MD2WithRSA, x509.MD5WithRSA, x509.SHA1WithRSA, x509.SHA256WithRSA, x509.SHA384WithRSA, x509.SHA512WithRSA,
		x509.SHA256WithRSAPSS, x509.SHA384WithRSAPSS, x509.SHA512WithRSAPSS:
		return true
	}
	return false
}
