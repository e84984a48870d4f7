package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// certsCmd lists a certificate-mode app's certificates ("certs list") and
// downloads one file ("certs get"), the files a cert-mode SDK is given.
func certsCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "list":
			return certsList(ctx, args[1:], getenv, stdout, stderr)
		case "get":
			return certsGet(ctx, args[1:], getenv, stdout, stderr)
		}
	}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return usageError{fmt.Sprintf("certs %q: use certs list <app_id> or certs get <app_id> <file>", args[0])}
	}
	return certsList(ctx, args, getenv, stdout, stderr)
}

func certsList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("certs list [flags] <app_id>",
		"List a certificate-mode app's certificates: their SNs and the files to download (certs get).", stderr).remote(getenv).readable()
	rest, c, err := fl.start(args, 1, "an app_id")
	if err != nil {
		return err
	}
	certs, err := c.Certs(ctx, rest[0])
	if err != nil {
		return err
	}
	return fl.show(stdout, c.raw, func() error {
		tw := table(stdout)
		var keys []string
		for k := range certs.Fields {
			if strings.HasSuffix(k, "_sn") || k == "app_id" {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			row(tw, k, fmt.Sprint(certs.Fields[k]))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(stdout)
		tw = table(stdout, "FILE", "URL")
		var names []string
		for n := range certs.Files {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			row(tw, n, certs.Files[n])
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		_, err := fmt.Fprintf(stdout, "\ndownload one with: mockpay certs get %s <FILE> -o <FILE>\n", rest[0])
		return err
	})
}

func certsGet(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("certs get [flags] <app_id> <file>",
		"Download one certificate file (a PEM) of a certificate-mode app, to stdout or -o FILE.", stderr).remote(getenv)
	out := fl.String("o", "", "write the file here instead of stdout")
	rest, c, err := fl.start(args, 2, "an app_id and a file name (certs list shows them)")
	if err != nil {
		return err
	}
	pem, err := c.CertFile(ctx, rest[0], rest[1])
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(pem)
		return err
	}
	if err := os.WriteFile(*out, pem, 0o644); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", *out, len(pem))
	return err
}
