package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/channel/alipay/openapi"
	"github.com/mockpay/mockpay/sign"
)

// stdin is where sign and verify read parameters when none are given; a
// variable so tests can feed it.
var stdin io.Reader = os.Stdin

const paramsHelp = `Parameters come as one argument ('k=v&k2=v2', percent-encoded as on the wire; a whole URL
with a query works too), from --form-file, or on stdin. Values are percent-decoded once, as a
server decodes a form.`

// signingFlags are what sign and verify share: the rule and the input.
type signingFlags struct {
	*cmdFlags
	notification *bool
	signType     *string
	formFile     *string
}

func newSigningFlags(use, about string, stderr io.Writer) *signingFlags {
	f := &signingFlags{cmdFlags: newFlags(use, about+"\n\n"+paramsHelp, stderr)}
	f.notification = f.Bool("notification", false, "use the notification / sync-return rule (§3.3: sign and sign_type left out) instead of the request rule (§2.3: only sign left out)")
	f.signType = f.String("sign-type", "", "RSA2 or RSA (default: the parameters' sign_type, else RSA2)")
	f.formFile = f.String("form-file", "", "read the parameters from this `file` (a form body; one k=v per line also works)")
	return f
}

func (f *signingFlags) rule() kit.SignRule {
	if *f.notification {
		return kit.NotifyRule
	}
	return kit.RequestRule
}

// params reads the parameter set from the argument, --form-file or stdin.
func (f *signingFlags) params(args []string) (sign.Params, error) {
	var text string
	switch {
	case len(args) > 1:
		return nil, usageError{"give the parameters as one argument (quote it: the shell splits on & and spaces)"}
	case len(args) == 1 && *f.formFile != "":
		return nil, usageError{"give the parameters as an argument or with --form-file, not both"}
	case len(args) == 1:
		text = args[0]
	case *f.formFile != "":
		b, err := os.ReadFile(*f.formFile)
		if err != nil {
			return nil, err
		}
		text = string(b)
	default:
		b, err := io.ReadAll(io.LimitReader(stdin, 1<<20))
		if err != nil {
			return nil, err
		}
		text = string(b)
	}
	text = strings.TrimSpace(text)
	if i := strings.Index(text, "?"); i >= 0 && strings.Contains(text[:i], "://") {
		text = text[i+1:] // a whole URL: its query
	}
	text = strings.TrimPrefix(text, "?")
	// A file of k=v lines is the same form with other separators.
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "&"), "\n", "&")
	params, err := kit.ParseForm(text)
	if err != nil {
		return nil, err
	}
	if len(params) == 0 {
		return nil, usageError{"no parameters given"}
	}
	return params, nil
}

// explicitSignType is --sign-type, checked; "" when not given.
func (f *signingFlags) explicitSignType() (sign.Type, error) {
	if *f.signType == "" {
		return "", nil
	}
	st, err := sign.ParseType(*f.signType)
	if err != nil {
		return "", usageError{"--sign-type: " + err.Error()}
	}
	return st, nil
}

// input is the parameter set and --sign-type, once the flags are parsed
// (and the keys read: stdin is the last place to look).
func (f *signingFlags) input(rest []string) (sign.Params, sign.Type, error) {
	params, err := f.params(rest)
	if err != nil {
		return nil, "", err
	}
	st, err := f.explicitSignType()
	return params, st, err
}

func readKeyFile(flagName, path string) (string, error) {
	if path == "" {
		return "", usageError{"--" + flagName + " is required"}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("--%s: %w", flagName, err)
	}
	return string(b), nil
}

// readKey reads the key file a flag names and parses it.
func readKey[K any](flagName, path string, parse func(string) (K, error)) (K, error) {
	var zero K
	text, err := readKeyFile(flagName, path)
	if err != nil {
		return zero, err
	}
	k, err := parse(text)
	if err != nil {
		return zero, fmt.Errorf("--%s %s: %w", flagName, path, err)
	}
	return k, nil
}

