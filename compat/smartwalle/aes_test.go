package smartwalle

import (
	"strings"
	"testing"

	"github.com/smartwalle/alipay/v3"
)

// aesClient is an SDK client with SetEncryptKey(key): biz_content goes out
// AES-encrypted with encrypt_type=AES, and the SDK decrypts a string node
// after verifying the sign over it (alipay-protocol.md §2.2, §6.1).
func aesClient(t *testing.T, key string) *sdkClient {
	t.Helper()
	c := mustSDKClient(t, app.AppPrivateKeyPEM)
	if err := c.SetEncryptKey(key); err != nil {
		t.Fatalf("SetEncryptKey(%q): %v", key, err)
	}
	return c
}

// appAESKey is the fixture app's content key from the control API.
func appAESKey(t *testing.T) string {
	t.Helper()
	var a struct {
		AESKey string `json:"aes_key"`
	}
	getJSON(t, baseURL+"/_mockpay/api/apps/"+app.AppID, &a)
	if a.AESKey == "" {
		t.Fatalf("GET /_mockpay/api/apps/%s has no aes_key (fixtures/apps.json gives app %s one)", app.AppID, app.AppID)
	}
	return a.AESKey
}

// TestAESContentEncryption: with SetEncryptKey, page.pay's URL carries the
// encrypted biz_content, the buyer pays, and the encrypted query answer
// verifies and decrypts in the SDK (issue 12, item 3).
func TestAESContentEncryption(t *testing.T) {
	c := aesClient(t, appAESKey(t))
	o := newOrder("AES", "12.5", "12.50")
	u := pagePayURL(t, c, o)
	if q := u.Query(); q.Get("encrypt_type") != "AES" || strings.HasPrefix(q.Get("biz_content"), "{") {
		t.Fatalf("the SDK did not encrypt page.pay: %s", u)
	}
	b := newBrowser(t)
	cs := b.openPayURL(t, u)
	tradeNo := checkReturn(t, c, cs.pay(t, b), o, "alipay.trade.page.pay.return").Get("trade_no")

	rsp := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
	if !strings.Contains(c.lastExchange(), `"alipay_trade_query_response":"`) {
		t.Errorf("the answer's node is not an encrypted string:\n%s", c.lastExchange())
	}
	wantSuccess(t, c, "encrypted query", rsp.Error)
	if rsp.TradeNo != tradeNo || rsp.TotalAmount != o.Want || rsp.TradeStatus != alipay.TradeStatusSuccess {
		t.Errorf("encrypted query: trade_no=%q total_amount=%q trade_status=%q\n%s", rsp.TradeNo, rsp.TotalAmount, rsp.TradeStatus, c.lastExchange())
	}

	// A business error is encrypted and signed too: err == nil.
	rsp = c.mustQuery(t, alipay.TradeQuery{OutTradeNo: "SWAESNOSUCH" + o.OutTradeNo})
	wantError(t, c, "encrypted query of an unknown trade", rsp.Error, "40004", "Business Failed", "ACQ.TRADE_NOT_EXIST")
}

// TestAESWrongKey: content the app's key cannot decrypt gets a plain,
// signed 40002 isv.invalid-encrypt, which the SDK decodes as is.
func TestAESWrongKey(t *testing.T) {
	c := aesClient(t, "d3Jvbmcga2V5IDE2IGJ5dA==") // "wrong key 16 byt"
	rsp := c.mustQuery(t, alipay.TradeQuery{OutTradeNo: "SWAESWRONGKEY"})
	wantError(t, c, "query under a wrong AES key", rsp.Error, "40002", "Invalid Arguments", "isv.invalid-encrypt")
}
