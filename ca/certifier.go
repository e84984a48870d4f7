package ca

import (
	"crypto/rsa"
	"encoding/asn1"
	"encoding/pem"
	"fmt"

	"github.com/mockpay/mockpay/sign"
)

// documentSigning is id-kp-documentSigning (RFC 9336): what an app
// certificate's key does (it signs requests and answers), and nothing TLS
// accepts.
var documentSigning = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 36}

// Certifier is the local CA as the issuer of certificate-mode apps created
// through the control API. Their certificates allow document signing only,
// never serverAuth: mockpay hands out their private keys, and a key it
// hands out must not impersonate a host to a process that trusts this CA.
//
// The root bundle is realBundle's non-RSA roots first (the fixtures' ECC
// root, as real bundles open with one, §2.4), then the local CA, so
// alipay_root_cert_sn is the local CA's SN alone.
//
// An ECDSA CA (made by mockpay before it made RSA ones) is refused: SDKs
// skip ECC-signed roots in alipay_root_cert_sn, so no SDK could name it.
func (l *Local) Certifier(realBundle string) (*Authority, error) {
	if _, ok := l.key.(*rsa.PrivateKey); !ok {
		return nil, fmt.Errorf("mockpay's local CA (%s) has an ECDSA key, made by an older mockpay: certificate-mode apps need an RSA CA "+
			"(SDKs compute alipay_root_cert_sn over RSA-signed roots only). Remove the CA files beside the database "+
			"(mockpay-ca.pem, mockpay-ca-key.pem) to have a new one made on the next start, or pass an RSA CA with --ca-cert and --ca-key; "+
			"merchants must then trust the new CA", l.Cert.Subject.CommonName)
	}
	if err := checkName(l.Cert.Subject); err != nil {
		return nil, fmt.Errorf("local CA: %w", err)
	}
	bundle := ""
	if realBundle != "" {
		certs, err := sign.ParseCertificates(realBundle)
		if err != nil {
			return nil, fmt.Errorf("root bundle: %w", err)
		}
		for _, c := range certs {
			if !sign.RSASigned(c) {
				bundle += string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
			}
		}
	}
	return &Authority{Cert: l.Cert, key: l.key, BundlePEM: bundle + l.CertPEM,
		usage: []asn1.ObjectIdentifier{documentSigning}}, nil
}
