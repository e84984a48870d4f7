// Package merchant is a shop's side of the Alipay OpenAPI, written from the
// protocol description alone (alipay-protocol.md §2.3, §2.5, §3.3) with the
// standard library only. Tests use it as an independent judge of what
// mockpay sends: it shares no code with mockpay's own codec.
package merchant

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Client signs requests with the app's private key and verifies what the
// platform signs with the platform's public key.
type Client struct {
	Gateway     string // .../gateway.do
	AppID       string
	PrivateKey  *rsa.PrivateKey
	PlatformKey *rsa.PublicKey
	SignType    string // RSA2 or RSA
	Charset     string // utf-8 unless set
	HTTP        *http.Client
	Now         func() time.Time
	// SignEmpty signs empty values as "k=", as the Node SDK does (§2.1).
	SignEmpty bool
}

// New builds a client from PEM keys.
func New(gateway, appID, privatePEM, platformPublicPEM, signType string) (*Client, error) {
	priv, err := ParsePrivateKey(privatePEM)
	if err != nil {
		return nil, err
	}
	pub, err := ParsePublicKey(platformPublicPEM)
	if err != nil {
		return nil, err
	}
	return &Client{
		Gateway: gateway, AppID: appID, PrivateKey: priv, PlatformKey: pub, SignType: signType,
		HTTP: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}, nil
}

// ParsePrivateKey reads a PKCS#1 or PKCS#8 PEM private key.
func ParsePrivateKey(s string) (*rsa.PrivateKey, error) {
	b, _ := pem.Decode([]byte(s))
	if b == nil {
		return nil, errors.New("no PEM block")
	}
	if k, err := x509.ParsePKCS1PrivateKey(b.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, err
	}
	return k.(*rsa.PrivateKey), nil
}

// ParsePublicKey reads a PKIX PEM public key.
func ParsePublicKey(s string) (*rsa.PublicKey, error) {
	b, _ := pem.Decode([]byte(s))
	if b == nil {
		return nil, errors.New("no PEM block")
	}
	k, err := x509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		return nil, err
	}
	return k.(*rsa.PublicKey), nil
}

// Params builds the common parameters of a call plus biz_content, signed.
func (c *Client) Params(method string, biz any, extra map[string]string) url.Values {
	v := url.Values{}
	v.Set("app_id", c.AppID)
	v.Set("method", method)
	v.Set("format", "JSON")
	v.Set("charset", c.charset())
	v.Set("sign_type", c.SignType)
	v.Set("timestamp", c.now().Format("2006-01-02 15:04:05"))
	v.Set("version", "1.0")
	if biz != nil {
		b, _ := json.Marshal(biz)
		v.Set("biz_content", string(b))
	}
	for k, val := range extra {
		v.Set(k, val)
	}
	if c.isGBK() {
		for k := range v {
			v.Set(k, toGBK(v.Get(k)))
		}
	}
	v.Set("sign", c.Sign(v))
	return v
}

func (c *Client) isGBK() bool { return strings.EqualFold(c.charset(), "gbk") }

// toGBK returns the gbk bytes of s: a gbk merchant signs and percent-encodes
// those bytes, not UTF-8 (§2.3 "Charset").
func toGBK(s string) string {
	out, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return out
}

// FromGBK decodes gbk bytes into UTF-8.
func FromGBK(s string) string {
	out, err := simplifiedchinese.GBK.NewDecoder().String(s)
	if err != nil {
		panic(err)
	}
	return out
}

