package mapi

import (
	"errors"
	"net/url"
	"strings"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// diagnosed is a signature refusal carrying its explanation for the request
// journal; fail puts the diagnosis in the verdict, the wire sees only the
// error.
type diagnosed struct {
	error
	diag *channel.Diagnosis
}

func (d diagnosed) Unwrap() error { return d.error }

func diagnosisOf(err error) *channel.Diagnosis {
	var d diagnosed
	if errors.As(err, &d) {
		return d.diag
	}
	return nil
}

// legacyVariant is one way a MAPI signer gets the string wrong: content
// is the string it signed (for MD5, without the key), and keyed how it
// added the MD5 key.
type legacyVariant struct {
	cause, summary, advice string
	content                []byte
	keyJoin                string // MD5: what stood between string and key ("" directly, as §1.2 item 5)
	noKey                  bool   // MD5: the key left out
}

// diagnose explains a legacy request whose signature did not verify, as
// `mockpay verify` does for OpenAPI: it tries the mistakes MAPI integrations
// make (§1.2) and keeps the first the signature confirms. The partner's MD5
// key is used to check each candidate and never leaves this function: the
// diagnosis holds the string without the key.
func diagnose(partner *payment.App, st sign.Type, raw sign.Params, cs kit.Charset) *channel.Diagnosis {
	content := sign.Canonical(raw, unsigned)
	d := &channel.Diagnosis{Canonical: content, Params: kit.DiagnosisParams(raw, unsigned)}
	sig := raw.Value("sign")
	key := []byte(kit.Creds(partner).Legacy.MD5Key)
	verifies := func(v legacyVariant) bool {
		if st != sign.MD5Type {
			return sign.VerifyRSA(partner.AppPublicKey(), sign.RSA, v.content, sig) == nil
		}
		msg := append([]byte{}, v.content...)
		if !v.noKey {
			msg = append(append(msg, v.keyJoin...), key...)
		}
		return sign.VerifyMD5(msg, nil, strings.ToLower(sig))
	}
	if st == sign.RSA {
		if err := sign.VerifyRSA(partner.AppPublicKey(), sign.RSA, []byte(content), sig); errors.Is(err, sign.ErrSignatureEncoding) {
			d.Cause, d.Summary = "signature_format", "sign is not base64 of a SHA1withRSA signature by a key of the partner's size"
			d.Details = []string{"sign the string with the partner's RSA private key (SHA1withRSA), base64 with + and /, encoded once in the form"}
			return d
		}
	}
	for _, v := range legacyVariants(raw, st, cs) {
		if verifies(v) {
			d.Cause, d.Summary = v.cause, v.summary
			d.Details = []string{v.advice, "the signer's string was: " + string(v.content)}
			return d
		}
	}
	d.Cause = "unexplained"
	d.Summary = "the signature was made over different content or with another key"
	d.Details = []string{"check the partner's key (mockpay apps show " + partner.PID + ") and that the string above, with the MD5 key appended directly, is what your code signs (§1.2)"}
	return d
}

// legacyVariants are the strings a mistaken signer signs, in the order
// they are tried: sign_type kept, empty values kept (both breaking §1.2
// item 2), the key joined as &key= (WeChat Pay's rule) or left out
// (§1.2 item 5), values signed URL-encoded (§1.2 item 4) or encoded twice,
// and the other charset's bytes (§1.2 item 6).
func legacyVariants(raw sign.Params, st sign.Type, cs kit.Charset) []legacyVariant {
	withST := sign.CanonicalOptions{Exclude: []string{"sign"}}
	withEmpty := unsigned
	withEmpty.IncludeEmpty = true
	canon := func(p sign.Params, o sign.CanonicalOptions) []byte { return []byte(sign.Canonical(p, o)) }
	out := []legacyVariant{
		{cause: "canonical_rule", summary: "wrong canonical rule: it verifies with sign_type signed too",
			advice: "leave sign and sign_type out of the signed string (§1.2 item 2)", content: canon(raw, withST)},
		{cause: "canonical_rule", summary: "wrong canonical rule: it verifies with empty values signed as k=",
			advice: "drop parameters whose value is empty before signing (§1.2 item 2)", content: canon(raw, withEmpty)},
	}
	if st == sign.MD5Type {
		plain := canon(raw, unsigned)
		out = append(out,
			legacyVariant{cause: "md5_key", summary: "the MD5 key was joined with &key=", keyJoin: "&key=", content: plain,
				advice: "append the MD5 key directly after the last value, no separator (§1.2 item 5); &key= is WeChat Pay's rule"},
			legacyVariant{cause: "md5_key", summary: "the string was hashed without the MD5 key", noKey: true, content: plain,
				advice: "append the partner's MD5 key to the string before hashing (§1.2 item 5)"})
	}
	encoded := make(sign.Params, len(raw))
	decoded := make(sign.Params, len(raw))
	for i, kv := range raw {
		encoded[i], decoded[i] = kv, kv
		if kv.Key != "sign" && kv.Key != "sign_type" {
			encoded[i].Value = url.QueryEscape(kv.Value)
			if v, err := url.QueryUnescape(kv.Value); err == nil {
				decoded[i].Value = v
			}
		}
	}
	out = append(out,
		legacyVariant{cause: "double_encoding", summary: "the signature is over URL-encoded values",
			advice: "sign the decoded raw values, then encode the form once (§1.2 item 4)", content: canon(encoded, unsigned)},
		legacyVariant{cause: "double_encoding", summary: "values arrived encoded twice: decoded once more, the signature verifies",
			advice: "encode the form once (§1.2 item 4)", content: canon(decoded, unsigned)},
	)
	if utf8Params, err := kit.ToUTF8(raw, cs); err == nil {
		s := sign.Canonical(utf8Params, unsigned)
		other, name := kit.Encode(s, kit.GBK), "gbk"
		if cs == kit.GBK {
			other, name = []byte(s), "utf-8"
		}
		out = append(out, legacyVariant{cause: "charset", summary: "the string was signed as " + name + " bytes, but _input_charset is " + string(cs),
			advice: "sign the bytes of the charset _input_charset names (§1.2 item 6)", content: other})
	}
	return out
}
