package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mockpay/mockpay/controlapi"
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
	list, err := c.Apps(ctx)
	if err != nil {
		return err
	}
	return fl.show(stdout, c.raw, func() error {
		tw := table(stdout, "APP_ID", "SIGN_TYPE", "PID", "NAME")
		for _, e := range list {
			if a := e.App; a != nil && !unsigned(e) {
				row(tw, a.AppID, a.SignType, a.PID, a.Name)
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if err := showPartners(stdout, list); err != nil {
			return err
		}
		return showOthers(stdout, list)
	})
}

func appsShow(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("apps show [flags] <app_id>", "Print an app and its keys (PEM), ready to paste into an SDK's configuration.", stderr).remote(getenv).readable()
	rest, c, err := fl.start(args, 1, "an app_id")
	if err != nil {
		return err
	}
	a, err := c.App(ctx, rest[0])
	if err != nil {
		return err
	}
	return fl.show(stdout, c.raw, func() error { printApp(stdout, a); return nil })
}

func appsCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("apps create [flags]", "Register a sandbox app with its own app_id and pid, and print it with its keys.\nWithout --public-key mockpay generates the app's key pair; with it, mockpay holds no private key.", stderr).remote(getenv).readable()
	name := fl.String("name", "", "the app's name")
	signType := fl.String("sign-type", "RSA2", "RSA2 (SHA256withRSA) or RSA (SHA1withRSA)")
	pubFile := fl.String("public-key", "", "PEM `file` of your own app public key")
	refundDays := fl.Int("refund-window-days", 0, "`days` a paid trade stays refundable before it is TRADE_FINISHED (0: the platform's default, 365)")
	protocol := fl.String("protocol", "", "the app's platform: openapi (Alipay, the default) or wechatpay (a WeChat Pay merchant)")
	keyMode := fl.String("key-mode", "public_key", "public_key, or certificate: the app's certificates are issued by mockpay's local CA (download them with the apps API's /certs)")
	_, c, err := fl.start(args, 0, "")
	if err != nil {
		return err
	}
	req := controlapi.CreateAppRequest{Name: *name, SignType: *signType, RefundWindowDays: *refundDays, KeyMode: *keyMode, Protocol: *protocol}
	if *pubFile != "" {
		b, err := os.ReadFile(*pubFile)
		if err != nil {
			return err
		}
		req.AppPublicKeyPEM = string(b)
	}
	a, err := c.CreateApp(ctx, req)
	if err != nil {
		return err
	}
	return fl.show(stdout, c.raw, func() error {
		fmt.Fprintf(stdout, "created app %s\n\n", a.AppID)
		printOpenAPIApp(stdout, a)
		return nil
	})
}

// printApp shows an app or a legacy partner and its keys, each key saying
// what it is for.
func printApp(w io.Writer, e controlapi.AppEntry) {
	if e.Partner != nil {
		printPartner(w, *e.Partner)
		return
	}
	if e.Other != nil {
		printOther(w, e.Other)
		return
	}
	printOpenAPIApp(w, *e.App)
}

func printOpenAPIApp(w io.Writer, a controlapi.App) {
	fmt.Fprintf(w, "app_id:     %s\nname:       %s\npid:        %s\nsign_type:  %s\ngateway:    %s\n", a.AppID, a.Name, a.PID, a.SignType, a.GatewayURL)
	if a.AppCertSN != "" {
		fmt.Fprintf(w, "key_mode:   certificate (files: GET /_mockpay/api/apps/%s/certs)\napp_cert_sn:         %s\nalipay_cert_sn:      %s\nalipay_root_cert_sn: %s\n",
			a.AppID, a.AppCertSN, a.AlipayCertSN, a.AlipayRootCertSN)
	}
	printKeys(w, a.AppPrivateKeyPEM, a.AppPrivateKeyPKCS8PEM, a.AppPublicKeyPEM, a.AlipayPublicKeyPEM)
}

// printKeys prints an app's (or an RSA partner's) PEM keys.
func printKeys(w io.Writer, private, privatePKCS8, public, alipay string) {
	keys := []struct{ label, pem string }{
		{"app private key, PKCS#1 (app_private_key_pem): your SDK signs requests with it", private},
		{"app private key, PKCS#8 (app_private_key_pkcs8_pem): the same key, for SDKs that want PKCS#8", privatePKCS8},
		{"app public key (app_public_key_pem): mockpay verifies your requests with it", public},
		{"alipay public key (alipay_public_key_pem): your SDK verifies responses, returns and notifications with it", alipay},
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
