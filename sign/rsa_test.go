package sign_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/sign"
)

// A canonical request string with the characters that matter: Chinese,
// JSON, & and = inside values (§2.3 item 4).
const content = `app_id=2021000122600001&biz_content={"out_trade_no":"A1","subject":"测试 & = %"}&charset=utf-8&method=alipay.trade.query&sign_type=RSA2&timestamp=2026-05-02 04:00:00&version=1.0`

func TestParseType(t *testing.T) {
	cases := []struct {
		in   string
		want sign.Type
		ok   bool
	}{
		{"RSA2", sign.RSA2, true},
		{"RSA", sign.RSA, true},
		{"rsa2", "", false}, // upper case required (§1.2)
		{"MD5", "", false},  // OpenAPI has no MD5
		{"", "", false},
		{"RSA2 ", "", false},
	}
	for _, c := range cases {
		got, err := sign.ParseType(c.in)
		if got != c.want || (err == nil) != c.ok {
			t.Errorf("ParseType(%q) = %q, %v; want %q, ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	key := platformKey(t)
	for _, st := range []sign.Type{sign.RSA2, sign.RSA} {
		for _, msg := range []string{content, "", "a=1", "\xd6\xd0\xce\xc4"} {
			t.Run(fmt.Sprintf("%s/%q", st, msg), func(t *testing.T) {
				sig, err := sign.SignRSA(key, st, []byte(msg))
				if err != nil {
					t.Fatal(err)
				}
				// Standard base64 with padding: 2048-bit key = 256 bytes = 344 chars (§6.5 item 2).
				if len(sig) != 344 || !strings.HasSuffix(sig, "=") {
					t.Errorf("signature %q is not padded std base64 of 256 bytes", sig)
				}
				if err := sign.VerifyRSA(&key.PublicKey, st, []byte(msg), sig); err != nil {
					t.Errorf("VerifyRSA: %v", err)
				}
			})
		}
	}
}

// TestSignRSAIsStandardPKCS1v15 checks SignRSA against crypto/rsa used by
// hand, both ways: RSA2 = SHA256withRSA, RSA = SHA1withRSA (§2.3 item 5).
func TestSignRSAIsStandardPKCS1v15(t *testing.T) {
	key := platformKey(t)
	msg := []byte(content)
	s256 := sha256.Sum256(msg)
	s1 := sha1.Sum(msg)
	cases := []struct {
		st   sign.Type
		hash crypto.Hash
		sum  []byte
	}{
		{sign.RSA2, crypto.SHA256, s256[:]},
		{sign.RSA, crypto.SHA1, s1[:]},
	}
	for _, c := range cases {
		t.Run(string(c.st), func(t *testing.T) {
			sig, err := sign.SignRSA(key, c.st, msg)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := base64.StdEncoding.DecodeString(sig)
			if err != nil {
				t.Fatal(err)
			}
			if err := rsa.VerifyPKCS1v15(&key.PublicKey, c.hash, c.sum, raw); err != nil {
				t.Errorf("crypto/rsa rejects SignRSA output: %v", err)
			}
			// PKCS#1 v1.5 is deterministic: the same bytes as crypto/rsa makes.
			byHand, err := rsa.SignPKCS1v15(rand.Reader, key, c.hash, c.sum)
			if err != nil {
				t.Fatal(err)
			}
			if base64.StdEncoding.EncodeToString(byHand) != sig {
				t.Error("SignRSA differs from rsa.SignPKCS1v15 over the same digest")
			}
			if err := sign.VerifyRSA(&key.PublicKey, c.st, msg, base64.StdEncoding.EncodeToString(byHand)); err != nil {
				t.Errorf("VerifyRSA rejects a crypto/rsa signature: %v", err)
			}
		})
	}
}

func TestVerifyRSAFailures(t *testing.T) {
	key := platformKey(t)
	other := appKey(t)
	msg := []byte(content)
	sig, err := sign.SignRSA(key, sign.RSA2, msg)
	if err != nil {
		t.Fatal(err)
	}
	short := base64.StdEncoding.EncodeToString(make([]byte, 128)) // a 1024-bit key's length
	long := base64.StdEncoding.EncodeToString(make([]byte, 257))
	cases := []struct {
		name string
		pub  *rsa.PublicKey
		st   sign.Type
		msg  []byte
		sig  string
		want error
	}{
		{"wrong key", &other.PublicKey, sign.RSA2, msg, sig, sign.ErrBadSignature},
		{"tampered content", &key.PublicKey, sign.RSA2, append([]byte(content), ' '), sig, sign.ErrBadSignature},
		{"RSA2 signature checked as RSA", &key.PublicKey, sign.RSA, msg, sig, sign.ErrBadSignature},
		{"all zero bytes of the right length", &key.PublicKey, sign.RSA2, msg, base64.StdEncoding.EncodeToString(make([]byte, 256)), sign.ErrBadSignature},
		{"not base64", &key.PublicKey, sign.RSA2, msg, "not base64!", sign.ErrSignatureEncoding},
		{"url-safe alphabet", &key.PublicKey, sign.RSA2, msg, strings.NewReplacer("+", "-", "/", "_").Replace(sig), sign.ErrSignatureEncoding},
		{"empty", &key.PublicKey, sign.RSA2, msg, "", sign.ErrSignatureEncoding},
		{"too short for the key", &key.PublicKey, sign.RSA2, msg, short, sign.ErrSignatureEncoding},
		{"too long for the key", &key.PublicKey, sign.RSA2, msg, long, sign.ErrSignatureEncoding},
		{"truncated", &key.PublicKey, sign.RSA2, msg, sig[:340], sign.ErrSignatureEncoding},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "url-safe alphabet" && !strings.ContainsAny(sig, "+/") {
				t.Skip("signature happens to have neither + nor /")
			}
			if err := sign.VerifyRSA(c.pub, c.st, c.msg, c.sig); !errors.Is(err, c.want) {
				t.Errorf("VerifyRSA = %v, want %v", err, c.want)
			}
		})
	}
}

// TestVerifyRSAPlusAsSpace: a signature pasted unencoded into a form body
// arrives with its '+' decoded to ' '; it must still verify.
func TestVerifyRSAPlusAsSpace(t *testing.T) {
	key := platformKey(t)
	for i := 0; i < 100; i++ {
		msg := []byte(fmt.Sprintf("%s&n=%d", content, i))
		sig, err := sign.SignRSA(key, sign.RSA2, msg)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(sig, "+") {
			continue
		}
		mangled := strings.ReplaceAll(sig, "+", " ")
		if err := sign.VerifyRSA(&key.PublicKey, sign.RSA2, msg, mangled); err != nil {
			t.Errorf("VerifyRSA(%q) = %v", mangled, err)
		}
		return
	}
	t.Fatal("no signature with a '+' in 100 tries")
}

func TestUnknownSignType(t *testing.T) {
	key := platformKey(t)
	if _, err := sign.SignRSA(key, "MD5", []byte("x")); err == nil {
		t.Error("SignRSA accepted sign_type MD5")
	}
	sig, _ := sign.SignRSA(key, sign.RSA2, []byte("x"))
	err := sign.VerifyRSA(&key.PublicKey, "MD5", []byte("x"), sig)
	if err == nil || errors.Is(err, sign.ErrBadSignature) || errors.Is(err, sign.ErrSignatureEncoding) {
		t.Errorf("VerifyRSA with sign_type MD5 = %v, want an unknown-type error", err)
	}
}
