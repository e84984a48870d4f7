package wechatpayv2

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
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"
)

// sign is §1.2: non-empty fields but sign, sorted, k=v&…&key=KEY, MD5 or
// HMAC-SHA256 of that string, upper-case hex.
func sign(f map[string]string, key, signType string) string {
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

// encode writes <xml> with one CDATA element per field (§1.1).
func encode(f map[string]string) string {
	var b strings.Builder
	b.WriteString("<xml>")
	for k, v := range f {
		b.WriteString("<" + k + "><![CDATA[" + v + "]]></" + k + ">")
	}
	b.WriteString("</xml>")
	return b.String()
}

// decode reads a flat <xml> document into its fields.
func decode(body []byte) (map[string]string, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	f := map[string]string{}
	depth, name := 0, ""
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
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
	return f, nil
}

// shopMerchant is one merchant as the shop's configuration holds it.
type shopMerchant struct {
	merchant
	key string // the key calls are signed with (APIv2 key, or the sandbox key)
}

// reply is an answer as the merchant checks it (P-V2-1, P-V2-4): HTTP 200,
// no html anywhere, a SUCCESS answer signed with the request's sign type,
// a FAIL one unsigned.
type reply struct {
	f    map[string]string
	raw  string
	http int
}

func (r reply) ok() bool { return r.f["return_code"] == "SUCCESS" && r.f["result_code"] == "SUCCESS" }

// call posts fields to path under base (the api_base_url, or it plus a
// sandbox prefix), signed with signType ("" sends no sign_type: MD5).
func (m shopMerchant) call(t *testing.T, base, path, signType string, f map[string]string) reply {
	t.Helper()
	if _, ok := f["appid"]; !ok {
		f["appid"] = m.AppID
	}
	if _, ok := f["mch_id"]; !ok {
		f["mch_id"] = m.MchID
	}
	f["nonce_str"] = nonce()
	if signType != "" {
		f["sign_type"] = signType
	}
	f["sign"] = sign(f, m.key, signType)
	rsp, err := direct.Post(base+path, "text/xml", strings.NewReader(encode(f)))
	if err != nil {
		t.Fatal(err)
	}
	defer rsp.Body.Close()
	raw, _ := io.ReadAll(rsp.Body)
	r := reply{http: rsp.StatusCode, raw: string(raw)}
	checkAnswer(t, path, raw, rsp.StatusCode)
	r.f, err = decode(raw)
	if err != nil {
		t.Fatalf("%s: not XML: %v: %s", path, err, raw)
	}
	switch r.f["return_code"] {
	case "SUCCESS":
		if r.f["sign"] == "" || sign(r.f, m.key, signType) != r.f["sign"] {
			t.Errorf("%s: a SUCCESS answer that does not verify with %q: %s", path, signType, raw)
		}
	case "FAIL":
		if _, signed := r.f["sign"]; signed || len(r.f) != 2 || r.f["return_msg"] == "" {
			t.Errorf("%s: a FAIL answer must be return_code and return_msg, unsigned: %s", path, raw)
		}
	default:
		t.Errorf("%s: return_code %q: %s", path, r.f["return_code"], raw)
	}
	return r
}

func checkAnswer(t *testing.T, what string, raw []byte, status int) {
	t.Helper()
	if status != http.StatusOK {
		t.Errorf("%s: HTTP %d, the platform always answers 200: %s", what, status, raw)
	}
	if bytes.Contains(bytes.ToLower(raw), []byte("html")) {
		t.Errorf("%s: the answer holds html, which gopay takes for an error page (P-V2-4): %s", what, raw)
	}
}

func nonce() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// decryptReqInfo is §1.9: AES-256-ECB with the lower-hex MD5 of the key,
// PKCS#7, Base64.
func decryptReqInfo(s, key string) ([]byte, error) {
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
