package ca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Local is the CA a merchant's process trusts for mockpay's HTTPS (its
// --tls-addr and the leaves its proxy mode presents for the platform hosts).
// Unlike the certificate-mode root (public in the fixtures), its key is made
// on first start on this machine and never leaves it: whoever holds it can
// impersonate any host to a process that trusts the CA. It also issues the
// certificates of certificate-mode apps created through the control API
// (Certifier); those never allow serverAuth.
//
// New CAs are RSA-2048: SDKs compute alipay_root_cert_sn only over the
// RSA-signed certificates of the root bundle (alipay-protocol.md §2.4), so
// an ECDSA CA (what mockpay made before) would be invisible in the SN. An
// ECDSA CA still loads and serves TLS; only Certifier refuses it.
type Local struct {
	Cert    *x509.Certificate
	CertPEM string
	key     crypto.Signer
}

// localKeyBits is the local CA's RSA key size.
const localKeyBits = 2048

// LocalFiles are where a database's CA lives: beside it, named after it
// (mockpay.db → mockpay-ca.pem and mockpay-ca-key.pem), so a volume that
// keeps the database keeps the CA merchants were told to trust.
func LocalFiles(dbPath string) (certFile, keyFile string) {
	base := strings.TrimSuffix(dbPath, filepath.Ext(dbPath))
	return base + "-ca.pem", base + "-ca-key.pem"
}

// LoadOrCreateLocal reads the CA in certFile and keyFile, making both on
// first use (the key 0600). Two processes starting at once agree: the key
// file is created exclusively and the loser reads the winner's files.
func LoadOrCreateLocal(certFile, keyFile string) (*Local, error) {
	l, err := LoadLocal(certFile, keyFile)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return l, err
	}
	if _, statErr := os.Stat(keyFile); statErr == nil {
		return nil, fmt.Errorf("CA key %s exists but its certificate %s does not: restore it, or remove the key to make a new CA", keyFile, certFile)
	}
	created, err := NewLocal()
	if err != nil {
		return nil, err
	}
	der := x509.MarshalPKCS1PrivateKey(created.key.(*rsa.PrivateKey))
	if err := writeExclusive(keyFile, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		if errors.Is(err, fs.ErrExist) { // another process made it first
			return LoadLocal(certFile, keyFile)
		}
		return nil, fmt.Errorf("CA key: %w", err)
	}
	if err := os.WriteFile(certFile, []byte(created.CertPEM), 0o644); err != nil {
		return nil, fmt.Errorf("CA certificate: %w", err)
	}
	return created, nil
}

// LoadLocal reads a CA certificate and its ECDSA or RSA key (PEM).
func LoadLocal(certFile, keyFile string) (*Local, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return nil, err
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, err
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("CA %s / %s: %w", certFile, keyFile, err)
	}
	key, ok := pair.PrivateKey.(crypto.Signer)
	switch pair.PrivateKey.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey:
	default:
		ok = false
	}
	if !ok {
		return nil, fmt.Errorf("CA key %s: want an RSA or ECDSA key", keyFile)
	}
	cert, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return nil, err
	}
	if !cert.IsCA {
		return nil, fmt.Errorf("CA certificate %s is not a CA", certFile)
	}
	return &Local{Cert: cert, CertPEM: string(certPEM), key: key}, nil
}

// NewLocal makes a CA in memory (LoadOrCreateLocal keeps it in files).
func NewLocal() (*Local, error) {
	key, err := rsa.GenerateKey(rand.Reader, localKeyBits)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, err
	}
	// A CN unique to this CA, so that two machines' CAs in one trust store
	// are told apart.
	tag := hex.EncodeToString(serial.Bytes()[:4])
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"mockpay"}, CommonName: "mockpay local CA " + tag},
		NotBefore:             NotBefore,
		NotAfter:              NotAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Local{Cert: cert, CertPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), key: key}, nil
}

// Leaf issues a server certificate for names (host names and IP
// addresses), made fresh at each start and kept in memory only.
func (l *Local) Leaf(names []string) (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(strings.Join(names, ",")))
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes(sum[:12]),
		Subject:      pkix.Name{Organization: []string{"mockpay"}, CommonName: "mockpay"},
		NotBefore:    NotBefore,
		NotAfter:     NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else if n != "" && !slices.Contains(tmpl.DNSNames, n) {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, l.Cert, &key.PublicKey, l.key)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der, l.Cert.Raw}, PrivateKey: key}, nil
}

func writeExclusive(name string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(name)
		return err
	}
	return f.Close()
}
