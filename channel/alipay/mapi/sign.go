package mapi

import (
	"errors"
	"strings"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// unsigned leaves sign and sign_type out of every signed string, in
// requests, returns, notifications and XML (§1.2 item 2): the OpenAPI's
// notification rule, applied to everything.
var unsigned = kit.NotifyRule.Options()

// verifyRequest checks sign_type and sign over the bytes the merchant
// encoded (§1.2): every parameter but sign and sign_type, empty ones
// dropped, sorted, raw values, then the MD5 key appended or SHA1withRSA
// with the partner's public key.
func verifyRequest(partner *payment.App, raw sign.Params) (sign.Type, error) {
	st := sign.Type(raw.Value("sign_type"))
	switch {
	case st == "":
		return "", payment.Errorf(payment.CodeMissingSignType, "sign_type is required")
	case st != sign.MD5Type && st != sign.RSA:
		// Upper case is required (§1.2); DSA is not emulated.
		return "", payment.Errorf(payment.CodeInvalidSignType, "sign_type %q: use MD5 or RSA", st)
	case st == sign.RSA && partner.SignType != sign.RSA:
		return "", payment.Errorf(payment.CodeMissingSignConfig, "partner %s has no RSA public key configured; sign with MD5", partner.PID)
	}
	sig := raw.Value("sign")
	if sig == "" {
		return "", payment.Errorf(payment.CodeMissingSignature, "sign is required")
	}
	content := sign.Canonical(raw, unsigned)
	var err error
	if st == sign.MD5Type {
		// Demos emit lower-case hex; upper case is accepted from requests
		// (unconfirmed) and never emitted.
		if !sign.VerifyMD5([]byte(content), []byte(kit.Creds(partner).Legacy.MD5Key), strings.ToLower(sig)) {
			err = sign.ErrBadSignature
		}
	} else {
		err = sign.VerifyRSA(partner.AppPublicKey(), sign.RSA, []byte(content), sig)
	}
	switch {
	case err == nil:
		return st, nil
	case errors.Is(err, sign.ErrSignatureEncoding):
		return "", payment.Errorf(payment.CodeInvalidSignature, "sign is not base64 of a %d-bit RSA signature", partner.AppPublicKey().Size()*8)
	}
	return "", payment.Errorf(payment.CodeInvalidSignature, "the string the gateway verified (key not shown) was: %s", content)
}

// signContent signs bytes mockpay sends: MD5 with the partner's key
// appended (lower-case hex, §1.2 item 6), or SHA1withRSA with the platform
// key.
func signContent(partner *payment.App, st sign.Type, content []byte) (string, error) {
	if st == sign.RSA {
		return sign.SignRSA(partner.PlatformPrivateKey(), sign.RSA, content)
	}
	return sign.MD5(content, []byte(kit.Creds(partner).Legacy.MD5Key)), nil
}

// signParams signs outbound parameters in the partner's charset: a gbk
// partner verifies over gbk bytes.
func signParams(partner *payment.App, st sign.Type, cs kit.Charset, p sign.Params) (string, error) {
	return signContent(partner, st, kit.Encode(sign.Canonical(p, unsigned), cs))
}
