package acp

import (
	"crypto/rsa"
	"os"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/sign"
)

// captured reads the real messages of unionpay-protocol.md §10.
func captured(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("testdata/captured.txt")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if name, body, ok := strings.Cut(line, "\t"); ok && !strings.HasPrefix(line, "#") {
			out[name] = strings.ReplaceAll(body, `\r\n`, "\r\n")
		}
	}
	return out
}

// parseAnswer splits a raw answer body the way the official parser does
// for these messages (§2): on &, the first = of each pair.
func parseAnswer(body string) Fields {
	f := Fields{}
	for _, p := range strings.Split(body, "&") {
		k, v, _ := strings.Cut(p, "=")
		f[k] = v
	}
	return f
}

// TestCapturedMessagesVerify: mockpay's string to sign and 5.1.0 digest
// scheme verify the real gateway's messages, and fail once a value changes.
func TestCapturedMessagesVerify(t *testing.T) {
	msgs := captured(t)
	if len(msgs) != 4 {
		t.Fatalf("%d captured messages", len(msgs))
	}
	for name, body := range msgs {
		f := parseAnswer(body)
		certs, err := sign.ParseCertificates(f["signPubKeyCert"])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		pub := certs[0].PublicKey.(*rsa.PublicKey)
		if err := VerifyRSA(pub, f["version"], []byte(Canonical(f)), f["signature"]); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		f["txnAmt"] = "2"
		if VerifyRSA(pub, f["version"], []byte(Canonical(f)), f["signature"]) == nil {
			t.Errorf("%s verifies with a changed amount", name)
		}
		if got, _ := Answer(parseAnswer(body)); string(got) != body {
			t.Errorf("%s: Answer does not give the gateway's bytes back:\n%s\n%s", name, got, body)
		}
	}
}

func TestSecureKeyScheme(t *testing.T) {
	// lowerhex(SHA-256("a=1&b=2" + "&" + lowerhex(SHA-256("88888888")))).
	got := SignSecureKey([]byte("a=1&b=2"), "88888888")
	if len(got) != 64 || strings.ToLower(got) != got {
		t.Fatalf("not lowercase hex: %s", got)
	}
	if VerifySecureKey([]byte("a=1&b=2"), "88888888", strings.ToUpper(got)) != nil {
		t.Error("upper-case hex refused")
	}
	if VerifySecureKey([]byte("a=1&b=3"), "88888888", got) == nil {
		t.Error("changed content verified")
	}
}

func TestParseFormGBK(t *testing.T) {
	f, err := ParseForm("encoding=GBK&orderDesc=%D6%D0%CE%C4&txnAmt=1")
	if err != nil || f["orderDesc"] != "中文" {
		t.Fatalf("%v %q", err, f["orderDesc"])
	}
	b, _ := FormBody(f)
	if !strings.Contains(b, "orderDesc=%D6%D0%CE%C4") {
		t.Errorf("GBK body: %s", b)
	}
	if _, err := ParseForm("encoding=EBCDIC&a=1"); err == nil {
		t.Error("unknown encoding accepted")
	}
}
