package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
)

// apps lists the sandbox apps; "apps create" and "apps show" are its
// subcommands.
func apps(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "create":
			return appsCreate(ctx, args[1:], getenv, stdout, stderr)
		case "show":
			return appsShow(ctx, args[1:], getenv, stdout, stderr)
		}
	}
	fl := newFlags("apps [flags]  |  apps create [flags]  |  apps show <app_id>",
		"List the sandbox apps. \"apps create\" registers a new one (with generated keys, or your public key);\n\"apps show <app_id>\" prints an app's keys.", stderr).remote(getenv).readable()
	_, c, err := fl.start(args, 0, "")
	if err != nil {
		return err
	}
	var list []appJSON
	raw, err := c.get(ctx, "/apps", nil, &list)
	if err != nil {
		return err
	}
	return fl.show(stdout, raw, func() error {
		tw := table(stdout, "APP_ID", "SIGN_TYPE", "PID", "NAME")
		for _, a := range list {
			if a.Protocol != "legacy" {
				row(tw, a.AppID, a.SignType, a.PID, a.Name)
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		return showPartners(stdout, list)
	})
}

func appsShow(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("apps show [flags] <app_id>", "Print an app and its keys (PEM), ready to paste into an SDK's configuration.", stderr).remote(getenv).readable()
	rest, c, err := fl.start(args, 1, "an app_id")
	if err != nil {
		return err
	}
	var a appJSON
	raw, err := c.get(ctx, "/apps/"+url.PathEscape(rest[0]), nil, &a)
	if err != nil {
		return err
	}
	return fl.show(stdout, raw, func() error { printApp(stdout, a); return nil })
}

func appsCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("apps create [flags]", "Register a sandbox app with its own app_id and pid, and print it with its keys.\nWithout --public-key mockpay generates the app's key pair; with it, mockpay holds no private key.", stderr).remote(getenv).readable()
	name := fl.String("name", "", "the app's name")
	signType := fl.String("sign-type", "RSA2", "RSA2 (SHA256withRSA) or RSA (SHA1withRSA)")
	pubFile := fl.String("public-key", "", "PEM `file` of your own app public key")
	_, c, err := fl.start(args, 0, "")
	if err != nil {
		return err
	}
	body := map[string]string{"name": *name, "sign_type": *signType}
	if *pubFile != "" {
		b, err := os.ReadFile(*pubFile)
		if err != nil {
			return err
		}
		body["app_public_key_pem"] = string(b)
	}
	var a appJSON
	raw, err := c.post(ctx, "/apps", body, &a)
	if err != nil {
		return err
	}
	return fl.show(stdout, raw, func() error {
		fmt.Fprintf(stdout, "created app %s\n\n", a.AppID)
		printApp(stdout, a)
		return nil
	})
}

// printApp shows an app and its keys, each key saying what it is for.
func printApp(w io.Writer, a appJSON) {
	if a.Protocol == "legacy" {
		printPartner(w, a)
		return
	}
	fmt.Fprintf(w, "app_id:     %s\nname:       %s\npid:        %s\nsign_type:  %s\ngateway:    %s\n", a.AppID, a.Name, a.PID, a.SignType, a.GatewayURL)
	printKeys(w, a)
}

// printKeys prints an app's (or an RSA partner's) PEM keys.
func printKeys(w io.Writer, a appJSON) {
	keys := []struct{ label, pem string }{
		{"app private key, PKCS#1 (app_private_key_pem): your SDK signs requests with it", a.AppPrivateKeyPEM},
		{"app private key, PKCS#8 (app_private_key_pkcs8_pem): the same key, for SDKs that want PKCS#8", a.AppPrivateKeyPKCS8PEM},
		{"app public key (app_public_key_pem): mockpay verifies your requests with it", a.AppPublicKeyPEM},
		{"alipay public key (alipay_public_key_pem): your SDK verifies responses, returns and notifications with it", a.AlipayPublicKeyPEM},
	}
	for _, k := range keys {
		fmt.Fprintf(w, "\n%s:\n", k.label)
		if k.pem == "" {
			fmt.Fprintln(w, "  (none: the app was registered with your own public key)")
			continue
		}
		fmt.Fprintln(w, strings.TrimRight(k.pem, "\n"))
	}
}
