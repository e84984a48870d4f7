package kit

import (
	"encoding/json"

	"github.com/mockpay/mockpay/payment"
)

// Terms are what a WeChat Pay order says beyond the domain's Order
// (Order.Terms["wechatpay"]), v2 and v3 alike: how the buyer pays
// (trade_type), for which appid, and the payer.
type Terms struct {
	TradeType     string `json:"trade_type"`                // JSAPI, APP, MWEB (H5), NATIVE (§2.6)
	AppID         string `json:"appid"`                     // the order's appid
	OpenID        string `json:"openid,omitempty"`          // JSAPI: payer.openid
	PayerClientIP string `json:"payer_client_ip,omitempty"` // H5: scene_info.payer_client_ip
	H5Type        string `json:"h5_type,omitempty"`         // H5: scene_info.h5_info.type
	// Sandbox: an APIv2 order placed under /sandboxnew, signed and
	// notified with the sandbox key (channel/wechatpay/v2).
	Sandbox bool `json:"sandbox,omitempty"`
}

// The trade types (§2.6; an H5 order reports MWEB).
const (
	TradeJSAPI  = "JSAPI"
	TradeApp    = "APP"
	TradeH5     = "MWEB"
	TradeNative = "NATIVE"
)

// SandboxOpenID is the payer's openid when the order named none (APP,
// H5, Native): the sandbox buyer as WeChat identifies it to one appid.
const SandboxOpenID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"

// SetTerms stores t in o.
func SetTerms(o *payment.Order, t Terms) {
	raw, err := json.Marshal(t)
	if err != nil {
		panic(err) // strings only
	}
	if o.Terms == nil {
		o.Terms = map[string]json.RawMessage{}
	}
	o.Terms[Channel] = raw
}

// OrderTerms are o's WeChat Pay terms (empty when it has none).
func OrderTerms(o payment.Order) Terms {
	var t Terms
	if raw, ok := o.Terms[Channel]; ok {
		_ = json.Unmarshal(raw, &t)
	}
	return t
}

// Products are how the buyer reached the cashier, per trade type.
var Products = map[string]payment.Product{
	TradeJSAPI: "wechatpay_jsapi", TradeApp: "wechatpay_app", TradeH5: "wechatpay_h5", TradeNative: "wechatpay_native",
}
