package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/internal/merchant"
)

// offline runs a command with no server anywhere.
func offline(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, envFunc(map[string]string{"MOCKPAY_URL": "http://127.0.0.1:1"}), &out, &out)
	return out.String(), err
}

func field(t *testing.T, out, name string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("no %s: in\n%s", name, out)
	return ""
}

const signForm = "app_id=2021000122600001&method=alipay.trade.query&charset=utf-8&sign_type=RSA2" +
	"&timestamp=2026-05-01+10%3A00%3A00&version=1.0&biz_content=%7B%22out_trade_no%22%3A%22%E8%AE%A2%E5%8D%951%22%7D"

// TestSignMatchesAnIndependentSigner: mockpay sign prints the canonical
// string and the signature an SDK written from the protocol makes (RSA
// PKCS#1 v1.5 is deterministic), with either key format.
func TestSignMatchesAnIndependentSigner(t *testing.T) {
	v, _ := url.ParseQuery(signForm)
	m, err := merchant.New("", fixtureApp, readFile(t, fixtureFile(t, fixtureApp, "app_private_key.pem")), readFile(t, fixtureFile(t, fixtureApp, "alipay_public_key.pem")), "RSA2")
	if err != nil {
		t.Fatal(err)
	}
	want := m.Sign(v)
	for _, key := range []string{"app_private_key.pem", "app_private_key_pkcs8.pem"} {
		out, err := offline(t, "sign", "--key", fixtureFile(t, fixtureApp, key), signForm)
		if err != nil {
			t.Fatalf("%s: %v\n%s", key, err, out)
		}
		if got := field(t, out, "canonical"); got != merchant.Canonical(v, "sign") ||
			got != `app_id=2021000122600001&biz_content={"out_trade_no":"订单1"}&charset=utf-8&method=alipay.trade.query&sign_type=RSA2&timestamp=2026-05-01 10:00:00&version=1.0` {
			t.Errorf("%s: canonical %q", key, got)
		}
		if got := field(t, out, "sign"); got != want {
			t.Errorf("%s: sign %q, want %q", key, got, want)
		}
		// The signed form is ready to send: it verifies.
		form, err := url.ParseQuery(field(t, out, "form"))
		if err != nil || form.Get("sign") != want || form.Get("biz_content") != v.Get("biz_content") {
			t.Errorf("%s: form %v %v", key, form, err)
		}
	}

	// --notification leaves sign_type out (§3.3); --sign-type RSA signs SHA1.
	out, err := offline(t, "sign", "--notification", "--key", fixtureFile(t, fixtureApp, "alipay_private_key.pem"), signForm)
	if err != nil || field(t, out, "canonical") != merchant.Canonical(v, "sign", "sign_type") {
		t.Errorf("--notification: %v\n%s", err, out)
	}
	rsaForm := strings.Replace(signForm, "RSA2", "RSA", 1)
	out, err = offline(t, "sign", "--key", fixtureFile(t, "2021000122600002", "app_private_key.pem"), "--sign-type", "RSA", rsaForm)
	if err != nil {
		t.Fatal(err)
	}
	rv, _ := url.ParseQuery(rsaForm)
	m2, _ := merchant.New("", "2021000122600002", readFile(t, fixtureFile(t, "2021000122600002", "app_private_key.pem")), readFile(t, fixtureFile(t, fixtureApp, "alipay_public_key.pem")), "RSA")
	if field(t, out, "sign") != m2.Sign(rv) || field(t, out, "sign_type") != "RSA" {
		t.Errorf("RSA:\n%s", out)
	}

	for _, args := range [][]string{
		{"sign", signForm}, // no key
		{"sign", "--key", fixtureFile(t, fixtureApp, "app_private_key.pem"), "--sign-type", "RSA", signForm}, // contradicts sign_type=RSA2
		{"sign", "--key", fixtureFile(t, fixtureApp, "app_private_key.pem"), "a=1", "b=2"},                   // unquoted
		{"sign", "--key", fixtureFile(t, fixtureApp, "app_private_key.pem"), "--sign-type", "MD5", "a=1"},
	} {
		if _, err := offline(t, args...); exitCode(err) != 2 {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
	if _, err := offline(t, "sign", "--key", fixtureFile(t, fixtureApp, "app_public_key.pem"), signForm); err == nil {
		t.Error("signed with a public key")
	}
}

// TestVerifyExplains: mockpay verify says OK, or names the first
// explanation that holds and prints the string it verified.
func TestVerifyExplains(t *testing.T) {
	key1 := fixtureFile(t, fixtureApp, "app_private_key.pem")
	pub1 := fixtureFile(t, fixtureApp, "app_public_key.pem")
	key2pkcs8 := fixtureFile(t, "2021000122600002", "app_private_key_pkcs8.pem") // another key pair
	signed := func(key string, extra ...string) string {
		out, err := offline(t, append([]string{"sign", "--key", key}, append(extra, signForm)...)...)
		if err != nil {
			t.Fatal(err)
		}
		return field(t, out, "form")
	}
	good := signed(key1)
	canonical := `app_id=2021000122600001&biz_content={"out_trade_no":"订单1"}&charset=utf-8&method=alipay.trade.query&sign_type=RSA2&timestamp=2026-05-01 10:00:00&version=1.0`

	out, err := offline(t, "verify", "--public-key", pub1, good)
	if err != nil || !strings.HasPrefix(out, "OK: the signature verifies (RSA2, request rule") || !strings.Contains(out, "\n"+canonical+"\n") {
		t.Errorf("good: %v\n%s", err, out)
	}

	// (d) signed with the other app's PKCS#8 key.
	foreign := signed(key2pkcs8)
	out, err = offline(t, "verify", "--public-key", pub1, "--private-key", key2pkcs8, foreign)
	if err != errNotVerified || exitCode(err) != 1 {
		t.Errorf("foreign key: %v", err)
	}
	for _, want := range []string{"NOT OK (key_pair): wrong key pair", `PKCS#8 ("BEGIN PRIVATE KEY")`, "keyType: 'PKCS8'", "canonical string mockpay verified (RSA2, request rule", canonical} {
		if !strings.Contains(out, want) {
			t.Errorf("foreign key output lacks %q:\n%s", want, out)
		}
	}

	// (f) without the private key: another key or other content, and the string.
	out, _ = offline(t, "verify", "--public-key", pub1, foreign)
	if !strings.Contains(out, "NOT OK (unexplained): the signature was made over different content or with another key") || !strings.Contains(out, canonical) {
		t.Errorf("unexplained:\n%s", out)
	}

	// (e) the SDK's logged string differs from what arrived.
	tampered := strings.Replace(good, "version=1.0", "version=1.0&return_url=http%3A%2F%2Fshop%2Fr", 1)
	out, _ = offline(t, "verify", "--public-key", pub1, "--canonical", canonical, tampered)
	if !strings.Contains(out, "NOT OK (content_differs)") || !strings.Contains(out, "return_url is only in mockpay's string") {
		t.Errorf("content differs:\n%s", out)
	}

	// (a) RSA (SHA1) signature under sign_type=RSA2, from stdin.
	stdin = strings.NewReader(signedWithSHA1(t, key1))
	defer func() { stdin = os.Stdin }()
	out, _ = offline(t, "verify", "--public-key", pub1)
	if !strings.Contains(out, "NOT OK (sign_type_mismatch)") {
		t.Errorf("sign_type mismatch:\n%s", out)
	}
}

// signedWithSHA1 is signForm signed with SHA1 over its RSA2 canonical
// string: a client whose sign_type and algorithm disagree.
func signedWithSHA1(t *testing.T, keyFile string) string {
	t.Helper()
	v, _ := url.ParseQuery(signForm)
	m, err := merchant.New("", fixtureApp, readFile(t, keyFile), readFile(t, fixtureFile(t, fixtureApp, "alipay_public_key.pem")), "RSA")
	if err != nil {
		t.Fatal(err)
	}
	return signForm + "&sign=" + url.QueryEscape(m.Sign(v))
}

// TestVerifyWhatMockpaySends: a notification body and a return URL from a
// running mockpay verify offline with the alipay public key by the
// notification rule, and not by the request rule.
func TestVerifyWhatMockpaySends(t *testing.T) {
	s := newSandbox(t)
	s.order("VERIFY-1", "3.00")
	out := s.mustCLI("pay", "--app", fixtureApp, "--out-trade-no", "VERIFY-1")
	body := <-s.shop.received
	file := filepath.Join(t.TempDir(), "notify.txt")
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	alipayPub := fixtureFile(t, fixtureApp, "alipay_public_key.pem")
	if got, err := offline(t, "verify", "--notification", "--public-key", alipayPub, "--form-file", file); err != nil || !strings.HasPrefix(got, "OK") {
		t.Errorf("notification: %v\n%s", err, got)
	}
	got, err := offline(t, "verify", "--public-key", alipayPub, "--form-file", file)
	if err == nil || !strings.Contains(got, "NOT OK (canonical_rule): wrong canonical rule: it verifies with sign_type left out") {
		t.Errorf("notification by the request rule: %v\n%s", err, got)
	}
	var returnURL string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, s.shop.URL+"/return?") {
			returnURL = line
		}
	}
	if got, err := offline(t, "verify", "--notification", "--public-key", alipayPub, returnURL); err != nil || !strings.HasPrefix(got, "OK") {
		t.Errorf("return URL: %v\n%s", err, got)
	}
}
