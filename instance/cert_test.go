package instance_test

import (
	"crypto/md5"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

const certApp = "2021000122600003"

type certFiles struct {
	AppCertSN        string            `json:"app_cert_sn"`
	AlipayCertSN     string            `json:"alipay_cert_sn"`
	AlipayRootCertSN string            `json:"alipay_root_cert_sn"`
	Files            map[string]string `json:"files"`
}

// snOf computes a certificate SN the way the SDKs do, from the parsed
// certificate's raw issuer attributes (§2.4), not with mockpay's code.
func snOf(t *testing.T, c *x509.Certificate) string {
	t.Helper()
	var parts []string
	for i := len(c.Issuer.Names) - 1; i >= 0; i-- {
		n := c.Issuer.Names[i]
		short := map[string]string{"2.5.4.6": "C", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.3": "CN"}[n.Type.String()]
		parts = append(parts, short+"="+n.Value.(string))
	}
	sum := md5.Sum([]byte(strings.Join(parts, ",") + c.SerialNumber.String()))
	return hex.EncodeToString(sum[:])
}

func pemCerts(t *testing.T, s string) []*x509.Certificate {
	t.Helper()
	var out []*x509.Certificate
	for rest := []byte(s); ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return out
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
}

// certEnv downloads the cert-mode app's files as a merchant would and
// computes the SNs its SDK would send.
func (e *env) certFiles() (certFiles, map[string]string) {
	e.t.Helper()
	return e.certFilesOf(certApp)
}

// certFilesOf is certFiles for any cert-mode app.
func (e *env) certFilesOf(appID string) (certFiles, map[string]string) {
	e.t.Helper()
	resp, body := e.get(e.app.URL + "/_mockpay/api/apps/" + appID + "/certs")
	var cf certFiles
	if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &cf) != nil {
		e.t.Fatalf("certs: %d %s", resp.StatusCode, body)
	}
	files := map[string]string{}
	for name, u := range cf.Files {
		resp, body := e.get(u)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "-----BEGIN CERTIFICATE-----") {
			e.t.Fatalf("%s: %d %s", name, resp.StatusCode, body)
		}
		files[name] = body
	}
	return cf, files
}

var certEnvelope = regexp.MustCompile(`^\{"alipay_trade_query_response":\{.*\},"alipay_cert_sn":"([0-9a-f]{32})","sign":"[^"]+"\}$`)

