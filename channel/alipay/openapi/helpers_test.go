package openapi_test

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/mockpay/mockpay/internal/goldenfile"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// golden compares got with testdata/name; go test ./channel/alipay/openapi -update
// rewrites it (review the diff: a golden file is the wire format SDKs see).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got)
}

// The fixture apps (fixtures/apps.json): 0001 signs RSA2, 0002 signs RSA.
const (
	appRSA2 = "2021000122600001"
	appRSA  = "2021000122600002"
)

func readFixture(t testing.TB, appID, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../../fixtures/apps", appID, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fixtureApp builds a payment.App from the PEM files without package
// fixtures, so these tests need nothing but the key material.
func fixtureApp(t testing.TB, appID string) *payment.App {
	t.Helper()
	app := &payment.App{
		AppID:                 appID,
		Name:                  "test shop " + appID,
		PID:                   "2088102100000001",
		SellerEmail:           "seller@sandbox.mockpay.local",
		SignType:              sign.RSA2,
		AppPublicKeyPEM:       readFixture(t, appID, "app_public_key.pem"),
		PlatformPublicKeyPEM:  readFixture(t, appID, "alipay_public_key.pem"),
		PlatformPrivateKeyPEM: readFixture(t, appID, "alipay_private_key.pem"),
	}
	if appID == appRSA {
		app.PID, app.SellerEmail, app.SignType = "2088102100000002", "seller-rsa@sandbox.mockpay.local", sign.RSA
	}
	if err := app.Prepare(); err != nil {
		t.Fatal(err)
	}
	return app
}

// platformPublic is what a merchant verifies with, read with crypto/x509.
func platformPublic(t testing.TB, appID string) *rsa.PublicKey {
	t.Helper()
	block, _ := pem.Decode([]byte(readFixture(t, appID, "alipay_public_key.pem")))
	if block == nil {
		t.Fatal("no PEM block")
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(*rsa.PublicKey)
}

// verifyRaw is an SDK-style verifier written from the spec, not from package
// sign: base64 std, PKCS#1 v1.5, SHA256 for RSA2 and SHA1 for RSA (§2.5, §3.3).
func verifyRaw(pub *rsa.PublicKey, signType string, content []byte, sig string) error {
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return err
	}
	if signType == "RSA" {
		sum := sha1.Sum(content)
		return rsa.VerifyPKCS1v15(pub, crypto.SHA1, sum[:], raw)
	}
	sum := sha256.Sum256(content)
	return rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], raw)
}

// canonicalOf builds the notification/return string by hand: drop the
// excluded keys, sort by key, join k=v with &, raw values (§3.3).
func canonicalOf(values map[string]string, exclude ...string) string {
	keys := make([]string, 0, len(values))
	for k := range values {
		skip := false
		for _, e := range exclude {
			skip = skip || k == e
		}
		if !skip {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k + "=" + values[k])
	}
	return b.String()
}

func gbkBytes(t testing.TB, s string) string {
	t.Helper()
	out, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
