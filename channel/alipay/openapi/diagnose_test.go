package openapi_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net/url"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/channel/alipay/openapi"
	"github.com/mockpay/mockpay/sign"
)

// A page.pay request as a server decodes it, and its canonical string by the
// request rule (§2.3), written out by hand.
const (
	requestForm = "app_id=2021000122600001&method=alipay.trade.page.pay&charset=utf-8&sign_type=RSA2" +
		"&timestamp=2026-05-01+10%3A00%3A00&version=1.0" +
		"&biz_content=%7B%22out_trade_no%22%3A%22T1%22%2C%22total_amount%22%3A%2212.00%22%7D"
	requestCanonical = `app_id=2021000122600001&biz_content={"out_trade_no":"T1","total_amount":"12.00"}` +
		`&charset=utf-8&method=alipay.trade.page.pay&sign_type=RSA2&timestamp=2026-05-01 10:00:00&version=1.0`
	// The same, signed by a client that left sign_type out.
	requestWithoutSignType = `app_id=2021000122600001&biz_content={"out_trade_no":"T1","total_amount":"12.00"}` +
		`&charset=utf-8&method=alipay.trade.page.pay&timestamp=2026-05-01 10:00:00&version=1.0`
	// A shop that logged total_amount 12 while 12.00 was sent.
	requestOther = `app_id=2021000122600001&biz_content={"out_trade_no":"T1","total_amount":"12"}` +
		`&charset=utf-8&method=alipay.trade.page.pay&sign_type=RSA2&timestamp=2026-05-01 10:00:00&version=1.0`

	notifyForm = "notify_type=trade_status_sync&notify_id=2026050100222100000000000000000001&notify_time=2026-05-01+10%3A00%3A05" +
		"&app_id=2021000122600001&out_trade_no=T1&trade_no=2026050122001400000000000001&trade_status=TRADE_SUCCESS" +
		"&total_amount=12.00&charset=utf-8&sign_type=RSA2"
	// By the notification rule (§3.3): no sign_type.
	notifyCanonical = "app_id=2021000122600001&charset=utf-8&notify_id=2026050100222100000000000000000001" +
		"&notify_time=2026-05-01 10:00:05&notify_type=trade_status_sync&out_trade_no=T1" +
		"&total_amount=12.00&trade_no=2026050122001400000000000001&trade_status=TRADE_SUCCESS"
	notifyWithSignType = "app_id=2021000122600001&charset=utf-8&notify_id=2026050100222100000000000000000001" +
		"&notify_time=2026-05-01 10:00:05&notify_type=trade_status_sync&out_trade_no=T1" +
		"&sign_type=RSA2&total_amount=12.00&trade_no=2026050122001400000000000001&trade_status=TRADE_SUCCESS"
)

// rawSign signs content with crypto/rsa directly, not with package sign:
// the signer in each case is independent of the code under test.
func rawSign(t *testing.T, keyPEM string, algo string, content string) string {
	t.Helper()
	block, _ := pem.Decode([]byte(keyPEM))
	if block == nil {
		t.Fatal("no PEM block")
	}
	var key *rsa.PrivateKey
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		key = k
	} else {
		k8, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		key = k8.(*rsa.PrivateKey)
	}
	var sig []byte
	var err error
	if algo == "SHA1" {
		sum := sha1.Sum([]byte(content))
		sig, err = rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA1, sum[:])
	} else {
		sum := sha256.Sum256([]byte(content))
		sig, err = rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	}
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

