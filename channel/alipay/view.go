package alipay

import (
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
)

// gatewayPath is Alipay's gateway, the URL every SDK is configured with.
const gatewayPath = "/gateway.do"

// openAPIView is an OpenAPI app as the control API and the dashboard show
// it: its keys under the names SDK set-up code uses. The fields are the
// control API's own type (controlapi.App), which its Go client decodes.
func openAPIView(a *payment.App, baseURL string) channel.AppView {
	v := controlapi.App{
		Protocol: controlapi.ProtocolOpenAPI, AppID: a.AppID, Name: a.Name, PID: a.PID, SellerID: a.PID, SellerEmail: a.SellerEmail,
		SignType: string(a.SignType), KeyMode: keyMode(a), GatewayURL: baseURL + gatewayPath,
		AppPrivateKeyPEM: a.AppPrivateKeyPEM, AppPrivateKeyPKCS8PEM: a.AppPrivateKeyPKCS8PEM,
		AppPublicKeyPEM: a.AppPublicKeyPEM, AlipayPublicKeyPEM: a.PlatformPublicKeyPEM,
		AESKey: kit.Creds(a).AESKey,
	}
	if c := kit.Creds(a).Cert; c != nil {
		v.AppCertSN, v.AlipayCertSN, v.AlipayRootCertSN = c.AppCertSN(), c.PlatformCertSN(), c.RootCertSN()
	}
	return channel.AppView{Section: "apps", Fields: v}
}

// keyMode names an app's key mode: certificates (§2.4) or public keys.
func keyMode(a *payment.App) string {
	if kit.Creds(a).Cert != nil {
		return "cert"
	}
	return "public_key"
}

// mapiView is a MAPI partner as the control API and the dashboard's
// partners section show it (controlapi.Partner).
func mapiView(a *payment.App, baseURL string) channel.AppView {
	partner := kit.Creds(a).Legacy
	antiPhishing := "off"
	if partner.AntiPhishing {
		antiPhishing = "on"
	}
	status := payment.StatusPaid
	if partner.NoRefund {
		status = payment.StatusFinished
	}
	return channel.AppView{Section: "partners", Fields: controlapi.Partner{
		Protocol: controlapi.ProtocolLegacy, Name: a.Name, PID: a.PID, SellerID: a.PID, SellerEmail: a.SellerEmail,
		SignType: string(a.SignType), MD5Key: partner.MD5Key, TradeStatusOnPay: kit.Statuses.Name(status),
		AntiPhishing: antiPhishing, GatewayURL: baseURL + gatewayPath,
		AppPrivateKeyPEM: a.AppPrivateKeyPEM, AppPrivateKeyPKCS8PEM: a.AppPrivateKeyPKCS8PEM,
		AppPublicKeyPEM: a.AppPublicKeyPEM, AlipayPublicKeyPEM: a.PlatformPublicKeyPEM,
	}}
}
