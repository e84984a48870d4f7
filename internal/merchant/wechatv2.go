package merchant

import (
	"bytes"
	"crypto/aes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
)

// WeChatV2 is a shop's side of WeChat Pay APIv2, written from the protocol
// description alone (wechatpay-protocol.md §1.1–§1.3, §1.9) with the
// standard library: it shares no code with mockpay's channel/wechatpay/v2.
type WeChatV2 struct {
	BaseURL      string // api_base_url, or it plus a sandbox prefix
	AppID, MchID string
	Key          string // the APIv2 key (or the sandbox key)
	HTTP         *http.Client
}

// V2Sign is §1.2: non-empty fields but sign, sorted, k=v&…&key=KEY; MD5
// (signType "" or MD5) or HMAC-SHA256 of it, upper-case hex.
func V2Sign(f map[string]string, key, signType string) string {
	names := make([]string, 0, len(f))
	for k, v := range f {
		if k != "sign" && v != "" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		b.WriteString(k + "=" + f[k] + "&")
	}
	b.WriteString("key=" + key)
	var sum []byte
	if signType == "HMAC-SHA256" {
		m := hmac.New(sha256.New, []byte(key))
		m.Write([]byte(b.String()))
		sum = m.Sum(nil)
	} else {
		s := md5.Sum([]byte(b.String()))
		sum = s[:]
	}
	return strings.ToUpper(hex.EncodeToString(sum))
}

// V2Encode writes fields as <xml> with CDATA values (§1.1).
func V2Encode(f map[string]string) string {
	var b strings.Builder
	b.WriteString("<xml>")
	for k, v := range f {
		b.WriteString("<" + k + "><![CDATA[" + v + "]]></" + k + ">")
	}
	b.WriteString("</xml>")
	return b.String()
}

// V2Decode reads a flat XML document (any root) into its fields.
func V2Decode(body []byte) (map[string]string, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	f := map[string]string{}
	depth, name := 0, ""
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return f, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 {
				name = t.Name.Local
				text.Reset()
			} else if depth > 2 {
				return nil, errors.New("nested element " + t.Name.Local)
			}
		case xml.CharData:
			if depth == 2 {
				text.Write(t)
			}
		case xml.EndElement:
			if depth == 2 {
				f[name] = text.String()
			}
			depth--
		}
	}
}

// V2Answer is a call's answer, checked as §1.3 says.
type V2Answer struct {
	Fields map[string]string
	Raw    string
}

// Code is the answer's refusal: return_msg for a return_code FAIL, the
// err_code for a result_code FAIL, "" when accepted.
func (a V2Answer) Code() string {
	switch {
	case a.Fields["return_code"] != "SUCCESS":
		return a.Fields["return_msg"]
	case a.Fields["result_code"] != "SUCCESS":
		return a.Fields["err_code"]
	}
	return ""
}

// Request builds the signed POST of fields to path (nonce, appid, mch_id
// filled in); breakSign spoils the signature.
func (c *WeChatV2) Request(path, signType string, f map[string]string, breakSign bool) *http.Request {
	g := map[string]string{"appid": c.AppID, "mch_id": c.MchID, "nonce_str": v2Nonce()}
	for k, v := range f {
		g[k] = v
	}
	if signType != "" {
		g["sign_type"] = signType
	}
	g["sign"] = V2Sign(g, c.Key, signType)
	if breakSign {
		g["sign"] = "0" + g["sign"][1:]
		if g["sign"] == V2Sign(g, c.Key, signType) {
			g["sign"] = "1" + g["sign"][1:]
		}
	}
	req, _ := http.NewRequest(http.MethodPost, c.BaseURL+path, strings.NewReader(V2Encode(g)))
	req.Header.Set("Content-Type", "text/xml")
	return req
}

// Call posts fields and checks the answer: HTTP 200, XML, no html, a
// SUCCESS answer signed with signType, a FAIL one unsigned.
func (c *WeChatV2) Call(path, signType string, f map[string]string) (V2Answer, error) {
	h := c.HTTP
	if h == nil {
		h = http.DefaultClient
	}
	rsp, err := h.Do(c.Request(path, signType, f, false))
	if err != nil {
		return V2Answer{}, err
	}
	defer rsp.Body.Close()
	raw, _ := io.ReadAll(rsp.Body)
	return CheckV2Answer(raw, rsp.StatusCode, c.Key, signType)
}

// CheckV2Answer judges an answer's bytes as a shop does.
func CheckV2Answer(raw []byte, status int, key, signType string) (V2Answer, error) {
	a := V2Answer{Raw: string(raw)}
	if status != http.StatusOK {
		return a, fmt.Errorf("HTTP %d: %s", status, raw)
	}
	if bytes.Contains(bytes.ToLower(raw), []byte("html")) {
		return a, fmt.Errorf("html in the answer: %s", raw)
	}
	f, err := V2Decode(raw)
	if err != nil {
		return a, fmt.Errorf("not XML: %v: %s", err, raw)
	}
	a.Fields = f
	switch f["return_code"] {
	case "SUCCESS":
		if f["sign"] == "" || V2Sign(f, key, signType) != f["sign"] {
			return a, fmt.Errorf("a SUCCESS answer that does not verify with %q: %s", signType, raw)
		}
	case "FAIL":
		if _, signed := f["sign"]; signed {
			return a, fmt.Errorf("a signed FAIL answer: %s", raw)
		}
	default:
		return a, fmt.Errorf("return_code %q: %s", f["return_code"], raw)
	}
	return a, nil
}

// V2DecryptReqInfo is §1.9's req_info: AES-256-ECB under the lower-hex MD5
// of the key, PKCS#7, Base64.
func V2DecryptReqInfo(s, key string) ([]byte, error) {
	buf, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(buf) == 0 || len(buf)%aes.BlockSize != 0 {
		return nil, errors.New("req_info: not whole AES blocks of Base64")
	}
	sum := md5.Sum([]byte(key))
	block, err := aes.NewCipher([]byte(hex.EncodeToString(sum[:])))
	if err != nil {
		return nil, err
	}
	for i := 0; i < len(buf); i += aes.BlockSize {
		block.Decrypt(buf[i:i+aes.BlockSize], buf[i:i+aes.BlockSize])
	}
	n := int(buf[len(buf)-1])
	if n < 1 || n > aes.BlockSize || !bytes.Equal(buf[len(buf)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		return nil, errors.New("req_info: bad PKCS#7 padding")
	}
	return buf[:len(buf)-n], nil
}

func v2Nonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
