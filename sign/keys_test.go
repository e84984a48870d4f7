package sign_test

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/sign"
)

func TestParsePrivateKey(t *testing.T) {
	want := appKey(t)
	pkcs1 := readFixture(t, "app_private_key.pem")
	pkcs8 := readFixture(t, "app_private_key_pkcs8.pem")
	ecPKCS8, err := x509.MarshalPKCS8PrivateKey(ecKey())
	if err != nil {
		t.Fatal(err)
	}
	ecSEC1, err := x509.MarshalECPrivateKey(ecKey())
	if err != nil {
		t.Fatal(err)
	}
	oneLine := strings.ReplaceAll(bareBody(pkcs1), "\n", "")

	ok := []struct{ name, text string }{
		{"PKCS#1 PEM", pkcs1},
		{"PKCS#8 PEM", pkcs8},
		{"PKCS#1 PEM with CRLF and surrounding blanks", "\r\n  " + strings.ReplaceAll(pkcs1, "\n", "\r\n") + "  \n"},
		{"bare PKCS#1 base64 with line breaks", bareBody(pkcs1)},
		{"bare PKCS#1 base64 on one line", oneLine},
		{"bare PKCS#1 base64 with CRLF and spaces", " " + strings.ReplaceAll(bareBody(pkcs1), "\n", "\r\n ") + "\n"},
		{"bare PKCS#8 base64 on one line", strings.ReplaceAll(bareBody(pkcs8), "\n", "")},
		// The PEM type is not trusted: a PKCS#8 body under a PKCS#1 header still parses.
		{"PKCS#8 body under RSA PRIVATE KEY header", encodePEM("RSA PRIVATE KEY", pemBlock(t, pkcs8).Bytes)},
	}
	for _, c := range ok {
		t.Run(c.name, func(t *testing.T) {
			k, err := sign.ParsePrivateKey(c.text)
			if err != nil {
				t.Fatalf("ParsePrivateKey: %v", err)
			}
			if !k.Equal(want) {
				t.Error("parsed a different key")
			}
		})
	}

	bad := []struct{ name, text string }{
		{"empty", ""},
		{"blanks", " \n\t "},
		{"garbage", "this is not a key"},
		{"base64 of garbage", base64.StdEncoding.EncodeToString([]byte("hello, world"))},
		{"truncated base64 body", oneLine[:len(oneLine)/2]},
		{"public key PEM", readFixture(t, "app_public_key.pem")},
		{"EC key, PKCS#8", encodePEM("PRIVATE KEY", ecPKCS8)},
		{"EC key, SEC 1", encodePEM("EC PRIVATE KEY", ecSEC1)},
		{"EC key, bare PKCS#8 base64", base64.StdEncoding.EncodeToString(ecPKCS8)},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			k, err := sign.ParsePrivateKey(c.text)
			if err == nil {
				t.Fatalf("ParsePrivateKey accepted it (key of %d bits)", k.N.BitLen())
			}
			if k != nil {
				t.Error("non-nil key returned with an error")
			}
		})
	}
}

func TestParsePublicKey(t *testing.T) {
	priv := appKey(t)
	want := &priv.PublicKey
	pkix := readFixture(t, "app_public_key.pem")
	pkcs1 := encodePEM("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(want))
	cert := selfSignedPEM(t, want, priv)
	ecPKIX, err := x509.MarshalPKIXPublicKey(&ecKey().PublicKey)
	if err != nil {
		t.Fatal(err)
	}

	ok := []struct{ name, text string }{
		{"PKIX PEM", pkix},
		{"PKCS#1 PEM", pkcs1},
		{"self-signed certificate PEM (§2.4, gopay AutoVerifySign accepts one)", cert},
		{"bare PKIX base64 with line breaks", bareBody(pkix)},
		{"bare PKIX base64 on one line", strings.ReplaceAll(bareBody(pkix), "\n", "")},
		{"bare PKCS#1 base64", base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PublicKey(want))},
		{"bare certificate base64", strings.ReplaceAll(bareBody(cert), "\n", "")},
	}
	for _, c := range ok {
		t.Run(c.name, func(t *testing.T) {
			k, err := sign.ParsePublicKey(c.text)
			if err != nil {
				t.Fatalf("ParsePublicKey: %v", err)
			}
			if !k.Equal(want) {
				t.Error("parsed a different key")
			}
		})
	}

	bad := []struct{ name, text string }{
		{"empty", ""},
		{"garbage", "-----BEGIN nothing"},
		{"base64 of garbage", base64.StdEncoding.EncodeToString([]byte("hello, world"))},
		{"EC public key, PKIX", encodePEM("PUBLIC KEY", ecPKIX)},
		{"EC certificate", selfSignedPEM(t, &ecKey().PublicKey, ecKey())},
		{"private key PEM", readFixture(t, "app_private_key.pem")},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			k, err := sign.ParsePublicKey(c.text)
			if err == nil {
				t.Fatalf("ParsePublicKey accepted it (key of %d bits)", k.N.BitLen())
			}
			if k != nil {
				t.Error("non-nil key returned with an error")
			}
		})
	}
}

