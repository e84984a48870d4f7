package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCAPrintsTheCABesideTheDatabase: `mockpay ca` makes (or reads) the
// same files serve uses and prints the certificate, never the key.
func TestCAPrintsTheCABesideTheDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shop.db")
	var first, second, stderr bytes.Buffer
	for _, out := range []*bytes.Buffer{&first, &second} {
		if err := run(context.Background(), []string{"ca", "--db", db}, envFunc(nil), out, &stderr); err != nil {
			t.Fatalf("mockpay ca: %v %s", err, stderr.String())
		}
	}
	if !strings.HasPrefix(first.String(), "-----BEGIN CERTIFICATE-----") || strings.Contains(first.String(), "PRIVATE") {
		t.Fatalf("mockpay ca printed %q", first.String())
	}
	if first.String() != second.String() {
		t.Error("a second mockpay ca printed another CA")
	}
	if b, err := os.ReadFile(filepath.Join(filepath.Dir(db), "shop-ca.pem")); err != nil || string(b) != first.String() {
		t.Errorf("shop-ca.pem: %v", err)
	}
	if err := run(context.Background(), []string{"ca", "--ca-cert", "x.pem"}, envFunc(nil), &first, &stderr); exitCode(err) != 2 {
		t.Errorf("--ca-cert without --ca-key: %v, want a usage error", err)
	}
}
