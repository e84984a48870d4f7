package v3

import (
	"net/http"

	"github.com/mockpay/mockpay/ca"
	"github.com/mockpay/mockpay/channel/wechatpay/kit"
)

// certificateEntry is one platform certificate of GET /v3/certificates
// (§2.4), its PEM encrypted with the merchant's APIv3 key.
type certificateEntry struct {
	SerialNo           string       `json:"serial_no"`
	EffectiveTime      string       `json:"effective_time"`
	ExpireTime         string       `json:"expire_time"`
	EncryptCertificate kit.Resource `json:"encrypt_certificate"`
}

// certificates is GET /v3/certificates: the merchant's platform
// certificate, valid (P-V3-10); a public-key-mode merchant has none, and
// the platform answers 404 RESOURCE_NOT_EXISTS (§2.4).
func (a *API) certificates(c *call) (int, any, error) {
	creds := kit.Creds(c.app)
	if creds.PlatformKeyMode != kit.ModeCertificate {
		return 0, nil, apiError(http.StatusNotFound, "RESOURCE_NOT_EXISTS", "无可用的平台证书，请在商户平台-API安全申请使用微信支付公钥")
	}
	res, err := kit.Encrypt(creds.APIv3Key, "certificate", "", []byte(creds.PlatformCertificatePEM))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"data": []certificateEntry{{
		SerialNo: creds.PlatformSerialNo, EffectiveTime: rfc3339(ca.NotBefore), ExpireTime: rfc3339(ca.NotAfter),
		EncryptCertificate: res,
	}}}, nil
}
