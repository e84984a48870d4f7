package instance_test

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/internal/merchant"
)

// fixtureAESKey is app 2021000122600001's content key (fixtures/apps.json).
const fixtureAESKey = "bW9ja3BheS1kZW1vLWFlcw=="

// The test's own AES-128-CBC, zero IV, PKCS#7, base64 — what the SDKs'
// encryptKey / SetEncryptKey do — so the sandbox is checked against an
// encrypter it does not share.
func testEncrypt(t *testing.T, key string, plain []byte) string {
	t.Helper()
	k, _ := base64.StdEncoding.DecodeString(key)
	b, err := aes.NewCipher(k)
	if err != nil {
		t.Fatal(err)
	}
	pad := 16 - len(plain)%16
	buf := append(append([]byte{}, plain...), bytes.Repeat([]byte{byte(pad)}, pad)...)
	cipher.NewCBCEncrypter(b, make([]byte, 16)).CryptBlocks(buf, buf)
	return base64.StdEncoding.EncodeToString(buf)
}

func testDecrypt(t *testing.T, key, content string) []byte {
	t.Helper()
	k, _ := base64.StdEncoding.DecodeString(key)
	b, _ := aes.NewCipher(k)
	buf, err := base64.StdEncoding.DecodeString(content)
	if err != nil || len(buf)%16 != 0 || len(buf) == 0 {
		t.Fatalf("answer is not base64 AES blocks: %q", content)
	}
	cipher.NewCBCDecrypter(b, make([]byte, 16)).CryptBlocks(buf, buf)
	return buf[:len(buf)-int(buf[len(buf)-1])]
}

// encryptedCall posts method with biz_content encrypted under key and
// returns the raw answer.
func encryptedCall(t *testing.T, m *merchant.Client, method, key string, biz any, encryptType string) []byte {
	t.Helper()
	plain, _ := json.Marshal(biz)
	v := m.Params(method, nil, map[string]string{"biz_content": testEncrypt(t, key, plain), "encrypt_type": encryptType})
	resp, err := m.HTTP.PostForm(m.Gateway, v)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(readAll(t, resp))
}

// nodeOf splits an answer into its node's raw value and checks the sign
// over exactly those bytes (for an encrypted answer: the quoted string).
func nodeOf(t *testing.T, m *merchant.Client, raw []byte, name string) json.RawMessage {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		t.Fatalf("not JSON: %s", raw)
	}
	var sig string
	if err := json.Unmarshal(top["sign"], &sig); err != nil || sig == "" {
		t.Fatalf("unsigned: %s", raw)
	}
	if err := m.VerifyBytes(top[name], sig); err != nil {
		t.Fatalf("sign does not cover the node as emitted: %v: %s", err, raw)
	}
	return top[name]
}

// TestAESContentEncryption: with encrypt_type=AES, biz_content arrives
// encrypted under the app's key and the answer's node is the encrypted
// node as a JSON string, signed over that string with its quotes (issue 12
// item 3; alipay-protocol.md §2.2, §2.5, §6.1).
func TestAESContentEncryption(t *testing.T) {
	e := newEnv(t)
	raw := encryptedCall(t, e.m, "alipay.trade.create", fixtureAESKey, map[string]any{
		"out_trade_no": "AES-1", "total_amount": "2.00", "subject": rawSubject, "buyer_id": "2088102177846880",
	}, "AES")
	node := nodeOf(t, e.m, raw, "alipay_trade_create_response")
	var enc string
	if err := json.Unmarshal(node, &enc); err != nil {
		t.Fatalf("node is not a string: %s", raw)
	}
	var plain map[string]string
	text := testDecrypt(t, fixtureAESKey, enc)
	if err := json.Unmarshal(text, &plain); err != nil || plain["code"] != "10000" || plain["out_trade_no"] != "AES-1" || plain["trade_no"] == "" {
		t.Fatalf("decrypted node: %s %v", text, err)
	}

	// The trade is the one ordered; a plain query of the same app stays plain.
	r, err := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "AES-1"}, nil)
	if err != nil || !r.Verified || r.Str("subject") != rawSubject {
		t.Fatalf("plain query: %v %+v", err, r)
	}

	// A business error of an encrypted request is encrypted too; the
	// decrypted JSON keeps <>& raw (item 1).
	raw = encryptedCall(t, e.m, "alipay.trade.query", fixtureAESKey, map[string]string{"out_trade_no": "NO<&>"}, "AES")
	if err := json.Unmarshal(nodeOf(t, e.m, raw, "alipay_trade_query_response"), &enc); err != nil {
		t.Fatalf("error node not encrypted: %s", raw)
	}
	if text := testDecrypt(t, fixtureAESKey, enc); !bytes.Contains(text, []byte(`"sub_code":"ACQ.TRADE_NOT_EXIST"`)) || !bytes.Contains(text, []byte(`"out_trade_no":"NO<&>"`)) {
		t.Errorf("decrypted error node: %s", text)
	}
}

