package unionpay

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// merchantInfo is a protocol "unionpay" element of GET /_mockpay/api/apps.
type merchantInfo struct {
	Protocol      string `json:"protocol"`
	MerID         string `json:"mer_id"`
	Version       string `json:"version"`
	SignMethod    string `json:"sign_method"`
	CertID        string `json:"cert_id"`
	PFX           string `json:"sign_cert_pfx_base64"`
	PFXPassword   string `json:"sign_cert_pwd"`
	SecureKey     string `json:"secure_key"`
	RootCertPEM   string `json:"root_cert_pem"`
	MiddleCertPEM string `json:"middle_cert_pem"`
	FrontURL      string `json:"front_url"`
	BackURL       string `json:"back_url"`
	QueryURL      string `json:"query_url"`
	AppURL        string `json:"app_url"`
	FileURL       string `json:"file_url"`
}

func listMerchants() ([]merchantInfo, error) {
	resp, err := http.Get(base + "/_mockpay/api/apps")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var all []merchantInfo
	if err := json.NewDecoder(resp.Body).Decode(&all); err != nil {
		return nil, err
	}
	var out []merchantInfo
	for _, m := range all {
		if m.Protocol == "unionpay" {
			out = append(out, m)
		}
	}
	if len(out) < 3 {
		return nil, fmt.Errorf("mockpay lists %d UnionPay merchants, want one per signing scheme", len(out))
	}
	return out, nil
}

// download fetches one of the merchant's files by the name
// acp_sdk.properties gives it.
func download(t *testing.T, m merchantInfo, name string) []byte {
	t.Helper()
	resp, err := http.Get(base + "/_mockpay/api/apps/" + m.MerID + "/certs/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("download %s: %d %s", name, resp.StatusCode, b)
	}
	return b
}

// configure sets a merchant up as acp_sdk.properties would: the signing
// PFX (downloaded, and the same as the listed Base64), root and middle,
// the 5.0.0 validateCert dir, the secure key, ifValidateCNName=true.
func configure(t *testing.T, m merchantInfo) *Config {
	t.Helper()
	pfx := download(t, m, "acp_test_sign.pfx")
	if listed, _ := base64.StdEncoding.DecodeString(m.PFX); !bytes.Equal(listed, pfx) {
		t.Fatal("the downloaded PFX is not the listed one")
	}
	key, cert, err := LoadPFX(pfx, m.PFXPassword)
	if err != nil {
		t.Fatal(err)
	}
	if CertID(cert) != m.CertID {
		t.Fatalf("the PFX's certId %s is not the listed %s", CertID(cert), m.CertID)
	}
	c := &Config{Version: m.Version, SignMethod: m.SignMethod, MerID: m.MerID, SignKey: key, SignCert: cert, SecureKey: m.SecureKey,
		IfValidateCNName: true, ValidateCerts: map[string]*x509.Certificate{}}
	if c.Root, err = ParseCert(download(t, m, "acp_test_root.cer")); err != nil {
		t.Fatal(err)
	}
	if c.Middle, err = ParseCert(download(t, m, "acp_test_middle.cer")); err != nil {
		t.Fatal(err)
	}
	v, err := ParseCert(download(t, m, "acp_test_verify_sign.cer"))
	if err != nil {
		t.Fatal(err)
	}
	c.ValidateCerts[CertID(v)] = v
	return c
}

// post is the SDK's AcpService.post: a form POST whose 200 answer is
// parsed with parseQString and validated.
func post(t *testing.T, c *Config, url string, f map[string]string) map[string]string {
	t.Helper()
	signed, err := c.Sign(f)
	if err != nil {
		t.Fatal(err)
	}
	return postSigned(t, c, url, signed)
}

func postSigned(t *testing.T, c *Config, url string, signed map[string]string) map[string]string {
	t.Helper()
	resp, err := http.Post(url, "application/x-www-form-urlencoded;charset=UTF-8", strings.NewReader(Encode(signed)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: HTTP %d %s", url, resp.StatusCode, b)
	}
	ct := resp.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "application/json") {
		t.Errorf("answer served as %s, which [NODE-LR] would parse as an object", ct)
	}
	got := ParseQString(string(b))
	if err := c.Validate(got); err != nil {
		t.Fatalf("POST %s: the answer does not validate: %v\n%s", url, err, b)
	}
	for k, v := range got {
		if v == "" || strings.TrimSpace(v) != v {
			t.Errorf("answer field %s is empty or padded (§2): %q", k, v)
		}
	}
	return got
}

// shop is the merchant's server: frontUrl and backUrl, each posting what
// it received (validated) to a channel.
type shop struct {
	*httptest.Server
	mu    sync.Mutex
	front []map[string]string
	back  []map[string]string
	bad   []string
}

func newShop(t *testing.T, c *Config) *shop {
	s := &shop{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f, err := Form(string(b))
		if err == nil {
			err = c.Validate(f)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if err != nil {
			s.bad = append(s.bad, fmt.Sprintf("%s: %v: %s", r.URL.Path, err, b))
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if r.URL.Path == "/front" {
			s.front = append(s.front, f)
		} else {
			s.back = append(s.back, f)
		}
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(s.Close)
	return s
}

// awaitBack waits for a back notification that match accepts.
func (s *shop) awaitBack(t *testing.T, what string, match func(map[string]string) bool) map[string]string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		for _, f := range s.back {
			if match(f) {
				s.mu.Unlock()
				return f
			}
		}
		bad := s.bad
		s.mu.Unlock()
		if len(bad) > 0 {
			t.Fatalf("the shop refused a message: %v", bad)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no back notification of %s arrived", what)
	return nil
}

// now is mockpay's virtual time as txnTime (Beijing time).
func now(t *testing.T) string {
	t.Helper()
	resp, err := http.Get(base + "/_mockpay/api/clock")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var c struct{ Now string }
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		t.Fatal(err)
	}
	at, err := time.Parse(time.RFC3339Nano, c.Now)
	if err != nil {
		t.Fatal(err)
	}
	return at.In(time.FixedZone("CST", 8*3600)).Format("20060102150405")
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