// TestPEMEncoders: what mockpay hands merchants must parse back with
// crypto/x509 under the header each form promises, and must match the
// fixture files byte for byte (they were written by these encoders).
func TestPEMEncoders(t *testing.T) {
	key := appKey(t)
	cases := []struct {
		name, got, header, fixture string
		parse                      func(der []byte) (any, error)
	}{
		{"PKCS1PrivatePEM", sign.PKCS1PrivatePEM(key), "RSA PRIVATE KEY", "app_private_key.pem",
			func(der []byte) (any, error) { return x509.ParsePKCS1PrivateKey(der) }},
		{"PKCS8PrivatePEM", sign.PKCS8PrivatePEM(key), "PRIVATE KEY", "app_private_key_pkcs8.pem",
			func(der []byte) (any, error) { return x509.ParsePKCS8PrivateKey(der) }},
		{"PublicPEM", sign.PublicPEM(&key.PublicKey), "PUBLIC KEY", "app_public_key.pem",
			func(der []byte) (any, error) { return x509.ParsePKIXPublicKey(der) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			block := pemBlock(t, c.got)
			if block.Type != c.header {
				t.Errorf("PEM type %q, want %q", block.Type, c.header)
			}
			k, err := c.parse(block.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			var same bool
			switch k := k.(type) {
			case *rsa.PrivateKey:
				same = k.Equal(key)
			case *rsa.PublicKey:
				same = k.Equal(&key.PublicKey)
			}
			if !same {
				t.Errorf("round trip gave %T, not the original key", k)
			}
			if c.got != readFixture(t, c.fixture) {
				t.Errorf("output differs from fixture %s", c.fixture)
			}
		})
	}
	// And package sign reads its own output.
	if k, err := sign.ParsePrivateKey(sign.PKCS8PrivatePEM(key)); err != nil || !k.Equal(key) {
		t.Errorf("ParsePrivateKey(PKCS8PrivatePEM) = %v", err)
	}
	if k, err := sign.ParsePublicKey(sign.PublicPEM(&key.PublicKey)); err != nil || !k.Equal(&key.PublicKey) {
		t.Errorf("ParsePublicKey(PublicPEM) = %v", err)
	}
}

func TestPrivateKeyEncoding(t *testing.T) {
	pkcs1 := readFixture(t, "app_private_key.pem")
	pkcs8 := readFixture(t, "app_private_key_pkcs8.pem")
	cases := []struct {
		name, text string
		want       sign.KeyEncoding
	}{
		{"PKCS#1 PEM", pkcs1, sign.KeyEncoding{PEMType: "RSA PRIVATE KEY", Syntax: "PKCS#1"}},
		{"PKCS#8 PEM", pkcs8, sign.KeyEncoding{PEMType: "PRIVATE KEY", Syntax: "PKCS#8"}},
		{"bare PKCS#1 base64", bareBody(pkcs1), sign.KeyEncoding{Syntax: "PKCS#1"}},
		{"bare PKCS#8 base64", bareBody(pkcs8), sign.KeyEncoding{Syntax: "PKCS#8"}},
		// The header a file carries and what its body is can disagree; SDKs
		// that trust the header then fail, so both are reported.
		{"PKCS#8 body under an RSA PRIVATE KEY header", encodePEM("RSA PRIVATE KEY", pemBlock(t, pkcs8).Bytes), sign.KeyEncoding{PEMType: "RSA PRIVATE KEY", Syntax: "PKCS#8"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := sign.PrivateKeyEncoding(c.text)
			if err != nil || got != c.want {
				t.Errorf("PrivateKeyEncoding = %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
	if _, err := sign.PrivateKeyEncoding(readFixture(t, "app_public_key.pem")); err == nil {
		t.Error("a public key was read as a private key")
	}
}
