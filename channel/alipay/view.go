package alipay

import (
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
)

// gatewayPath is Alipay's gateway, the URL every SDK is configured with.
const gatewayPath = "/gateway.do"

// appJSON is an OpenAPI app in GET /_mockpay/api/apps and on the
// dashboard's apps section: its keys under the names SDK set-up code uses.
type appJSON struct {
	Protocol              string `json:"protocol"` // "openapi"; legacy partners are partnerJSON
	AppID                 string `json:"app_id"`
	Name                  string `json:"name"`
	PID                   string `json:"pid"`
	SellerID              string `json:"seller_id"`
	SellerEmail           string `json:"seller_email"`
	SignType              string `json:"sign_type"`
	KeyMode               string `json:"key_mode"`
	GatewayURL            string `json:"gateway_url"`
	AppPrivateKeyPEM      string `json:"app_private_key_pem"`
	AppPrivateKeyPKCS8PEM string `json:"app_private_key_pkcs8_pem"`
	AppPublicKeyPEM       string `json:"app_public_key_pem"`
	AlipayPublicKeyPEM    string `json:"alipay_public_key_pem"`
}

// openAPIView is an OpenAPI app as the control API and the dashboard show
// it.
func openAPIView(a *payment.App, baseURL string) channel.AppView {
	return channel.AppView{Section: "apps", Fields: appJSON{
		Protocol: "openapi", AppID: a.AppID, Name: a.Name, PID: a.PID, SellerID: a.PID, SellerEmail: a.SellerEmail,
		SignType: string(a.SignType), KeyMode: keyMode(a), GatewayURL: baseURL + gatewayPath,
		AppPrivateKeyPEM: a.AppPrivateKeyPEM, AppPrivateKeyPKCS8PEM: a.AppPrivateKeyPKCS8PEM,
		AppPublicKeyPEM: a.AppPublicKeyPEM, AlipayPublicKeyPEM: a.PlatformPublicKeyPEM,
	}}
}

// keyMode names an app's key mode: certificates (§2.4) or public keys.
func keyMode(a *payment.App) string {
	if a.Cert != nil {
		return "cert"
	}
	return "public_key"
}

// partnerJSON is a legacy MAPI partner in GET /_mockpay/api/apps: its PID
// is its seller_id, md5_key signs, and an RSA partner also has the key
// pairs an OpenAPI app has (SHA1withRSA, alipay-protocol.md §1.2). Every
// value is a string, as in the rest of the list, for consumers that read
// it as a map of strings.
type partnerJSON struct {
	Protocol              string `json:"protocol"` // "legacy"
	Name                  string `json:"name"`
	PID                   string `json:"pid"`
	SellerID              string `json:"seller_id"`
	SellerEmail           string `json:"seller_email"`
	SignType              string `json:"sign_type"` // MD5, or RSA for a partner with RSA keys (MD5 works too)
	MD5Key                string `json:"md5_key"`
	TradeStatusOnPay      string `json:"trade_status_on_pay"` // TRADE_SUCCESS (refundable) or TRADE_FINISHED (§1.5)
	AntiPhishing          string `json:"anti_phishing"`       // "on": orders need query_timestamp's key (§1.7); else "off"
	GatewayURL            string `json:"gateway_url"`
	AppPrivateKeyPEM      string `json:"app_private_key_pem,omitempty"`
	AppPrivateKeyPKCS8PEM string `json:"app_private_key_pkcs8_pem,omitempty"`
	AppPublicKeyPEM       string `json:"app_public_key_pem,omitempty"`
	AlipayPublicKeyPEM    string `json:"alipay_public_key_pem,omitempty"`
}

// mapiView is a MAPI partner as the control API and the dashboard's
// partners section show it.
func mapiView(a *payment.App, baseURL string) channel.AppView {
	antiPhishing := "off"
	if a.Legacy.AntiPhishing {
		antiPhishing = "on"
	}
	status := payment.StatusPaid
	if a.Legacy.NoRefund {
		status = payment.StatusFinished
	}
	return channel.AppView{Section: "partners", Fields: partnerJSON{
		Protocol: "legacy", Name: a.Name, PID: a.PID, SellerID: a.PID, SellerEmail: a.SellerEmail,
		SignType: string(a.SignType), MD5Key: a.Legacy.MD5Key, TradeStatusOnPay: kit.Statuses.Name(status),
		AntiPhishing: antiPhishing, GatewayURL: baseURL + gatewayPath,
		AppPrivateKeyPEM: a.AppPrivateKeyPEM, AppPrivateKeyPKCS8PEM: a.AppPrivateKeyPKCS8PEM,
		AppPublicKeyPEM: a.AppPublicKeyPEM, AlipayPublicKeyPEM: a.PlatformPublicKeyPEM,
	}}
}