// TestCertMode: the cert-mode fixture app end to end: its files, the SNs a
// merchant computes from them, the platform's errors when they do not match,
// alipay_cert_sn between the node and sign, the certificate download, and
// notifications without alipay_cert_sn (§2.4, §2.5, §3.3).
func TestCertMode(t *testing.T) {
	e := newEnv(t)
	cf, files := e.certFiles()
	appCert := pemCerts(t, files["appCertPublicKey_"+certApp+".crt"])[0]
	alipayCert := pemCerts(t, files["alipayCertPublicKey_RSA2.crt"])[0]
	var rootSNs []string
	for _, c := range pemCerts(t, files["alipayRootCert.crt"]) {
		if c.SignatureAlgorithm == x509.SHA256WithRSA || c.SignatureAlgorithm == x509.SHA1WithRSA {
			rootSNs = append(rootSNs, snOf(t, c))
		}
	}
	appSN, alipaySN, rootSN := snOf(t, appCert), snOf(t, alipayCert), strings.Join(rootSNs, "_")
	if cf.AppCertSN != appSN || cf.AlipayCertSN != alipaySN || cf.AlipayRootCertSN != rootSN || len(rootSNs) != 1 {
		t.Fatalf("API SNs %+v, computed %s %s %s", cf, appSN, alipaySN, rootSN)
	}
	m := e.merchant(certApp)
	certParams := map[string]string{"app_cert_sn": appSN, "alipay_root_cert_sn": rootSN, "notify_url": e.shop.URL + "/notify"}

	r, err := m.Call("alipay.trade.query", map[string]string{"out_trade_no": "CERT-NONE"}, certParams)
	if err != nil || !r.Verified || r.SubCode() != "ACQ.TRADE_NOT_EXIST" {
		t.Fatalf("query in cert mode: %v %s", err, r.Raw)
	}
	if g := certEnvelope.FindSubmatch(r.Raw); g == nil || string(g[1]) != alipaySN {
		t.Errorf("cert-mode envelope is not node, alipay_cert_sn, sign: %s", r.Raw)
	}

	for name, c := range map[string]struct {
		params map[string]string
		want   string
	}{
		"no cert SNs":    {map[string]string{}, "isv.missing-app-cert-sn"},
		"wrong app SN":   {map[string]string{"app_cert_sn": strings.Repeat("0", 32), "alipay_root_cert_sn": rootSN}, "isv.invalid-app-cert-sn"},
		"no root SN":     {map[string]string{"app_cert_sn": appSN}, "isv.missing-alipay-root-cert-sn"},
		"wrong root SN":  {map[string]string{"app_cert_sn": appSN, "alipay_root_cert_sn": rootSN + "_" + appSN}, "isv.invalid-alipay-root-cert-sn"},
		"public-key SDK": {nil, "isv.missing-app-cert-sn"},
	} {
		r, err := m.Call("alipay.trade.query", map[string]string{"out_trade_no": "CERT-NONE"}, c.params)
		if err != nil || !r.Verified || r.Code() != "40002" || r.SubCode() != c.want || !strings.Contains(string(r.Raw), `"alipay_cert_sn":"`+alipaySN+`"`) {
			t.Errorf("%s: %v %s, want signed 40002 %s", name, err, r.Raw, c.want)
		}
	}

	// The platform certificate by SN (smartwalle fetches it in production
	// mode when a response names an unknown SN).
	r, err = m.Call("alipay.open.app.alipaycert.download", map[string]string{"alipay_cert_sn": alipaySN}, certParams)
	content, _ := base64.StdEncoding.DecodeString(r.Str("alipay_cert_content"))
	if err != nil || r.Code() != "10000" || string(content) != files["alipayCertPublicKey_RSA2.crt"] {
		t.Errorf("cert download: %v %s", err, r.Raw)
	}
	r, _ = m.Call("alipay.open.app.alipaycert.download", map[string]string{"alipay_cert_sn": appSN}, certParams)
	if r.Code() != "40004" || r.SubCode() != "ALIPAY_CERT_NOT_EXIST" {
		t.Errorf("download of an unknown SN: %s", r.Raw)
	}

	// A whole payment: the notification carries no alipay_cert_sn.
	r, err = m.Call("alipay.trade.pay", map[string]string{"out_trade_no": "CERT-1", "total_amount": "1.00", "subject": "s", "auth_code": "286666666666666666"}, certParams)
	if err != nil || r.Code() != "10000" {
		t.Fatalf("pay in cert mode: %v %s", err, r.Raw)
	}
	n := e.shop.next(t)
	if n.Has("alipay_cert_sn") || m.VerifyParams(n) != nil || n.Get("app_id") != certApp {
		t.Errorf("cert-mode notification: %v", n)
	}

	// The app certificate's validity follows the virtual clock.
	e.clock.Advance(time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC).Sub(e.clock.Now()))
	r, _ = m.Call("alipay.trade.query", map[string]string{"out_trade_no": "CERT-1"}, certParams)
	if r.SubCode() != "isv.app-cert-expired" {
		t.Errorf("after the certificate expired: %s", r.Raw)
	}
}

// TestCertFilesAPI: certificate files exist only for cert-mode apps; the
// dashboard links them; the app list says which mode each app is in.
func TestCertFilesAPI(t *testing.T) {
	e := newEnv(t)
	if resp, _ := e.get(e.app.URL + "/_mockpay/api/apps/2021000122600001/certs"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("certs of a public-key app: %d", resp.StatusCode)
	}
	if resp, _ := e.get(e.app.URL + "/_mockpay/api/apps/" + certApp + "/certs/other.crt"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown file: %d", resp.StatusCode)
	}
	resp, _ := e.get(e.app.URL + "/_mockpay/api/apps/" + certApp + "/certs/alipayRootCert.crt")
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="alipayRootCert.crt"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	_, html := e.get(e.app.URL + "/_mockpay/apps")
	if !strings.Contains(html, "/_mockpay/api/apps/"+certApp+"/certs/appCertPublicKey_"+certApp+".crt") {
		t.Errorf("dashboard does not link the certificates")
	}
	_, body := e.get(e.app.URL + "/_mockpay/api/apps")
	var apps []map[string]any
	_ = json.Unmarshal([]byte(body), &apps)
	modes := map[string]any{}
	for _, a := range apps {
		if id, ok := a["app_id"].(string); ok { // legacy partners have no app_id
			modes[id] = a["key_mode"]
		}
	}
	if modes[certApp] != "cert" || modes["2021000122600001"] != "public_key" {
		t.Errorf("key modes: %v", modes)
	}
}