// TestAESContentErrors: content that cannot be decrypted, an unknown
// encrypt_type and an app with no key get their exact codes in a plain,
// signed node (§2.6).
func TestAESContentErrors(t *testing.T) {
	e := newEnv(t)
	biz := map[string]string{"out_trade_no": "AES-X"}
	wrongKey := base64.StdEncoding.EncodeToString([]byte("another 16 bytes"))
	cases := []struct {
		name, key, encryptType, subCode string
		m                               *merchant.Client
	}{
		{"wrong key", wrongKey, "AES", "isv.invalid-encrypt", e.m},
		{"unknown encrypt_type", fixtureAESKey, "SM4", "isv.invalid-encrypt-type", e.m},
		{"app without a key", fixtureAESKey, "AES", "isv.invalid-encrypt", e.merchant("2021000122600002")},
	}
	for _, c := range cases {
		raw := encryptedCall(t, c.m, "alipay.trade.query", c.key, biz, c.encryptType)
		var n map[string]string
		if err := json.Unmarshal(nodeOf(t, c.m, raw, "alipay_trade_query_response"), &n); err != nil {
			t.Fatalf("%s: node not plain JSON: %s", c.name, raw)
		}
		if n["code"] != "40002" || n["sub_code"] != c.subCode {
			t.Errorf("%s: %s", c.name, raw)
		}
	}
	// Not base64 at all.
	v := e.m.Params("alipay.trade.query", nil, map[string]string{"biz_content": `{"out_trade_no":"AES-X"}`, "encrypt_type": "AES"})
	resp, err := e.m.HTTP.PostForm(e.m.Gateway, v)
	if err != nil {
		t.Fatal(err)
	}
	if raw := readAll(t, resp); !strings.Contains(raw, `"sub_code":"isv.invalid-encrypt"`) {
		t.Errorf("plain JSON sent as AES: %s", raw)
	}
}

// TestAESKeyInAppsAPI: GET /apps shows the key; POST /apps can ask for
// one, and the created app answers encrypted calls with it.
func TestAESKeyInAppsAPI(t *testing.T) {
	e := newEnv(t)
	c := controlapi.New(e.app.URL)
	ctx := context.Background()
	a, err := c.App(ctx, "2021000122600001")
	if err != nil || a.App == nil || a.App.AESKey != fixtureAESKey {
		t.Fatalf("fixture app: %+v %v", a, err)
	}
	if a, _ := c.App(ctx, "2021000122600002"); a.App == nil || a.App.AESKey != "" {
		t.Errorf("app without a key shows one: %+v", a)
	}
	created, err := c.CreateApp(ctx, controlapi.CreateAppRequest{Name: "aes", AESKey: true})
	if err != nil || created.AESKey == "" {
		t.Fatalf("create: %+v %v", created, err)
	}
	plainApp, err := c.CreateApp(ctx, controlapi.CreateAppRequest{Name: "plain"})
	if err != nil || plainApp.AESKey != "" {
		t.Fatalf("create without aes_key: %+v %v", plainApp, err)
	}
	m, err := merchant.New(e.m.Gateway, created.AppID, created.AppPrivateKeyPEM, created.AlipayPublicKeyPEM, created.SignType)
	if err != nil {
		t.Fatal(err)
	}
	m.Now, m.HTTP = e.clock.Now, e.m.HTTP
	raw := encryptedCall(t, m, "alipay.trade.query", created.AESKey, map[string]string{"out_trade_no": "NONE"}, "AES")
	var enc string
	if err := json.Unmarshal(nodeOf(t, m, raw, "alipay_trade_query_response"), &enc); err != nil || !bytes.Contains(testDecrypt(t, created.AESKey, enc), []byte("ACQ.TRADE_NOT_EXIST")) {
		t.Fatalf("created app: %s", raw)
	}
	// The dashboard's app view shows it too.
	if _, page := e.get(e.app.URL + "/_mockpay/apps"); !strings.Contains(html.UnescapeString(page), `<code data-testid="aes-key">`+created.AESKey+`</code>`) {
		t.Errorf("dashboard app list has no aes_key")
	}
	if resp, _ := e.get(e.app.URL + "/_mockpay/api/apps"); resp.StatusCode != http.StatusOK {
		t.Errorf("GET /apps: %d", resp.StatusCode)
	}
}