// signCmd prints the canonical string of a parameter set and its signature
// with a private key: what an SDK should have produced. Offline.
func signCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newSigningFlags("sign --key FILE [flags] ['k=v&k2=v2']",
		"Compute the canonical string of a parameter set and its signature with a private key (PKCS#1 or PKCS#8),\nto compare with what your SDK logs and sends. Works offline.", stderr)
	keyFile := fl.String("key", "", "PEM `file` of the private key (app_private_key.pem)")
	rest, err := fl.parse(args)
	if err != nil {
		return err
	}
	key, err := readKey("key", *keyFile, sign.ParsePrivateKey)
	if err != nil {
		return err
	}
	params, st, err := fl.input(rest)
	if err != nil {
		return err
	}
	inParams, has := params.Get("sign_type")
	switch {
	case st == "" && has:
		if st, err = sign.ParseType(inParams); err != nil {
			return usageError{fmt.Sprintf("the parameters' sign_type %q is neither RSA2 nor RSA", inParams)}
		}
	case st == "":
		st = sign.RSA2
	case has && inParams != string(st):
		return usageError{fmt.Sprintf("--sign-type %s, but the parameters say sign_type=%s", st, inParams)}
	}
	if !has && fl.rule() == kit.RequestRule {
		fmt.Fprintf(stderr, "note: no sign_type in the parameters; requests carry it and sign it (§2.3): add sign_type=%s\n", st)
	}
	canonical, sig, err := kit.SignParams(params, fl.rule(), st, key)
	if err != nil {
		return err
	}
	signed := make(sign.Params, 0, len(params)+1)
	for _, kv := range params {
		if kv.Key != "sign" {
			signed = append(signed, kv)
		}
	}
	signed.Add("sign", sig)
	fmt.Fprintf(stdout, "rule:      %s\nsign_type: %s\ncanonical: %s\nsign:      %s\nform:      %s\n",
		fl.rule(), st, canonical, sig, kit.EncodeForm(signed, kit.UTF8))
	return nil
}

// errNotVerified is verify's exit status 1, after the explanation.
var errNotVerified = errors.New("signature does not verify")

// verifyCmd checks a signed parameter set with a public key and, when it
// does not verify, explains why (channel/alipay/openapi.Diagnose). Offline.
func verifyCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newSigningFlags("verify --public-key FILE [flags] ['k=v&...&sign=...']",
		"Check the signature of a parameter set (sign included) and, when it does not verify, explain why:\nsign_type mismatch, wrong canonical rule, double encoding, wrong key pair (PKCS#1 vs PKCS#8),\nor which parameter differs from what was signed. Works offline; exit status 1 when it does not verify.\n\nRequests from your shop: --public-key app_public_key.pem. Notifications and returns from mockpay:\n--notification --public-key alipay_public_key.pem.", stderr)
	pubFile := fl.String("public-key", "", "PEM `file` of the public key that should verify")
	privFile := fl.String("private-key", "", "PEM `file` of the private key the signer used: checks the key pair and names its format")
	theirs := fl.String("canonical", "", "the canonical `string` your SDK logged: shows where it differs from mockpay's")
	rest, err := fl.parse(args)
	if err != nil {
		return err
	}
	pub, err := readKey("public-key", *pubFile, sign.ParsePublicKey)
	if err != nil {
		return err
	}
	var privPEM string
	if *privFile != "" {
		if privPEM, err = readKeyFile("private-key", *privFile); err != nil {
			return err
		}
	}
	params, st, err := fl.input(rest)
	if err != nil {
		return err
	}
	d := openapi.Diagnose(openapi.DiagnoseInput{Params: params, Rule: fl.rule(), SignType: st, PublicKey: pub, PrivateKeyPEM: privPEM, Canonical: *theirs})
	if d.OK() {
		fmt.Fprintln(stdout, d.Summary)
	} else {
		fmt.Fprintf(stdout, "NOT OK (%s): %s\n", d.Cause, d.Summary)
	}
	for _, line := range d.Details {
		fmt.Fprintln(stdout, "  "+line)
	}
	fmt.Fprintf(stdout, "canonical string mockpay verified (%s, %s):\n%s\n", d.SignType, fl.rule(), d.Canonical)
	if !d.OK() {
		return errNotVerified
	}
	return nil
}
