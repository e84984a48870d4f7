package openapi

import (
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/sign"
)

// Cause is what explains a signature that does not verify.
type Cause string

const (
	Verified         Cause = "verified"
	NoSignature      Cause = "no_signature"
	SignatureFormat  Cause = "signature_format"   // sign is not base64 of the key's size
	SignTypeMismatch Cause = "sign_type_mismatch" // (a) made with the other algorithm
	CanonicalRule    Cause = "canonical_rule"     // (b) signed by another canonical rule
	DoubleEncoding   Cause = "double_encoding"    // (c) values encoded once too often (or signed encoded)
	KeyPair          Cause = "key_pair"           // (d) the private key is not the public key's pair
	ContentDiffers   Cause = "content_differs"    // (e) the signer's canonical string differs
	Unexplained      Cause = "unexplained"        // (f) other content or another key
)

// DiagnoseInput is a parameter set as received, and what the developer
// knows about how it was signed.
type DiagnoseInput struct {
	Params    sign.Params    // decoded once, as a server decodes a form; sign included
	Rule      kit.SignRule   // RequestRule or NotifyRule
	SignType  sign.Type      // "" = the params' sign_type, else RSA2
	PublicKey *rsa.PublicKey // the key that should verify
	// Optional evidence.
	PrivateKeyPEM string // the private key the signer says it used
	Canonical     string // the string the signer's SDK logged
}

// Diagnosis says whether the signature verifies and, when not, the first
// explanation that holds, in the order Diagnose tries them.
type Diagnosis struct {
	Cause     Cause
	SignType  sign.Type
	Canonical string   // the string mockpay verified, by the rule asked for
	Summary   string   // one line
	Details   []string // evidence and what to change
}

// OK reports whether the signature verifies.
func (d Diagnosis) OK() bool { return d.Cause == Verified }

// Diagnose checks the signature and explains a failure by trying, in order:
// the other algorithm (a); other canonical rules (b); double encoding (c);
// the private key's pair (d); the signer's own canonical string (e). It is
// pure: callers read files and print. The explanations tried are the
// integration bugs developers hit most (§2.1, §2.3, §3.3).
func Diagnose(in DiagnoseInput) Diagnosis {
	d := Diagnosis{Canonical: sign.Canonical(in.Params, in.Rule.Options())}
	var stNote string
	d.SignType, stNote = signTypeOf(in)
	sig, _ := in.Params.Get("sign")
	keyNotes := privateKeyNotes(in)
	done := func(c Cause, summary string, details ...string) Diagnosis {
		d.Cause, d.Summary = c, summary
		d.Details = append(append(details, keyNotes.lines...), stNote)
		d.Details = compact(d.Details)
		return d
	}
	if strings.TrimSpace(sig) == "" {
		return done(NoSignature, "there is no sign parameter to verify")
	}
	verifies := func(t sign.Type, content, sig string) bool {
		return sign.VerifyRSA(in.PublicKey, t, []byte(content), sig) == nil
	}

	err := sign.VerifyRSA(in.PublicKey, d.SignType, []byte(d.Canonical), sig)
	if err == nil {
		return done(Verified, fmt.Sprintf("OK: the signature verifies (%s, %s)", d.SignType, in.Rule))
	}
	if errors.Is(err, sign.ErrSignatureEncoding) {
		if percentEscape.MatchString(sig) {
			if once, err := url.QueryUnescape(sig); err == nil && verifies(d.SignType, d.Canonical, once) {
				return done(DoubleEncoding, "double encoding: sign arrived still percent-encoded",
					"decoded once more, it verifies: the form was URL-encoded twice; encode it once")
			}
		}
		return done(SignatureFormat, signatureFormatProblem(sig, in.PublicKey))
	}

	// (a) The other algorithm.
	other := sign.RSA
	if d.SignType == sign.RSA {
		other = sign.RSA2
	}
	if verifies(other, d.Canonical, sig) {
		return done(SignTypeMismatch, fmt.Sprintf("sign_type mismatch: the signature is %s but sign_type says %s", algorithm(other), d.SignType),
			fmt.Sprintf("sign with %s, or send sign_type=%s; the app's sign_type in mockpay must match too", algorithm(d.SignType), other))
	}

	// (b) Another canonical rule.
	for _, v := range ruleVariants(in.Rule, in.Params) {
		if content := sign.Canonical(in.Params, v.opt); verifies(d.SignType, content, sig) {
			return done(CanonicalRule, "wrong canonical rule: "+v.what, v.advice, "the signer's string was: "+content)
		}
	}

	// (c) Double encoding, confirmed by the signature.
	if p, what, ok := encodingVariant(in.Params, func(p sign.Params) bool {
		return verifies(d.SignType, sign.Canonical(p, in.Rule.Options()), sig)
	}); ok {
		return done(DoubleEncoding, "double encoding: "+what, "the signer's string was: "+sign.Canonical(p, in.Rule.Options()))
	}

	// (d) The key pair.
	if keyNotes.mismatch {
		return done(KeyPair, "wrong key pair: the private key's public half is not the public key given", keyNotes.pairAdvice...)
	}

	// (e) The signer's own canonical string.
	if in.Canonical != "" && in.Canonical != d.Canonical {
		details := firstDifference(d.Canonical, in.Canonical)
		if verifies(d.SignType, in.Canonical, sig) {
			details = append(details, "the signature verifies over your string: the SDK signed what it logged, and the parameters that arrived differ from it")
		}
		return done(ContentDiffers, "the parameters differ from what was signed", details...)
	}

	// An unconfirmed suspicion comes last: it proves nothing, but is the
	// likeliest story when values still look encoded, unless the signer's
	// own string shows it signed the same content.
	if in.Canonical != "" && in.Canonical == d.Canonical {
		return done(Unexplained, "the signature was made over different content or with another key",
			"your canonical string is the same as mockpay's: the content agrees, so the key differs")
	}
	if keys := stillEncoded(in.Params); len(keys) > 0 {
		return done(DoubleEncoding, "probably double encoding (the signature does not confirm it)",
			strings.Join(keys, ", ")+": still percent-encoded after decoding, or '+' where a space was meant; check that the form is encoded exactly once")
	}
	return done(Unexplained, "the signature was made over different content or with another key")
}

