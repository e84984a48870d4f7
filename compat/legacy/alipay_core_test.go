package legacy

import (
	"crypto"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// alipayConfig is the demo's AlipayConfig: who the merchant is and how it
// signs. Values travel as bytes in InputCharset, as a gbk shop's pages and
// servlets hold them.
type alipayConfig struct {
	Partner      string
	Key          string // the 32-character MD5 key
	SellerID     string
	InputCharset string // utf-8 or gbk
	SignType     string // MD5 or RSA
	PrivateKey   *rsa.PrivateKey
	AlipayPublic *rsa.PublicKey
}

func configOf(p partnerInfo, charset string) (*alipayConfig, error) {
	c := &alipayConfig{Partner: p.PID, Key: p.MD5Key, SellerID: p.SellerID, InputCharset: charset, SignType: "MD5"}
	if p.PrivateKeyPEM != "" {
		c.SignType = "RSA"
		b, _ := pem.Decode([]byte(p.PrivateKeyPEM))
		if b == nil {
			return nil, fmt.Errorf("partner %s: no PEM private key", p.PID)
		}
		k, err := x509.ParsePKCS1PrivateKey(b.Bytes)
		if err != nil {
			return nil, err
		}
		b, _ = pem.Decode([]byte(p.AlipayPublicPEM))
		if b == nil {
			return nil, fmt.Errorf("partner %s: no PEM alipay public key", p.PID)
		}
		pub, err := x509.ParsePKIXPublicKey(b.Bytes)
		if err != nil {
			return nil, err
		}
		c.PrivateKey, c.AlipayPublic = k, pub.(*rsa.PublicKey)
	}
	return c, nil
}

func (c *alipayConfig) gbk() bool { return strings.EqualFold(c.InputCharset, "gbk") }

// encode turns UTF-8 text into the shop's charset.
func (c *alipayConfig) encode(s string) string {
	if !c.gbk() {
		return s
	}
	out, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return out
}

// decode turns bytes in the shop's charset into UTF-8 text.
func (c *alipayConfig) decode(s string) string {
	if !c.gbk() {
		return s
	}
	out, err := simplifiedchinese.GBK.NewDecoder().String(s)
	if err != nil {
		panic(err)
	}
	return out
}

// paraFilter drops empty values and sign and sign_type (AlipayCore.paraFilter).
func paraFilter(p map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range p {
		if v == "" || strings.EqualFold(k, "sign") || strings.EqualFold(k, "sign_type") {
			continue
		}
		out[k] = v
	}
	return out
}

// createLinkString sorts the keys and joins k=v with & (AlipayCore.createLinkString).
func createLinkString(p map[string]string) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + p[k]
	}
	return strings.Join(parts, "&")
}

// sign is MD5.sign (prestr + key, lower-case hex) or RSA.sign (SHA1withRSA).
func (c *alipayConfig) sign(prestr, signType string) string {
	if signType == "RSA" {
		sum := sha1.Sum([]byte(prestr))
		sig, err := rsa.SignPKCS1v15(rand.Reader, c.PrivateKey, crypto.SHA1, sum[:])
		if err != nil {
			panic(err)
		}
		return base64.StdEncoding.EncodeToString(sig)
	}
	sum := md5.Sum([]byte(prestr + c.Key))
	return hex.EncodeToString(sum[:])
}

// verifySign is AlipayNotify.getSignVeryfy: the same string, compared with
// == for MD5, SHA1withRSA with Alipay's public key for RSA.
func (c *alipayConfig) verifySign(p map[string]string) bool {
	prestr := createLinkString(paraFilter(p))
	switch p["sign_type"] {
	case "MD5":
		return c.sign(prestr, "MD5") == p["sign"]
	case "RSA":
		sig, err := base64.StdEncoding.DecodeString(p["sign"])
		if err != nil {
			return false
		}
		sum := sha1.Sum([]byte(prestr))
		return rsa.VerifyPKCS1v15(c.AlipayPublic, crypto.SHA1, sum[:], sig) == nil
	}
	return false
}

// buildRequestPara adds the common parameters (service, partner,
// _input_charset), converts the values to the shop's charset, and signs
// (AlipaySubmit.buildRequestPara).
func (c *alipayConfig) buildRequestPara(service string, p map[string]string) map[string]string {
	out := map[string]string{"service": service, "partner": c.Partner, "_input_charset": c.InputCharset}
	for k, v := range p {
		out[k] = c.encode(v)
	}
	out = paraFilter(out)
	out["sign"] = c.sign(createLinkString(out), c.SignType)
	out["sign_type"] = c.SignType
	return out
}

// buildRequestForm is the demo's auto-submitting form: the action carries
// _input_charset too, so the gateway sees it twice (§1.1).
func (c *alipayConfig) buildRequestForm(service string, p map[string]string, method string) string {
	para := c.buildRequestPara(service, p)
	var b strings.Builder
	fmt.Fprintf(&b, `<form id="alipaysubmit" name="alipaysubmit" action="%s?_input_charset=%s" method="%s">`, gateway, c.InputCharset, method)
	keys := make([]string, 0, len(para))
	for k := range para {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, `<input type="hidden" name="%s" value="%s"/>`, k, html.EscapeString(para[k]))
	}
	b.WriteString(`<input type="submit" value="确认" style="display:none;"></form><script>document.forms['alipaysubmit'].submit();</script>`)
	return b.String()
}

// buildRequestHTTP posts a server-to-server request and returns the body
// (AlipaySubmit.buildRequestHttp).
func (c *alipayConfig) buildRequestHTTP(service string, p map[string]string) (string, error) {
	form := url.Values{}
	for k, v := range c.buildRequestPara(service, p) {
		form.Set(k, v)
	}
	resp, err := http.PostForm(gateway+"?_input_charset="+c.InputCharset, form)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("HTTP %d: %s", resp.StatusCode, b)
	}
	return string(b), err
}

// verifyResponse asks the gateway whether notify_id is genuine, pasting the
// id unencoded into the URL as the demo's HTTPS_VERIFY_URL does (§1.6).
func (c *alipayConfig) verifyResponse(verifyURL, notifyID string) string {
	resp, err := http.Get(verifyURL + "partner=" + c.Partner + "&notify_id=" + notifyID)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// verify is AlipayNotify.verify: the sign must match and notify_verify must
// answer true.
func (c *alipayConfig) verify(p map[string]string) (signOK bool, verifyAnswer string) {
	signOK = c.verifySign(p)
	verifyAnswer = "false"
	if id := p["notify_id"]; id != "" {
		verifyAnswer = c.verifyResponse(gateway+"?service=notify_verify&", id)
	}
	return signOK, verifyAnswer
}

// params flattens a query or form as a servlet's getParameterMap does,
// keeping the raw bytes of each value.
func params(v url.Values) map[string]string {
	out := map[string]string{}
	for k, vs := range v {
		if len(vs) > 0 {
			out[k] = vs[0]
		}
	}
	return out
}
