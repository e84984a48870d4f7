package server

import "github.com/mockpay/mockpay/payment"

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

// appView is an app as the API shows it: an OpenAPI app or a legacy partner.
func (s *Server) appView(a *payment.App, gateway string) any {
	if a.Protocol() == payment.ProtocolLegacy {
		return s.partnerJSONOf(a, gateway)
	}
	return toAppJSON(a, gateway)
}

func (s *Server) partnerJSONOf(a *payment.App, gateway string) partnerJSON {
	antiPhishing := "off"
	if a.Legacy.AntiPhishing {
		antiPhishing = "on"
	}
	status := payment.StatusPaid
	if a.Legacy.NoRefund {
		status = payment.StatusFinished
	}
	return partnerJSON{
		Protocol: "legacy", Name: a.Name, PID: a.PID, SellerID: a.PID, SellerEmail: a.SellerEmail,
		SignType: string(a.SignType), MD5Key: a.Legacy.MD5Key, TradeStatusOnPay: s.Channels.StatusName(payment.ProtocolLegacy, status),
		AntiPhishing: antiPhishing, GatewayURL: gateway,
		AppPrivateKeyPEM: a.AppPrivateKeyPEM, AppPrivateKeyPKCS8PEM: a.AppPrivateKeyPKCS8PEM,
		AppPublicKeyPEM: a.AppPublicKeyPEM, AlipayPublicKeyPEM: a.PlatformPublicKeyPEM,
	}
}
