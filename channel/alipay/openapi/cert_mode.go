package openapi

import (
	"context"
	"encoding/base64"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// CheckApp decodes an OpenAPI app's credentials once, before it is
// registered, refusing certificates that do not hold its keys (§2.4).
func CheckApp(app *payment.App) error {
	_, err := kit.DecodeCreds(app)
	return err
}

// checkCertSNs is certificate mode's part of the envelope (§2.4): a request
// for a cert-mode app names the app certificate and the root bundle by SN,
// and the app certificate must be valid now. Public-key apps ignore the
// parameters.
func (g *Gateway) checkCertSNs(app *payment.App, raw sign.Params) error {
	c := kit.Creds(app).Cert
	if c == nil {
		return nil
	}
	switch sn := raw.Value("app_cert_sn"); {
	case sn == "":
		return payment.Errorf(CodeMissingAppCertSN, "app %s is in certificate mode: app_cert_sn is required", app.AppID)
	case sn != c.AppCertSN():
		return payment.Errorf(CodeInvalidAppCertSN, "app_cert_sn %s is not the SN of app %s's certificate (%s)", sn, app.AppID, c.AppCertSN())
	}
	switch sn := raw.Value("alipay_root_cert_sn"); {
	case sn == "":
		return payment.Errorf(CodeMissingRootCertSN, "app %s is in certificate mode: alipay_root_cert_sn is required", app.AppID)
	case sn != c.RootCertSN():
		return payment.Errorf(CodeInvalidRootCertSN, "alipay_root_cert_sn %s is not the SN of mockpay's root bundle (%s)", sn, c.RootCertSN())
	}
	if now := g.Clock.Now(); !c.ValidAt(now) {
		return payment.Errorf(CodeAppCertExpired, "app %s's certificate is not valid at %s", app.AppID, kit.DateTime(now))
	}
	return nil
}

// certDownload answers alipay.open.app.alipaycert.download: the platform
// certificate with that SN, base64 of its PEM (§2.4).
func (g *Gateway) certDownload(_ context.Context, c *Call) (*Object, string, error) {
	f := fields{biz: c.Biz}
	sn := f.required("alipay_cert_sn")
	if f.err != nil {
		return nil, "", f.err
	}
	cert := kit.Creds(c.App).Cert
	if cert == nil || sn != cert.PlatformCertSN() {
		return nil, "", payment.Errorf(CodeCertNotExist, "no platform certificate with SN %s for app %s", sn, c.App.AppID)
	}
	return success().Str("alipay_cert_content", base64.StdEncoding.EncodeToString([]byte(cert.PlatformCertPEM))), "", nil
}
