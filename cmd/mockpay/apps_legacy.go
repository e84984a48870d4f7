package main

import (
	"fmt"
	"io"

	"github.com/mockpay/mockpay/controlapi"
)

// showPartners lists the legacy MAPI partners after the apps table: they
// sign with an MD5 key (or RSA) and are named by their pid.
func showPartners(w io.Writer, list []controlapi.AppEntry) error {
	var partners []controlapi.Partner
	for _, e := range list {
		if e.Partner != nil {
			partners = append(partners, *e.Partner)
		}
	}
	if len(partners) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	tw := table(w, "LEGACY_PARTNER", "SIGN_TYPE", "MD5_KEY", "NAME")
	for _, p := range partners {
		row(tw, p.PID, p.SignType, p.MD5Key, p.Name)
	}
	return tw.Flush()
}

// printPartner prints a legacy partner: what a service-based shop
// configures (partner, key, seller), and the RSA keys of an RSA partner.
func printPartner(w io.Writer, a controlapi.Partner) {
	fmt.Fprintf(w, "partner:      %s\nname:         %s\nsign_type:    %s\nmd5_key:      %s\nseller_id:    %s\nseller_email: %s\ngateway:      %s\n",
		a.PID, a.Name, a.SignType, a.MD5Key, a.PID, a.SellerEmail, a.GatewayURL)
	if a.AppPrivateKeyPEM != "" {
		printKeys(w, a.AppPrivateKeyPEM, a.AppPrivateKeyPKCS8PEM, a.AppPublicKeyPEM, a.AlipayPublicKeyPEM)
	}
}
