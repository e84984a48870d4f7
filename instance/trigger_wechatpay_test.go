package instance_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/controlapi"
)

// TestTriggerWechatpayV3: a trigger for an APIv3 merchant makes a Native
// order as if the shop had called prepay (§2.5) and pays it: the shop's
// notify endpoint receives TRANSACTION.SUCCESS signed with the platform's
// key (certificate and public-key mode, §2.3) whose resource decrypts with
// the merchant's APIv3 key; an order APIv3 refuses (no notify_url) is
// refused with the platform's issue.
func TestTriggerWechatpayV3(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := controlapi.New(e.app.URL)
	type got struct {
		h    http.Header
		body string
	}
	seen := make(chan got, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen <- got{r.Header.Clone(), string(b)}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	for _, mode := range []string{"certificate", "public_key"} {
		m := e.wxMerchant(mode)
		paid, err := c.Trigger(ctx, controlapi.TriggerRequest{AppID: m.MchID, Amount: "0.88", Subject: "微信 trigger", NotifyURL: srv.URL + "/wx", Outcome: "paid"})
		if err != nil || paid.Status != "SUCCESS" {
			t.Fatalf("%s paid: %+v %v", mode, paid, err)
		}
		var n got
		select {
		case n = <-seen:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no notification", mode)
		}
		verifyWx(t, m, n.h, n.body)
		var env struct {
			EventType string `json:"event_type"`
			Resource  struct {
				Ciphertext     string `json:"ciphertext"`
				AssociatedData string `json:"associated_data"`
				Nonce          string `json:"nonce"`
			} `json:"resource"`
		}
		if err := json.Unmarshal([]byte(n.body), &env); err != nil || env.EventType != "TRANSACTION.SUCCESS" {
			t.Fatalf("%s envelope: %v %s", mode, err, n.body)
		}
		block, _ := aes.NewCipher([]byte(m.APIv3Key))
		gcm, _ := cipher.NewGCM(block)
		ct, _ := base64.StdEncoding.DecodeString(env.Resource.Ciphertext)
		plain, err := gcm.Open(nil, []byte(env.Resource.Nonce), ct, []byte(env.Resource.AssociatedData))
		if err != nil {
			t.Fatalf("%s resource: %v", mode, err)
		}
		var wire map[string]any
		_ = json.Unmarshal(plain, &wire)
		if wire["appid"] != m.AppID || wire["mchid"] != m.MchID || wire["out_trade_no"] != paid.OutTradeNo || wire["transaction_id"] != paid.TradeNo ||
			wire["trade_type"] != "NATIVE" || wire["trade_state"] != "SUCCESS" || !strings.Contains(string(plain), `"total":88`) {
			t.Errorf("%s transaction: %s", mode, plain)
		}
	}

	m := e.wxMerchant("certificate")
	var apiErr map[string]string
	if code := e.api("POST", "/trades", controlapi.TriggerRequest{AppID: m.MchID, Amount: "1.00", Outcome: "paid"}, &apiErr); code != http.StatusBadRequest ||
		!strings.Contains(apiErr["message"], "notify_url") {
		t.Errorf("no notify_url: %d %v", code, apiErr)
	}
	closed, err := c.Trigger(ctx, controlapi.TriggerRequest{AppID: m.MchID, Amount: "1.00", NotifyURL: srv.URL + "/wx", Outcome: "closed"})
	if err != nil || closed.Status != "CLOSED" {
		t.Errorf("closed: %+v %v", closed, err)
	}
	e.settle()
	select {
	case n := <-seen:
		t.Errorf("a closed order notified: %s", n.body)
	case <-time.After(200 * time.Millisecond):
	}
}
