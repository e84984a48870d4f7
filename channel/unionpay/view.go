package unionpay

import (
	"encoding/base64"
	"fmt"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/payment"
)

// AppView is a UnionPay merchant in GET /_mockpay/api/apps: what
// acp_sdk.properties (or any client) is configured with, under the names
// of the item 1.
type AppView struct {
	Protocol   string `json:"protocol"` // "unionpay"
	AppID      string `json:"app_id"`   // = mer_id
	MerID      string `json:"mer_id"`
	Name       string `json:"name"`
	Version    string `json:"version"`     // the scheme the fixture is meant for
	SignMethod string `json:"sign_method"` // 01 or 11
	CertID     string `json:"cert_id"`     // the merchant certificate's certId
	// SignCertPFXBase64 is acp_test_sign.pfx (acpsdk.signCert.path) and
	// SignCertPassword its password (acpsdk.signCert.pwd).
	SignCertPFXBase64     string `json:"sign_cert_pfx_base64"`
	SignCertPassword      string `json:"sign_cert_pwd"`
	MerchantPrivateKeyPEM string `json:"merchant_private_key_pem"` // PKCS#1
	MerchantPKCS8PEM      string `json:"merchant_private_key_pkcs8_pem"`
	MerchantCertPEM       string `json:"merchant_cert_pem"`
	SecureKey             string `json:"secure_key,omitempty"` // acpsdk.secureKey (signMethod 11)
	RootCertPEM           string `json:"root_cert_pem"`        // acpsdk.rootCert.path
	MiddleCertPEM         string `json:"middle_cert_pem"`      // acpsdk.middleCert.path
	SignPubCertPEM        string `json:"verify_sign_cert_pem"` // signPubKeyCert; acpsdk.validateCert.dir for 5.0.0
	EncryptCertPEM        string `json:"encrypt_cert_pem"`     // acpsdk.encryptCert.path
	GatewayCertID         string `json:"gateway_cert_id"`      // certId of 5.0.0 answers
	EncryptCertID         string `json:"encrypt_cert_id"`
	FrontURL              string `json:"front_url"`
	BackURL               string `json:"back_url"`
	QueryURL              string `json:"query_url"`
	AppURL                string `json:"app_url"`
	FileURL               string `json:"file_url"`
	// PID repeats mer_id and SignType names the scheme (5.1.0/01), for
	// the columns every app list shows.
	PID      string `json:"pid"`
	SignType string `json:"sign_type"`
}

// Certificate file names of the official test configuration
// (acp_sdk.properties, §3.5).
const (
	fileSignPFX    = "acp_test_sign.pfx"
	fileRoot       = "acp_test_root.cer"
	fileMiddle     = "acp_test_middle.cer"
	fileEncrypt    = "acp_test_enc.cer"
	fileVerifySign = "acp_test_verify_sign.cer"
)

func view(app *payment.App, baseURL string) channel.AppView {
	m := acp.Of(app)
	v := AppView{Protocol: "unionpay", AppID: app.AppID, MerID: app.PID, Name: app.Name, PID: app.PID,
		MerchantPrivateKeyPEM: app.AppPrivateKeyPEM, MerchantPKCS8PEM: app.AppPrivateKeyPKCS8PEM,
		FrontURL: baseURL + frontPath, BackURL: baseURL + backPath, QueryURL: baseURL + queryPath, AppURL: baseURL + appPath,
		FileURL: baseURL + filePath}
	if m != nil {
		v.SignType = m.Version + "/" + m.SignMethod
		v.Version, v.SignMethod, v.CertID, v.SignCertPFXBase64, v.SignCertPassword = m.Version, m.SignMethod, m.CertID, m.PFX, m.PFXPassword
		v.MerchantCertPEM, v.SecureKey, v.RootCertPEM, v.MiddleCertPEM = m.CertPEM, m.SecureKey, m.RootPEM, m.MiddlePEM
		v.SignPubCertPEM, v.EncryptCertPEM, v.GatewayCertID, v.EncryptCertID = m.SignCertPEM, m.EncCertPEM, m.SignCertID, m.EncCertID
	}
	return channel.AppView{Section: "unionpay", Fields: v}
}

// certs are the files acp_sdk.properties points at, under the official
// test configuration's names: the PFX (binary), and PEM certificates
// named .cer, which the SDKs read (§3.5).
func certs(app *payment.App) (channel.Certs, bool) {
	m := acp.Of(app)
	if m == nil {
		return channel.Certs{}, false
	}
	pfx, err := base64.StdEncoding.DecodeString(m.PFX)
	if err != nil {
		return channel.Certs{}, false
	}
	files := map[string]string{
		fileSignPFX: string(pfx), fileRoot: m.RootPEM, fileMiddle: m.MiddlePEM, fileEncrypt: m.EncCertPEM, fileVerifySign: m.SignCertPEM,
	}
	return channel.Certs{Files: files, View: func(urls map[string]string) any {
		return map[string]any{"app_id": app.AppID, "cert_id": m.CertID, "gateway_cert_id": m.SignCertID, "encrypt_cert_id": m.EncCertID, "files": urls}
	}}, true
}

// banner is a merchant's line in mockpay serve's banner.
func banner(app *payment.App) string {
	m := acp.Of(app)
	if m == nil {
		return app.AppID + "  UnionPay  " + app.Name
	}
	return fmt.Sprintf("%s  UnionPay %s signMethod %s  certId %s  %s", app.AppID, m.Version, m.SignMethod, m.CertID, app.Name)
}
