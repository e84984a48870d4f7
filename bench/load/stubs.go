package main

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strings"

	"github.com/mockpay/mockpay/internal/merchant"
)

// The ceilings that are servers run as their own processes, like mockpay,
// so their CPU is read from /proc the same way and they compete with wrk
// for the same cores.

// staticStub answers every request with a constant: the cost of Go's HTTP
// server alone.
func staticStub() http.Handler {
	body := []byte("ok")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(body)
	})
}

// verifyStub is the work page.pay cannot skip: parse the form, rebuild the
// signed content (every parameter but sign, sorted, alipay-protocol.md
// §2.3) and verify RSA2 with the app's public key, then redirect with 303
// as mockpay does. It stores nothing.
func verifyStub(pub *rsa.PublicKey) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_mockpay/") {
			w.Write([]byte("ok"))
			return
		}
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		sig, err := base64.StdEncoding.DecodeString(r.PostForm.Get("sign"))
		sum := sha256.Sum256([]byte(merchant.Canonical(r.PostForm, "sign")))
		if err != nil || rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig) != nil {
			http.Error(w, "bad sign", http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, "/cashier/stub", http.StatusSeeOther)
	})
}

// runStub is `load stub static|verify ADDR [PUBLIC_KEY_PEM_FILE]`.
func runStub(args []string) error {
	if len(args) < 2 {
		return fmt.Errorf("usage: load stub static|verify ADDR [PUBLIC_KEY_FILE]")
	}
	var h http.Handler
	switch args[0] {
	case "static":
		h = staticStub()
	case "verify":
		if len(args) < 3 {
			return fmt.Errorf("verify stub needs the public key file")
		}
		pem, err := os.ReadFile(args[2])
		if err != nil {
			return err
		}
		pub, err := merchant.ParsePublicKey(string(pem))
		if err != nil {
			return err
		}
		h = verifyStub(pub)
	default:
		return fmt.Errorf("unknown stub %q", args[0])
	}
	srv := &http.Server{Addr: args[1], Handler: h}
	go func() {
		c := make(chan os.Signal, 1)
		signal.Notify(c, os.Interrupt)
		<-c
		srv.Close()
	}()
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		return err
	}
	return nil
}
