package kit

import (
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// The platform key modes of a merchant (wechatpay-protocol.md §2.4).
const (
	ModeCertificate = "certificate" // platform certificates, GET /v3/certificates
	ModePublicKey   = "public_key"  // 微信支付公钥, PUB_KEY_ID_…
)

// Credentials are what WeChat Pay knows of a merchant beyond the domain's
// App, stored as App.Credentials["wechatpay"] under the apps API's names.
// The merchant is an App whose AppID and PID are its mchid; its API key
// pair is the App's app key pair (AppPublicKeyPEM verifies Authorization,
// AppPrivateKeyPKCS8PEM is handed out) and the platform's key pair is the
// App's platform pair (it signs answers and notifications).
type Credentials struct {
	MchID    string `json:"mch_id"`
	AppID    string `json:"appid"`     // wx + 16 hex: the official account / app the merchant pays for
	APIv3Key string `json:"apiv3_key"` // 32 ASCII bytes: AES-256-GCM of notifications and certificates
	APIv2Key string `json:"apiv2_key"` // 32 ASCII: the APIv2 MD5 / HMAC-SHA256 key (channel/wechatpay/v2)
	// MerchantCertificatePEM is the merchant's API certificate
	// (apiclient_cert.pem); its serial is MerchantSerialNo.
	MerchantCertificatePEM string `json:"merchant_certificate_pem"`
	// PlatformKeyMode is ModeCertificate or ModePublicKey.
	PlatformKeyMode string `json:"platform_key_mode"`
	// PlatformCertificatePEM is the platform certificate (certificate mode).
	PlatformCertificatePEM string `json:"platform_certificate_pem,omitempty"`
	// PlatformPublicKeyID is PUB_KEY_ID_ + digits (public-key mode).
	PlatformPublicKeyID string `json:"platform_public_key_id,omitempty"`

	// Derived when decoded: the serials as 40 upper-case hex digits (P-V3-3).
	MerchantSerialNo string `json:"-"`
	PlatformSerialNo string `json:"-"`
}

// PlatformSerial is what Wechatpay-Serial names: the platform certificate's
// serial, or the public key's id (P-V3-11).
func (c *Credentials) PlatformSerial() string {
	if c.PlatformKeyMode == ModePublicKey {
		return c.PlatformPublicKeyID
	}
	return c.PlatformSerialNo
}

var (
	mchIDShape = regexp.MustCompile(`^[0-9]{8,12}$`)
	appIDShape = regexp.MustCompile(`^wx[0-9a-f]{16}$`)
	pubKeyID   = regexp.MustCompile(`^PUB_KEY_ID_[0-9]{10,40}$`)
)

// Creds are app's WeChat Pay credentials: those its check decoded, or
// decoded now for an app not checked yet (not kept, so that no request
// writes to a shared app). An entry that does not decode reads as none.
func Creds(app *payment.App) *Credentials {
	if v, ok := app.Decoded(Channel); ok {
		return v.(*Credentials)
	}
	c, _ := decode(app)
	return c
}

// DecodeCreds decodes and checks app's credentials and keeps the result
// on app: the protocol's Check calls it before the app is registered.
func DecodeCreds(app *payment.App) (*Credentials, error) {
	if v, ok := app.Decoded(Channel); ok {
		return v.(*Credentials), nil
	}
	c, err := decode(app)
	if err != nil {
		return nil, fmt.Errorf("merchant %s: %w", app.AppID, err)
	}
	app.SetDecoded(Channel, c)
	return c, nil
}

// SetCreds stores c as app's WeChat Pay credentials.
func SetCreds(app *payment.App, c Credentials) {
	raw, err := json.Marshal(c)
	if err != nil {
		panic(err) // strings only
	}
	if app.Credentials == nil {
		app.Credentials = map[string]json.RawMessage{}
	}
	app.Credentials[Channel] = raw
}

func decode(app *payment.App) (*Credentials, error) {
	c := &Credentials{}
	raw, ok := app.Credentials[Channel]
	if !ok {
		return c, fmt.Errorf("no wechatpay credentials")
	}
	if err := json.Unmarshal(raw, c); err != nil {
		return &Credentials{}, fmt.Errorf("wechatpay credentials: %w", err)
	}
	return c, c.check(app)
}

// check holds the credentials to the platform's shapes and derives the
// serials from the certificates, which must hold the app's keys.
func (c *Credentials) check(app *payment.App) error {
	switch {
	case c.MchID != app.AppID || c.MchID != app.PID || !mchIDShape.MatchString(c.MchID):
		return fmt.Errorf("mch_id %q must be the app id and pid, 8-12 digits", c.MchID)
	case !appIDShape.MatchString(c.AppID):
		return fmt.Errorf("appid %q: wx and 16 hex digits", c.AppID)
	case len(c.APIv3Key) != 32 || !printableASCII(c.APIv3Key):
		return fmt.Errorf("apiv3_key: 32 ASCII characters")
	case len(c.APIv2Key) != 32 || !printableASCII(c.APIv2Key):
		return fmt.Errorf("apiv2_key: 32 ASCII characters")
	case app.AppPublicKey() == nil || app.PlatformPrivateKey() == nil:
		return fmt.Errorf("the merchant and platform keys are not prepared")
	}
	serial, err := certSerial(c.MerchantCertificatePEM, app.AppPublicKey())
	if err != nil {
		return fmt.Errorf("merchant_certificate_pem: %w", err)
	}
	c.MerchantSerialNo = serial
	switch c.PlatformKeyMode {
	case ModeCertificate:
		if c.PlatformSerialNo, err = certSerial(c.PlatformCertificatePEM, &app.PlatformPrivateKey().PublicKey); err != nil {
			return fmt.Errorf("platform_certificate_pem: %w", err)
		}
	case ModePublicKey:
		if !pubKeyID.MatchString(c.PlatformPublicKeyID) {
			return fmt.Errorf("platform_public_key_id %q: PUB_KEY_ID_ and digits", c.PlatformPublicKeyID)
		}
	default:
		return fmt.Errorf("platform_key_mode %q: certificate or public_key", c.PlatformKeyMode)
	}
	return nil
}

// certSerial is a certificate's serial as WeChat Pay writes it, after
// checking that the certificate holds key.
func certSerial(certPEM string, key *rsa.PublicKey) (string, error) {
	certs, err := sign.ParseCertificates(certPEM)
	if err != nil {
		return "", err
	}
	pub, ok := certs[0].PublicKey.(*rsa.PublicKey)
	if !ok || !pub.Equal(key) {
		return "", fmt.Errorf("the certificate does not hold the key")
	}
	return SerialHex(certs[0].SerialNumber.Bytes()), nil
}

// SerialHex renders serial bytes as the SDKs do: upper-case hex.
func SerialHex(b []byte) string { return strings.ToUpper(fmt.Sprintf("%x", b)) }

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
