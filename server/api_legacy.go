package server

import "github.com/mockpay/mockpay/payment"

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