// signTypeOf picks the algorithm: the caller's choice, the params'
// sign_type, or RSA2 (the default of every SDK, §2.1).
func signTypeOf(in DiagnoseInput) (sign.Type, string) {
	if in.SignType != "" {
		return in.SignType, ""
	}
	v, ok := in.Params.Get("sign_type")
	if !ok {
		return sign.RSA2, "no sign_type in the parameters: verified as RSA2"
	}
	st, err := sign.ParseType(v)
	if err != nil {
		// Alipay wants exactly RSA2 or RSA, upper case (§1.2, §2.2).
		return sign.RSA2, fmt.Sprintf("sign_type %q is neither RSA2 nor RSA (Alipay wants upper case): verified as RSA2", v)
	}
	return st, ""
}

func algorithm(t sign.Type) string {
	if t == sign.RSA {
		return "SHA1withRSA (RSA)"
	}
	return "SHA256withRSA (RSA2)"
}

func signatureFormatProblem(sig string, pub *rsa.PublicKey) string {
	raw, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(sig, " ", "+"))
	if err != nil {
		if _, err := base64.URLEncoding.DecodeString(sig); err == nil {
			return "sign is URL-safe base64 (- and _); Alipay uses standard base64 with + and / and padding"
		}
		return "sign is not base64: was it truncated, or encoded twice?"
	}
	return fmt.Sprintf("sign is %d bytes, a %d-bit key signs %d: it was made with a key of another size, or truncated",
		len(raw), pub.Size()*8, pub.Size())
}

type variant struct {
	opt          sign.CanonicalOptions
	what, advice string
}

