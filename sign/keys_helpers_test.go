package sign_test

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
	"sync"
	"testing"
	"time"
)

// The fixture app's test keys: public test material (fixtures/README.md).
// They are parsed here with crypto/x509 directly, not with package sign, so
// the tests do not trust the code they check.
const fixtureDir = "../fixtures/apps/2021000122600001"

func readFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func pemBlock(t testing.TB, text string) *pem.Block {
	t.Helper()
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		t.Fatal("no PEM block")
	}
	return block
}

// appKey is the merchant key pair, platformKey Alipay's: two distinct keys.
func appKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	k, err := x509.ParsePKCS1PrivateKey(pemBlock(t, readFixture(t, "app_private_key.pem")).Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func platformKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	k, err := x509.ParsePKCS1PrivateKey(pemBlock(t, readFixture(t, "alipay_private_key.pem")).Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// ecKey is generated once per test binary: P-256 is cheap.
var ecKey = sync.OnceValue(func() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
})

func encodePEM(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

// selfSignedPEM makes a certificate for pub signed by priv, as a merchant
// who loads an Alipay public-key certificate would hand us (§2.4).
func selfSignedPEM(t testing.TB, pub, priv any) string {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(20260501),
		Subject:      pkix.Name{CommonName: "mockpay test", Organization: []string{"mockpay"}, Country: []string{"CN"}},
		NotBefore:    time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	return encodePEM("CERTIFICATE", der)
}

// bareBody strips the BEGIN/END lines, leaving the base64 body with its
// line breaks, the way Alipay's key tool prints keys.
func bareBody(pemText string) string {
	var lines []string
	for _, l := range strings.Split(pemText, "\n") {
		if l != "" && !strings.HasPrefix(l, "-----") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}
