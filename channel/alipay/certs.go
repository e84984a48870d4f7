package alipay

import (
	"fmt"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
)

// openAPICerts are a cert-mode app's files under the names Alipay's console
// gives them, so SDK set-up code written for the real files works as is
// (§2.4), and their SNs.
func openAPICerts(a *payment.App) (channel.Certs, bool) {
	c := kit.Creds(a).Cert
	if c == nil {
		return channel.Certs{}, false
	}
	return channel.Certs{
		Files: map[string]string{
			"appCertPublicKey_" + a.AppID + ".crt": c.AppCertPEM,
			"alipayCertPublicKey_RSA2.crt":         c.PlatformCertPEM,
			"alipayRootCert.crt":                   c.RootCertPEM,
		},
		View: func(files map[string]string) any {
			return certsJSON{
				AppID: a.AppID, AppCertSN: c.AppCertSN(), AlipayCertSN: c.PlatformCertSN(), AlipayRootCertSN: c.RootCertSN(),
				AppCertPEM: c.AppCertPEM, AlipayCertPEM: c.PlatformCertPEM, AlipayRootCertPEM: c.RootCertPEM, Files: files,
			}
		},
	}, true
}

type certsJSON struct {
	AppID             string            `json:"app_id"`
	AppCertSN         string            `json:"app_cert_sn"`
	AlipayCertSN      string            `json:"alipay_cert_sn"`
	AlipayRootCertSN  string            `json:"alipay_root_cert_sn"`
	AppCertPEM        string            `json:"app_cert_pem"`
	AlipayCertPEM     string            `json:"alipay_cert_pem"`
	AlipayRootCertPEM string            `json:"alipay_root_cert_pem"`
	Files             map[string]string `json:"files"` // file name -> download URL
}

// openAPIBanner is an OpenAPI app in mockpay serve's banner: its app id
// and its PID.
func openAPIBanner(a *payment.App) string {
	return fmt.Sprintf("%s  %-4s  pid %s  %s", a.AppID, a.SignType, a.PID, a.Name)
}

// mapiBanner is a MAPI partner in the banner: its id and MD5 key are what
// a shop configures (§1.2).
func mapiBanner(a *payment.App) string {
	return fmt.Sprintf("%s  %-4s  legacy partner, md5_key %s  %s", a.PID, a.SignType, kit.Creds(a).Legacy.MD5Key, a.Name)
}