// ruleVariants are the canonical rules SDKs get wrong: empty values signed
// as k= (the Node SDK, §2.1) and sign_type in or out the other way (§2.3 vs
// §3.3), alone and together.
func ruleVariants(rule kit.SignRule, params sign.Params) []variant {
	hasEmpty := false
	for _, kv := range params {
		hasEmpty = hasEmpty || kv.Value == ""
	}
	_, hasST := params.Get("sign_type")
	// The notification rule's mistake is keeping sign_type; the request
	// rule's, leaving it out.
	flipped := kit.RequestRule.Options()
	stWhat := "it verifies with sign_type signed too"
	stAdvice := "notifications and returns leave sign_type out (§3.3, rsaCheckV1); keeping it is the request rule or rsaCheckV2 (生活号)"
	emptyAdvice := "Alipay never sends empty fields and signs without them (§3.3); leave them out of the form and of the string"
	if rule == kit.RequestRule {
		flipped = kit.NotifyRule.Options()
		stWhat = "it verifies with sign_type left out"
		stAdvice = "OpenAPI requests sign sign_type too (§2.3); leaving it out is the notification rule (§3.3)"
		emptyAdvice = "the Node alipay-sdk signs empty values (§2.1); Alipay leaves them out (§2.3). mockpay's gateway accepts it for the Node SDK's sake, but drop empty parameters before signing"
	}
	withEmpty := func(o sign.CanonicalOptions) sign.CanonicalOptions { o.IncludeEmpty = true; return o }
	var out []variant
	if hasEmpty {
		out = append(out, variant{withEmpty(rule.Options()), "it verifies with empty values signed as k=", emptyAdvice})
	}
	if hasST {
		out = append(out, variant{flipped, stWhat, stAdvice})
	}
	if hasEmpty && hasST {
		out = append(out, variant{withEmpty(flipped), stWhat + " and empty values signed as k=", stAdvice + "; " + emptyAdvice})
	}
	return out
}

var percentEscape = regexp.MustCompile(`%[0-9A-Fa-f]{2}`)

// stillEncoded lists the keys whose decoded values still look encoded: a
// %XX escape, or '+' where a space was meant (and no space at all).
func stillEncoded(params sign.Params) []string {
	var keys []string
	for _, kv := range params {
		if kv.Key == "sign" {
			continue
		}
		if percentEscape.MatchString(kv.Value) || (strings.Contains(kv.Value, "+") && !strings.Contains(kv.Value, " ")) {
			keys = append(keys, kv.Key)
		}
	}
	return keys
}

// encodingVariant looks for the encoding mistake that makes the signature
// verify: values decoded once more (the form was encoded twice), or values
// URL-encoded (the signer signed after encoding instead of raw values,
// §2.3 item 4).
func encodingVariant(params sign.Params, verifies func(sign.Params) bool) (sign.Params, string, bool) {
	if keys := stillEncoded(params); len(keys) > 0 {
		decoded := make(sign.Params, len(params))
		for i, kv := range params {
			decoded[i] = kv
			if kv.Key != "sign" {
				if v, err := url.QueryUnescape(kv.Value); err == nil {
					decoded[i].Value = v
				}
			}
		}
		if verifies(decoded) {
			return decoded, fmt.Sprintf("%s arrived still encoded; decoded once more, the signature verifies. The form was URL-encoded twice: encode it once", strings.Join(keys, ", ")), true
		}
	}
	for _, enc := range []struct {
		name string
		fn   func(string) string
	}{
		{"form-encoded (+ for spaces)", url.QueryEscape},
		{"percent-encoded (%20 for spaces, as encodeURIComponent)", func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }},
	} {
		encoded := make(sign.Params, len(params))
		changed := false
		for i, kv := range params {
			encoded[i] = kv
			if kv.Key != "sign" {
				encoded[i].Value = enc.fn(kv.Value)
				changed = changed || encoded[i].Value != kv.Value
			}
		}
		if changed && verifies(encoded) {
			return encoded, "the signature is over " + enc.name + " values; sign the raw values, then encode once for transport (§2.3 item 4)", true
		}
	}
	return nil, "", false
}

type keyNotes struct {
	lines      []string
	mismatch   bool
	pairAdvice []string
}

// privateKeyNotes says what the private key given is, and whether it is
// the public key's pair.
func privateKeyNotes(in DiagnoseInput) keyNotes {
	var n keyNotes
	if strings.TrimSpace(in.PrivateKeyPEM) == "" {
		return n
	}
	priv, err := sign.ParsePrivateKey(in.PrivateKeyPEM)
	if err != nil {
		n.lines = append(n.lines, "the private key does not parse: "+err.Error())
		return n
	}
	enc, _ := sign.PrivateKeyEncoding(in.PrivateKeyPEM)
	n.lines = append(n.lines, keyFormatNote(enc))
	if priv.PublicKey.Equal(in.PublicKey) {
		n.lines = append(n.lines, "the private key is the public key's pair")
		return n
	}
	n.mismatch = true
	n.pairAdvice = append(n.pairAdvice, "upload the public half of the private key your SDK signs with, or sign with the private key of the public key mockpay holds (mockpay apps show <app_id>)")
	if sig, _ := in.Params.Get("sign"); sig != "" {
		st, _ := signTypeOf(in)
		if sign.VerifyRSA(&priv.PublicKey, st, []byte(sign.Canonical(in.Params, in.Rule.Options())), sig) == nil {
			n.pairAdvice = append(n.pairAdvice, "the signature was made with this private key, over exactly this content")
		}
	}
	return n
}

