package sign_test

import (
	"testing"

	"github.com/mockpay/mockpay/sign"
)

// Keys come from merchants' config files pasted into the sandbox; no input
// may panic the parser, and a key comes back exactly when err is nil.

func keySeeds(f *testing.F) {
	for _, name := range []string{"app_private_key.pem", "app_private_key_pkcs8.pem", "app_public_key.pem", "alipay_public_key.pem"} {
		text := readFixture(f, name)
		f.Add(text)
		f.Add(bareBody(text))
		f.Add(text[:len(text)/2])
	}
	f.Add("")
	f.Add("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n")
	f.Add("MIIB")
	f.Add("====")
}

func FuzzParsePrivateKey(f *testing.F) {
	keySeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		k, err := sign.ParsePrivateKey(text)
		if (k == nil) == (err == nil) {
			t.Fatalf("key %v with error %v", k != nil, err)
		}
	})
}

func FuzzParsePublicKey(f *testing.F) {
	keySeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		k, err := sign.ParsePublicKey(text)
		if (k == nil) == (err == nil) {
			t.Fatalf("key %v with error %v", k != nil, err)
		}
	})
}
