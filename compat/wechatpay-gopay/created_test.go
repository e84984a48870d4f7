package wechatpaygopay

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	wechat "github.com/go-pay/gopay/wechat/v3"
)

// TestCreatedMerchant: a merchant made through POST /_mockpay/api/apps
// (item 1) configures gopay from the 201 answer alone — every key, serial
// and the api_base_url — in either platform key mode, and runs prepay →
// pay → verified notification → query.
func TestCreatedMerchant(t *testing.T) {
	for _, mode := range []string{"certificate", "public_key"} {
		t.Run(mode, func(t *testing.T) {
			text, status, err := control(http.MethodPost, "/_mockpay/api/apps",
				map[string]string{"protocol": "wechatpay", "key_mode": mode, "name": "compat gopay " + mode})
			if err != nil || status != http.StatusCreated {
				t.Fatalf("POST /_mockpay/api/apps: HTTP %d %s %v", status, text, err)
			}
			var a wxApp
			if err := json.Unmarshal([]byte(text), &a); err != nil {
				t.Fatalf("created merchant: %v\n%s", err, text)
			}
			if a.Protocol != "wechatpay" || a.PlatformKeyMode != mode || a.AppID != a.MchID {
				t.Fatalf("created merchant: %s", text)
			}
			c := newClient(t, routes[0], a)
			s := newShop(t)
			no := newOutTradeNo("NEW")
			prepay(t, c, a, s, "NATIVE", no, 5)
			pay(t, a, no)
			d := s.wait(t, no, false)
			if err := d.req.VerifySignByPKMap(c.WxPublicKeyMap()); err != nil {
				t.Fatalf("VerifySignByPKMap: %v", err)
			}
			if res, err := d.req.DecryptPayCipherText(a.APIv3Key); err != nil || res.OutTradeNo != no || res.Mchid != a.MchID {
				t.Fatalf("decrypted: %+v %v", res, err)
			}
			q, err := c.V3TransactionQueryOrder(context.Background(), wechat.OutTradeNo, no)
			mustOK(t, "query", q.Code, q.Error, err)
			if q.Response.TradeState != "SUCCESS" {
				t.Fatalf("query: %+v", q.Response)
			}
		})
	}
}