// keyFormatNote names the key's format and what each SDK needs (§6).
func keyFormatNote(enc sign.KeyEncoding) string {
	var b strings.Builder
	switch enc.PEMType {
	case "":
		fmt.Fprintf(&b, "the private key is bare base64 (no BEGIN/END lines), %s inside", enc.Syntax)
	case "RSA PRIVATE KEY":
		b.WriteString(`the private key is PKCS#1 ("BEGIN RSA PRIVATE KEY")`)
	case "PRIVATE KEY":
		b.WriteString(`the private key is PKCS#8 ("BEGIN PRIVATE KEY")`)
	default:
		fmt.Fprintf(&b, "the private key's PEM type is %q, %s inside", enc.PEMType, enc.Syntax)
	}
	if (enc.PEMType == "RSA PRIVATE KEY" && enc.Syntax != "PKCS#1") || (enc.PEMType == "PRIVATE KEY" && enc.Syntax != "PKCS#8") {
		fmt.Fprintf(&b, ", but its body is %s: SDKs that trust the header will not load it", enc.Syntax)
	}
	if enc.Syntax == "PKCS#8" {
		b.WriteString("; smartwalle/alipay accepts it; the Node alipay-sdk needs keyType: 'PKCS8' for it; gopay takes PKCS#1 by default (app_private_key.pem)")
	} else {
		b.WriteString("; smartwalle/alipay accepts it; the Node alipay-sdk reads it with its default keyType 'PKCS1'; gopay takes PKCS#1 by default")
	}
	return b.String()
}

// firstDifference shows where two canonical strings part: the bytes around
// the first difference, then the parameters that differ.
func firstDifference(ours, theirs string) []string {
	i := 0
	for i < len(ours) && i < len(theirs) && ours[i] == theirs[i] {
		i++
	}
	lines := []string{
		fmt.Sprintf("first difference at byte %d:", i),
		"  mockpay's: …" + around(ours, i) + "…",
		"  yours:     …" + around(theirs, i) + "…",
	}
	om, tm := pairs(ours), pairs(theirs)
	var diffs []string
	for _, kv := range splitPairs(ours) {
		tv, ok := tm[kv[0]]
		switch {
		case !ok:
			diffs = append(diffs, kv[0]+" is only in mockpay's string")
		case tv != kv[1]:
			diffs = append(diffs, fmt.Sprintf("%s: mockpay's has '%s', yours '%s'", kv[0], kv[1], tv))
		}
	}
	for _, kv := range splitPairs(theirs) {
		if _, ok := om[kv[0]]; !ok {
			diffs = append(diffs, kv[0]+" is only in yours")
		}
	}
	if len(diffs) == 0 {
		diffs = append(diffs, "the same parameters in another order: sort by key (§2.3 item 4)")
	}
	return append(lines, diffs...)
}

func splitPairs(s string) [][2]string {
	var out [][2]string
	for _, p := range strings.Split(s, "&") {
		k, v, _ := strings.Cut(p, "=")
		out = append(out, [2]string{k, v})
	}
	return out
}

func pairs(s string) map[string]string {
	m := map[string]string{}
	for _, kv := range splitPairs(s) {
		if _, dup := m[kv[0]]; !dup {
			m[kv[0]] = kv[1]
		}
	}
	return m
}

// around is up to 20 bytes either side of i, widened to whole UTF-8 runes.
func around(s string, i int) string {
	from, to := max(0, i-20), min(len(s), i+20)
	for from > 0 && !runeStart(s[from]) {
		from--
	}
	for to < len(s) && !runeStart(s[to]) {
		to++
	}
	return s[from:to]
}

func runeStart(b byte) bool { return b&0xC0 != 0x80 }

func compact(lines []string) []string {
	out := lines[:0]
	for _, l := range lines {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}
