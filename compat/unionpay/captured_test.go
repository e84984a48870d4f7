package unionpay

import (
	"crypto/x509"
	"os"
	"strings"
	"testing"
)

// TestCapturedMessages: the verifier accepts the real test-environment
// messages of §10 (query, consume undo and refund answers, a consume
// notification) — the chain check aside, since their CFCA chain is
// SHA-1-signed and expired — and refuses each once a value changes.
func TestCapturedMessages(t *testing.T) {
	b, err := os.ReadFile("testdata/captured.txt")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		name, body, ok := strings.Cut(line, "\t")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		f := ParseQString(strings.ReplaceAll(body, `\r\n`, "\r\n"))
		cert, err := ParseCert([]byte(f["signPubKeyCert"]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if parts := strings.Split(cert.Subject.CommonName, "@"); len(parts) < 3 || parts[2] != "中国银联股份有限公司" {
			t.Errorf("%s: the real certificate fails the CN rule: %s", name, cert.Subject.CommonName)
		}
		// Verify with the real certificate as the 5.0.0 path does (by
		// certId lookup), which skips the chain.
		c := &Config{ValidateCerts: map[string]*x509.Certificate{"real": cert}}
		f5 := copyWith(f, "version", "5.1.0")
		if err := c.validateWith(f5, cert); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if c.validateWith(copyWith(f5, "respCode", "01"), cert) == nil {
			t.Errorf("%s verifies with a changed respCode", name)
		}
	}
	if n != 4 {
		t.Fatalf("%d captured messages, want 4", n)
	}
}

func copyWith(f map[string]string, k, v string) map[string]string {
	out := map[string]string{}
	for a, b := range f {
		out[a] = b
	}
	out[k] = v
	return out
}

func TestParseQStringKeepsBraces(t *testing.T) {
	f := ParseQString("a=1&reqReserved={a=aaa&b=bbb}&signature=x==")
	if f["reqReserved"] != "{a=aaa&b=bbb}" || f["signature"] != "x==" || len(f) != 3 {
		t.Errorf("%v", f)
	}
}
