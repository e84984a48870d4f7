package merchant

import (
	"bytes"
	"crypto"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Legacy is a shop's side of the legacy MAPI gateway, written from
// alipay-protocol.md §1 the way the seed's demos work: filter out empty
// values and sign/sign_type, sort, join k=v with &, append the key, MD5 in
// lower-case hex (or SHA1withRSA for an RSA partner).
type Legacy struct {
	Gateway     string // .../gateway.do
	Partner     string
	Key         string // the MD5 key
	SignType    string // MD5 (default) or RSA
	PrivateKey  *rsa.PrivateKey
	PlatformKey *rsa.PublicKey
	Charset     string // utf-8 unless set
	HTTP        *http.Client
}

// NewLegacy builds an MD5 client.
func NewLegacy(gateway, partner, key string) *Legacy {
	return &Legacy{
		Gateway: gateway, Partner: partner, Key: key, SignType: "MD5",
		HTTP: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
}

func (l *Legacy) charset() string {
	if l.Charset == "" {
		return "utf-8"
	}
	return l.Charset
}

// Params builds a signed request: service, partner, _input_charset, the
// given parameters (in the client's charset), sign_type and sign.
func (l *Legacy) Params(service string, p map[string]string) url.Values {
	v := url.Values{}
	v.Set("service", service)
	v.Set("partner", l.Partner)
	v.Set("_input_charset", l.charset())
	for k, val := range p {
		v.Set(k, val)
	}
	if strings.EqualFold(l.charset(), "gbk") {
		for k := range v {
			v.Set(k, toGBK(v.Get(k)))
		}
	}
	v.Set("sign_type", l.SignType)
	v.Set("sign", l.Sign(v))
	return v
}

// Sign signs v by the legacy rule (§1.2).
func (l *Legacy) Sign(v url.Values) string {
	content := []byte(Canonical(v, "sign", "sign_type"))
	if l.SignType == "RSA" {
		sum := sha1.Sum(content)
		sig, err := rsa.SignPKCS1v15(rand.Reader, l.PrivateKey, crypto.SHA1, sum[:])
		if err != nil {
			panic(err)
		}
		return base64.StdEncoding.EncodeToString(sig)
	}
	return md5Hex(append(content, l.Key...))
}

func md5Hex(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}

// Verify checks a return or notification the way the demos' verifiers do:
// the same rule, compared with == (lower-case hex) or SHA1withRSA with the
// platform's public key, chosen by its sign_type.
func (l *Legacy) Verify(v url.Values) error {
	return l.verifyContent([]byte(Canonical(v, "sign", "sign_type")), v.Get("sign_type"), v.Get("sign"))
}

func (l *Legacy) verifyContent(content []byte, signType, sig string) error {
	switch signType {
	case "MD5":
		if md5Hex(append(content, l.Key...)) != sig {
			return fmt.Errorf("MD5 sign %q does not match %q + key", sig, content)
		}
		return nil
	case "RSA":
		b, err := base64.StdEncoding.DecodeString(sig)
		if err != nil {
			return err
		}
		sum := sha1.Sum(content)
		return rsa.VerifyPKCS1v15(l.PlatformKey, crypto.SHA1, sum[:], b)
	}
	return fmt.Errorf("unknown sign_type %q", signType)
}

// PageURL is the GET URL a shop sends the buyer's browser to; the demo's
// form action carries _input_charset in its query as well.
func (l *Legacy) PageURL(service string, p map[string]string) string {
	return l.Gateway + "?" + l.Params(service, p).Encode()
}

// NotifyVerify asks the gateway whether a notify_id is genuine, pasting
// the id unencoded into the URL as the demos do (§1.6).
func (l *Legacy) NotifyVerify(verifyURL, notifyID string) (string, error) {
	sep := "?"
	if strings.Contains(verifyURL, "?") {
		sep = "&"
	}
	resp, err := l.HTTP.Get(verifyURL + sep + "partner=" + l.Partner + "&notify_id=" + notifyID)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("notify_verify answered HTTP %d: %s", resp.StatusCode, b)
	}
	return string(b), err
}

// XMLResponse is a server service's answer.
type XMLResponse struct {
	Raw       []byte
	IsSuccess string
	Error     string
	Request   map[string]string // the <param name=...> echo
	Node      string            // the element under <response>, e.g. trade
	Fields    map[string]string // the node's children
	Order     []string          // their names, in document order
	Sign      string
	SignType  string
}

// Call posts a signed server request and parses the XML answer.
func (l *Legacy) Call(service string, p map[string]string) (*XMLResponse, error) {
	return l.Post(l.Params(service, p))
}

// Post sends prepared parameters as a form.
func (l *Legacy) Post(v url.Values) (*XMLResponse, error) {
	raw, err := postForm(l.HTTP, l.Gateway, v)
	if err != nil {
		return nil, err
	}
	return ParseXML(raw)
}

// ParseXML reads <alipay>: is_success, error, request, response/<node>,
// sign, sign_type. gbk documents are decoded to UTF-8.
func ParseXML(raw []byte) (*XMLResponse, error) {
	r := &XMLResponse{Raw: raw, Request: map[string]string{}, Fields: map[string]string{}}
	d := xml.NewDecoder(bytes.NewReader(raw))
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "gbk") {
			b, err := io.ReadAll(in)
			return strings.NewReader(FromGBK(string(b))), err
		}
		return nil, fmt.Errorf("charset %q", label)
	}
	var path []string
	var param string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s", err, raw)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name.Local)
			if t.Name.Local == "param" && len(t.Attr) > 0 {
				param = t.Attr[0].Value
			}
			if len(path) == 3 && path[1] == "response" {
				r.Node = t.Name.Local
			}
		case xml.EndElement:
			path = path[:len(path)-1]
		case xml.CharData:
			text := string(t)
			switch {
			case len(path) == 2 && path[1] == "is_success":
				r.IsSuccess = text
			case len(path) == 2 && path[1] == "error":
				r.Error = text
			case len(path) == 2 && path[1] == "sign":
				r.Sign = text
			case len(path) == 2 && path[1] == "sign_type":
				r.SignType = text
			case len(path) == 3 && path[1] == "request":
				r.Request[param] = text
			case len(path) == 4 && path[1] == "response":
				r.Fields[path[3]] = text
				r.Order = append(r.Order, path[3])
			}
		}
	}
	if r.IsSuccess == "" {
		return nil, fmt.Errorf("no <is_success> in %s", raw)
	}
	return r, nil
}

// VerifyXML checks an answer's sign over its response node's fields, in the
// client's charset (§1.8).
func (l *Legacy) VerifyXML(r *XMLResponse) error {
	v := url.Values{}
	for k, val := range r.Fields {
		v.Set(k, val)
	}
	content := Canonical(v)
	if strings.EqualFold(l.charset(), "gbk") {
		content = toGBK(content)
	}
	return l.verifyContent([]byte(content), r.SignType, r.Sign)
}
