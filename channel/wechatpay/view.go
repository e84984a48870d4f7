package wechatpay

import (
	"fmt"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/payment"
)

// Merchant is a WeChat Pay merchant as GET /_mockpay/api/apps lists it:
// everything a client needs to be configured from the API alone (issue 13
// item 1). app_id is the mchid, so every /_mockpay/api/apps/{app_id}/ route
// takes it; api_base_url serves both the v3 and the v2 paths with no
// prefix, since SDKs sign the path.
type Merchant struct {
	Protocol               string `json:"protocol"` // "wechatpay"
	AppID                  string `json:"app_id"`
	MchID                  string `json:"mch_id"`
	AppIDWx                string `json:"appid"`
	APIv3Key               string `json:"apiv3_key"`
	APIv2Key               string `json:"apiv2_key"`
	MerchantSerialNo       string `json:"merchant_serial_no"`
	MerchantPrivateKeyPEM  string `json:"merchant_private_key_pem"` // PKCS#8
	MerchantCertificatePEM string `json:"merchant_certificate_pem"`
	PlatformKeyMode        string `json:"platform_key_mode"` // certificate | public_key
	PlatformSerialNo       string `json:"platform_serial_no,omitempty"`
	PlatformCertificatePEM string `json:"platform_certificate_pem,omitempty"`
	PlatformPublicKeyID    string `json:"platform_public_key_id,omitempty"`
	PlatformPublicKeyPEM   string `json:"platform_public_key_pem,omitempty"`
	APIBaseURL             string `json:"api_base_url"`
}

func merchantView(a *payment.App, baseURL string) channel.AppView {
	c := kit.Creds(a)
	m := Merchant{
		Protocol: kit.Channel, AppID: a.AppID, MchID: c.MchID, AppIDWx: c.AppID, APIv3Key: c.APIv3Key, APIv2Key: c.APIv2Key,
		MerchantSerialNo: c.MerchantSerialNo, MerchantPrivateKeyPEM: a.AppPrivateKeyPKCS8PEM,
		MerchantCertificatePEM: c.MerchantCertificatePEM, PlatformKeyMode: c.PlatformKeyMode, APIBaseURL: baseURL,
	}
	if c.PlatformKeyMode == kit.ModePublicKey {
		m.PlatformPublicKeyID, m.PlatformPublicKeyPEM = c.PlatformPublicKeyID, a.PlatformPublicKeyPEM
	} else {
		m.PlatformSerialNo, m.PlatformCertificatePEM = c.PlatformSerialNo, c.PlatformCertificatePEM
	}
	return channel.AppView{Section: "wechatpay", Fields: m}
}

func banner(a *payment.App) string {
	c := kit.Creds(a)
	return fmt.Sprintf("%s  WeChat Pay  appid %s  %s  %s", a.AppID, c.AppID, c.PlatformKeyMode, a.Name)
}