func TestDiagnose(t *testing.T) {
	key1 := readFixture(t, appRSA2, "app_private_key.pem")
	pub1 := readFixture(t, appRSA2, "app_public_key.pem")
	key2 := readFixture(t, appRSA, "app_private_key.pem") // another key pair
	key2pkcs8 := readFixture(t, appRSA, "app_private_key_pkcs8.pem")
	alipayKey := readFixture(t, appRSA2, "alipay_private_key.pem")
	alipayPub := readFixture(t, appRSA2, "alipay_public_key.pem")

	cases := []struct {
		name      string
		form      string // as received, without sign
		rule      kit.SignRule
		signKey   string
		algo      string // SHA256 or SHA1
		signed    string // what the signer signed
		sign      string // overrides the computed sign ("" = compute)
		verifyPub string
		private   string
		canonical string
		want      openapi.Cause
		mention   []string // in the summary or details
		verified  string   // the canonical string mockpay verified, when checked
	}{
		{name: "a good request verifies", form: requestForm, signKey: key1, signed: requestCanonical,
			want: openapi.Verified, mention: []string{"OK", "RSA2"}, verified: requestCanonical},
		{name: "a good RSA (SHA1) request with the RSA app's keys",
			form: strings.Replace(requestForm, "sign_type=RSA2", "sign_type=RSA", 1), signKey: key2, algo: "SHA1",
			signed: strings.Replace(requestCanonical, "sign_type=RSA2", "sign_type=RSA", 1), verifyPub: readFixture(t, appRSA, "app_public_key.pem"),
			want: openapi.Verified, mention: []string{"OK", "RSA"}},
		{name: "a good notification verifies by the notification rule", form: notifyForm, rule: kit.NotifyRule,
			signKey: alipayKey, signed: notifyCanonical, verifyPub: alipayPub,
			want: openapi.Verified, verified: notifyCanonical},

		{name: "(a) SHA1 signature under sign_type=RSA2", form: requestForm, signKey: key1, algo: "SHA1", signed: requestCanonical,
			want: openapi.SignTypeMismatch, mention: []string{"SHA1withRSA (RSA)", "sign_type says RSA2"}},
		{name: "(a) comes before (d): the other algorithm explains it even with a foreign private key given", form: requestForm, signKey: key1, algo: "SHA1",
			signed: requestCanonical, private: key2, want: openapi.SignTypeMismatch},

		{name: "(b) Node-style empty value signed as k=", form: requestForm + "&app_auth_token=", signKey: key1,
			signed: strings.Replace(requestCanonical, "app_id=", "app_auth_token=&app_id=", 1),
			want:   openapi.CanonicalRule, mention: []string{"empty values signed as k=", "Node alipay-sdk"}, verified: requestCanonical},
		{name: "(b) both: sign_type left out and the empty value signed", form: requestForm + "&app_auth_token=", signKey: key1,
			signed: strings.Replace(requestWithoutSignType, "app_id=", "app_auth_token=&app_id=", 1),
			want:   openapi.CanonicalRule, mention: []string{"sign_type left out and empty values signed as k="}},
		{name: "(b) request signed without sign_type", form: requestForm, signKey: key1, signed: requestWithoutSignType,
			want: openapi.CanonicalRule, mention: []string{"sign_type left out", "§2.3"}},
		{name: "(b) notification signed with sign_type", form: notifyForm, rule: kit.NotifyRule, signKey: alipayKey,
			signed: notifyWithSignType, verifyPub: alipayPub,
			want: openapi.CanonicalRule, mention: []string{"sign_type signed too", "§3.3"}, verified: notifyCanonical},

		{name: "(c) a value percent-encoded twice", form: requestForm + "&return_url=http%253A%252F%252Fshop%252Freturn", signKey: key1,
			signed: strings.Replace(requestCanonical, "&sign_type", "&return_url=http://shop/return&sign_type", 1),
			want:   openapi.DoubleEncoding, mention: []string{"return_url arrived still encoded", "encoded twice"}},
		{name: "(c) '+' for a space, encoded again", form: strings.Replace(requestForm, "timestamp=2026-05-01+10", "timestamp=2026-05-01%2B10", 1), signKey: key1,
			signed: requestCanonical, want: openapi.DoubleEncoding, mention: []string{"timestamp arrived still encoded"}},
		{name: "(c) the signer signed URL-encoded values", form: requestForm, signKey: key1, signed: encodedValues(requestCanonical),
			want: openapi.DoubleEncoding, mention: []string{"form-encoded", "sign the raw values"}},
		{name: "(c) the sign itself encoded twice", form: requestForm, signKey: key1, signed: requestCanonical, sign: "double",
			want: openapi.DoubleEncoding, mention: []string{"sign arrived still percent-encoded"}},
		{name: "(c) unconfirmed: a value still looks encoded, the signature says nothing", form: requestForm + "&passback_params=a%2520b", signKey: key2,
			signed: requestCanonical, want: openapi.DoubleEncoding, mention: []string{"probably", "passback_params"}},

		{name: "(d) signed with another app's PKCS#8 key", form: requestForm, signKey: key2pkcs8, signed: requestCanonical, private: key2pkcs8,
			want: openapi.KeyPair, mention: []string{"wrong key pair", `PKCS#8 ("BEGIN PRIVATE KEY")`, "keyType: 'PKCS8'", "made with this private key"}},
		{name: "(d) signed with another app's PKCS#1 key", form: requestForm, signKey: key2, signed: requestCanonical, private: key2,
			want: openapi.KeyPair, mention: []string{`PKCS#1 ("BEGIN RSA PRIVATE KEY")`, "gopay takes PKCS#1"}},
		{name: "(d) not the pair, even when the signature was made with yet another key", form: requestForm, signKey: alipayKey, signed: requestCanonical, private: key2,
			want: openapi.KeyPair, mention: []string{"wrong key pair"}},

		{name: "(e) the SDK logged a different string and signed it", form: requestForm, signKey: key1, signed: requestOther, canonical: requestOther,
			want: openapi.ContentDiffers, mention: []string{`biz_content: mockpay's has '{"out_trade_no":"T1","total_amount":"12.00"}', yours '{"out_trade_no":"T1","total_amount":"12"}'`, "first difference at byte 75", "signature verifies over your string"}},
		{name: "(e) the same parameters out of order", form: requestForm, signKey: key1,
			signed:    "charset=utf-8&" + strings.Replace(requestCanonical, "&charset=utf-8", "", 1),
			canonical: "charset=utf-8&" + strings.Replace(requestCanonical, "&charset=utf-8", "", 1),
			want:      openapi.ContentDiffers, mention: []string{"another order"}},

		{name: "(f) different content, nothing else known", form: requestForm, signKey: key1, signed: requestOther,
			want: openapi.Unexplained, mention: []string{"different content or with another key"}, verified: requestCanonical},
		{name: "(f) another key, no private key given", form: requestForm, signKey: key2, signed: requestCanonical,
			want: openapi.Unexplained},
		{name: "(f) the SDK's string is mockpay's: the key differs", form: requestForm, signKey: key2, signed: requestCanonical, canonical: requestCanonical,
			want: openapi.Unexplained, mention: []string{"the content agrees, so the key differs"}},
		{name: "(f) the right private key, other content", form: requestForm, signKey: key1, signed: requestOther, private: key1,
			want: openapi.Unexplained, mention: []string{"is the public key's pair"}},

		{name: "no sign", form: requestForm, sign: "none", want: openapi.NoSignature},
		{name: "sign not base64", form: requestForm, sign: "not*base64", want: openapi.SignatureFormat, mention: []string{"not base64"}},
		{name: "sign from a 1024-bit key", form: requestForm, sign: base64.StdEncoding.EncodeToString(make([]byte, 128)),
			want: openapi.SignatureFormat, mention: []string{"128 bytes", "2048-bit"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			params, err := kit.ParseForm(c.form)
			if err != nil {
				t.Fatal(err)
			}
			switch c.sign {
			case "none":
			case "":
				params.Add("sign", rawSign(t, c.signKey, c.algo, c.signed))
			case "double":
				// The form carried %252B for '+': one decoding leaves %2B.
				params.Add("sign", url.QueryEscape(rawSign(t, c.signKey, c.algo, c.signed)))
			default:
				params.Add("sign", c.sign)
			}
			pubPEM := pub1
			if c.verifyPub != "" {
				pubPEM = c.verifyPub
			}
			pub, err := sign.ParsePublicKey(pubPEM)
			if err != nil {
				t.Fatal(err)
			}
			d := openapi.Diagnose(openapi.DiagnoseInput{Params: params, Rule: c.rule, PublicKey: pub, PrivateKeyPEM: c.private, Canonical: c.canonical})
			text := d.Summary + "\n" + strings.Join(d.Details, "\n")
			if d.Cause != c.want {
				t.Fatalf("cause %s, want %s\n%s", d.Cause, c.want, text)
			}
			if d.OK() != (c.want == openapi.Verified) {
				t.Errorf("OK() = %v", d.OK())
			}
			for _, m := range c.mention {
				if !strings.Contains(text, m) {
					t.Errorf("does not mention %q:\n%s", m, text)
				}
			}
			if c.verified != "" && d.Canonical != c.verified {
				t.Errorf("verified string\n got %s\nwant %s", d.Canonical, c.verified)
			}
		})
	}
}

// encodedValues form-encodes each value of a canonical string, as a client
// that signs after URL-encoding does.
func encodedValues(canonical string) string {
	parts := strings.Split(canonical, "&")
	for i, p := range parts {
		k, v, _ := strings.Cut(p, "=")
		parts[i] = k + "=" + url.QueryEscape(v)
	}
	return strings.Join(parts, "&")
}

func TestSignParamsByRule(t *testing.T) {
	params, err := kit.ParseForm(notifyForm)
	if err != nil {
		t.Fatal(err)
	}
	key, err := sign.ParsePrivateKey(readFixture(t, appRSA2, "alipay_private_key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		rule kit.SignRule
		want string
	}{{kit.NotifyRule, notifyCanonical}, {kit.RequestRule, notifyWithSignType}} {
		canonical, sig, err := kit.SignParams(params, c.rule, sign.RSA2, key)
		if err != nil || canonical != c.want {
			t.Errorf("%s: canonical %q, %v", c.rule, canonical, err)
		}
		if err := verifyRaw(platformPublic(t, appRSA2), "RSA2", []byte(c.want), sig); err != nil {
			t.Errorf("%s: signature does not verify over the canonical string: %v", c.rule, err)
		}
	}
}
