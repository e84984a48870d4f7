package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mockpay/mockpay/ca"
	"github.com/mockpay/mockpay/store/postgres"
)

// caFiles adds --ca-cert and --ca-key (the local CA's files; by default
// beside the database).
func caFiles(fl *cmdFlags, getenv func(string) string) (certFile, keyFile *string) {
	certFile = fl.String("ca-cert", getenv("MOCKPAY_CA_CERT"), "the local CA's certificate, PEM (env MOCKPAY_CA_CERT; default beside the database: <db name>-ca.pem, made on first start)")
	keyFile = fl.String("ca-key", getenv("MOCKPAY_CA_KEY"), "the local CA's private key, PEM (env MOCKPAY_CA_KEY; default <db name>-ca-key.pem, mode 0600)")
	return certFile, keyFile
}

// caCmd prints the local CA's certificate: what SSL_CERT_FILE,
// NODE_EXTRA_CA_CERTS or an SDK's trust option names. It reads (or, before
// the first serve, makes) the same files serve uses, so it works while
// serve runs and without a server.
func caCmd(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("ca [flags]", "Print the local CA certificate that mockpay's HTTPS and proxy mode present (PEM, to stdout).", stderr)
	dbPath := fl.String("db", envOr(getenv, "MOCKPAY_DB", "mockpay.db"), "SQLite database file (env MOCKPAY_DB) the CA is kept beside")
	certFile, keyFile := caFiles(fl, getenv)
	if err := fl.Parse(args); err != nil {
		return flagError(err)
	}
	if fl.NArg() > 0 {
		return usageError{fmt.Sprintf("ca takes no arguments, got %q", fl.Args())}
	}
	var local *ca.Local
	var err error
	switch {
	case *certFile != "" && *keyFile != "":
		local, err = ca.LoadLocal(*certFile, *keyFile)
	case *certFile != "" || *keyFile != "":
		return usageError{"give both --ca-cert and --ca-key, or neither"}
	case postgres.IsURL(*dbPath):
		// A shared database has no file to keep the CA beside: replicas
		// share theirs through --ca-cert and --ca-key.
		return usageError{"on PostgreSQL the CA is not kept beside the database: give --ca-cert and --ca-key (or --db FILE to make one beside FILE)"}
	default:
		local, err = ca.LoadOrCreateLocal(ca.LocalFiles(*dbPath))
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(stdout, local.CertPEM)
	return err
}

// tlsNames is --tls-name, given once per name or comma-separated.
type tlsNames []string

func (n *tlsNames) String() string { return strings.Join(*n, ",") }

func (n *tlsNames) Set(v string) error {
	for _, name := range strings.Split(v, ",") {
		if name = strings.TrimSpace(name); name != "" {
			*n = append(*n, name)
		}
	}
	if len(*n) == 0 {
		return errors.New("empty name")
	}
	return nil
}
