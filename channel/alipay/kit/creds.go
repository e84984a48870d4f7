package kit

import (
	"encoding/json"
	"fmt"

	"github.com/mockpay/mockpay/payment"
)

// Channel is the Alipay channel's name: the key of its entry in
// payment.App.Credentials.
const Channel = "alipay"

// Credentials are what Alipay knows of a merchant beyond the domain's App:
// the certificates of an app in certificate mode and the terms of a MAPI
// partner. They are stored as App.Credentials["alipay"] under the names
// the App's own fields had before migration 8 moved them there.
type Credentials struct {
	// Cert is set for an app in certificate mode (§2.4).
	Cert *AppCert `json:"Cert,omitempty"`
	// Legacy is set for a partner of the legacy MAPI gateway (§1).
	Legacy *Partner `json:"Legacy,omitempty"`
}

// Partner is what the MAPI gateway knows of a legacy partner beyond an
// App's fields. A partner is an App whose AppID is its PID: legacy requests
// name the partner, not an app (mapi.CheckPartner checks the ids' shape).
type Partner struct {
	MD5Key string `json:"MD5Key"` // the 32-character 安全校验码 (§1.2)
	// NoRefund: the partner signed plain 即时到账, whose paid trades are
	// finished; the advanced product pays into paid (§1.5).
	NoRefund bool `json:"NoRefund"`
	// AntiPhishing: orders must carry a live anti_phishing_key from
	// query_timestamp (§1.3, §1.7).
	AntiPhishing bool `json:"AntiPhishing"`
}

// Creds are app's Alipay credentials: those its check decoded, or,
// for an app not checked yet, decoded now (and not kept, so that no
// request writes to a shared app). An entry that does not decode reads as
// none; the check refuses such an app before it is registered.
func Creds(app *payment.App) *Credentials {
	if v, ok := app.Decoded(Channel); ok {
		return v.(*Credentials)
	}
	c, _ := decode(app)
	if c.Cert != nil && app.AppPublicKey() != nil {
		_ = c.Cert.Prepare(app.AppPublicKey(), app.PlatformPrivateKey())
	}
	return c
}

// DecodeCreds decodes app's Alipay credentials, prepares its certificates
// (their SNs, and that they hold the app's keys, which app.Prepare parsed)
// and keeps the result on app: a protocol's Check calls it before the app
// is registered. An app decoded once is not decoded again, so checking a
// registered app writes nothing its readers see.
func DecodeCreds(app *payment.App) (*Credentials, error) {
	if v, ok := app.Decoded(Channel); ok {
		return v.(*Credentials), nil
	}
	c, err := decode(app)
	if err != nil {
		return nil, fmt.Errorf("app %s: %w", app.AppID, err)
	}
	if c.Cert != nil {
		if err := c.Cert.Prepare(app.AppPublicKey(), app.PlatformPrivateKey()); err != nil {
			return nil, fmt.Errorf("app %s: %w", app.AppID, err)
		}
	}
	app.SetDecoded(Channel, c)
	return c, nil
}

// SetCreds stores c as app's Alipay credentials (fixtures and tests build
// apps with them); DecodeCreds then prepares them.
func SetCreds(app *payment.App, c Credentials) {
	raw, err := json.Marshal(c)
	if err != nil {
		panic(err) // Credentials hold only strings and booleans
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
		return c, nil
	}
	if err := json.Unmarshal(raw, c); err != nil {
		return &Credentials{}, fmt.Errorf("alipay credentials: %w", err)
	}
	return c, nil
}