// Sign signs request parameters: all but sign, non-empty, sorted (§2.3).
func (c *Client) Sign(v url.Values) string {
	content := Canonical(v, "sign")
	if c.SignEmpty {
		content = canonical(v, true, "sign")
	}
	h, sum := digest(c.SignType, []byte(content))
	sig, err := rsa.SignPKCS1v15(rand.Reader, c.PrivateKey, h, sum)
	if err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// Canonical is the sorted k=v&... string of non-empty values, leaving out
// the named keys.
func Canonical(v url.Values, exclude ...string) string {
	return canonical(v, false, exclude...)
}

func canonical(v url.Values, withEmpty bool, exclude ...string) string {
	var keys []string
	for k, vals := range v {
		if len(vals) == 0 || (vals[0] == "" && !withEmpty) || contains(exclude, k) {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + v.Get(k)
	}
	return strings.Join(parts, "&")
}

// PageURL is the GET URL a shop sends the buyer's browser to.
func (c *Client) PageURL(method string, biz any, extra map[string]string) string {
	return c.Gateway + "?" + c.Params(method, biz, extra).Encode()
}

// Response is a gateway answer: the node and whether its signature verified.
type Response struct {
	Node     map[string]any
	Raw      []byte
	Signed   bool
	Verified bool
}

// Code returns node.code.
func (r *Response) Code() string { s, _ := r.Node["code"].(string); return s }

// SubCode returns node.sub_code.
func (r *Response) SubCode() string { s, _ := r.Node["sub_code"].(string); return s }

// Str returns a string field of the node.
func (r *Response) Str(k string) string { s, _ := r.Node[k].(string); return s }

// Call posts a signed call and reads the answer the way SDKs do: the node
// is cut from the raw body and its exact bytes are verified (§2.5).
func (c *Client) Call(method string, biz any, extra map[string]string) (*Response, error) {
	return c.Post(c.Params(method, biz, extra))
}

// Post sends prepared parameters as a form.
func (c *Client) Post(v url.Values) (*Response, error) {
	raw, err := postForm(c.HTTP, c.Gateway, v)
	if err != nil {
		return nil, err
	}
	return c.Decode(v.Get("method"), raw)
}

// postForm posts v and returns the body of an HTTP 200 answer.
func postForm(hc *http.Client, gateway string, v url.Values) ([]byte, error) {
	resp, err := hc.PostForm(gateway, v)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, raw)
	}
	return raw, nil
}

// Decode extracts and verifies a response body.
func (c *Client) Decode(method string, raw []byte) (*Response, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, fmt.Errorf("body is not JSON: %w: %s", err, raw)
	}
	name := strings.ReplaceAll(method, ".", "_") + "_response"
	nodeRaw, ok := top[name]
	if !ok {
		if nodeRaw, ok = top["error_response"]; !ok {
			return nil, fmt.Errorf("no %s in %s", name, raw)
		}
	}
	r := &Response{Raw: raw}
	nodeText := []byte(nodeRaw)
	if c.isGBK() {
		nodeText = []byte(FromGBK(string(nodeRaw)))
	}
	if err := json.Unmarshal(nodeText, &r.Node); err != nil {
		return nil, err
	}
	var sig string
	if s, ok := top["sign"]; ok {
		r.Signed = true
		if err := json.Unmarshal(s, &sig); err != nil {
			return nil, err
		}
		// json.RawMessage keeps the exact bytes of the node as sent.
		if err := verify(c.PlatformKey, c.SignType, nodeRaw, sig); err != nil {
			return r, fmt.Errorf("response signature: %w", err)
		}
		r.Verified = true
	}
	return r, nil
}

// VerifyParams checks a sync return or a notification: all fields but sign
// and sign_type, sorted, signed with the platform key (§3.3).
func (c *Client) VerifyParams(v url.Values) error {
	return verify(c.PlatformKey, v.Get("sign_type"), []byte(Canonical(v, "sign", "sign_type")), v.Get("sign"))
}

// VerifyBytes checks sig over content with the platform key, for a test
// that rebuilds the signed bytes itself.
func (c *Client) VerifyBytes(content []byte, sig string) error {
	return verify(c.PlatformKey, c.SignType, content, sig)
}

func verify(pub *rsa.PublicKey, signType string, content []byte, sig string) error {
	b, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return err
	}
	h, sum := digest(signType, content)
	return rsa.VerifyPKCS1v15(pub, h, sum, b)
}

func digest(signType string, content []byte) (crypto.Hash, []byte) {
	if signType == "RSA" {
		s := sha1.Sum(content)
		return crypto.SHA1, s[:]
	}
	s := sha256.Sum256(content)
	return crypto.SHA256, s[:]
}

func (c *Client) charset() string {
	if c.Charset == "" {
		return "utf-8"
	}
	return c.Charset
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
