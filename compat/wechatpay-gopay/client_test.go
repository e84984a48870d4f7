package wechatpaygopay

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	wechat "github.com/go-pay/gopay/wechat/v3"
)

// route is one documented way of reaching mockpay.
type route struct {
	name string
	// setup configures a fresh client; nil for the HTTPS_PROXY route, which
	// needs no option at all (the environment set in TestMain does it).
	setup func(c *wechat.ClientV3, a wxApp)
}

var routes = []route{
	{"SetProxyHost", func(c *wechat.ClientV3, a wxApp) { c.SetProxyHost(a.APIBaseURL) }},
	{"HTTPS_PROXY", nil},
}

// newClient builds gopay's client from the apps API fields alone and turns
// on its answer verification the way the merchant's key mode asks:
// AutoVerifySign downloads /v3/certificates (certificate mode),
// AutoVerifySignByPublicKey takes the PUB_KEY_ID_ key (public-key mode).
func newClient(t *testing.T, r route, a wxApp) *wechat.ClientV3 {
	t.Helper()
	c, err := wechat.NewClientV3(a.MchID, a.MerchantSerialNo, a.APIv3Key, a.MerchantPrivateKeyPEM)
	if err != nil {
		t.Fatalf("NewClientV3 with the apps API's fields: %v", err)
	}
	if r.setup != nil {
		r.setup(c, a)
	}
	switch a.PlatformKeyMode {
	case "certificate":
		if err := c.AutoVerifySign(false); err != nil {
			t.Fatalf("AutoVerifySign (GET /v3/certificates): %v", err)
		}
	case "public_key":
		if err := c.AutoVerifySignByPublicKey([]byte(a.PlatformPublicKeyPEM), a.PlatformPublicKeyID); err != nil {
			t.Fatalf("AutoVerifySignByPublicKey: %v", err)
		}
	default:
		t.Fatalf("platform_key_mode %q", a.PlatformKeyMode)
	}
	return c
}

// platformKey is the key the apps API says signs this merchant's answers.
func platformKey(t *testing.T, a wxApp) (serial string, key *rsa.PublicKey) {
	t.Helper()
	if a.PlatformKeyMode == "certificate" {
		blk, _ := pem.Decode([]byte(a.PlatformCertificatePEM))
		if blk == nil {
			t.Fatalf("platform_certificate_pem is not PEM: %q", a.PlatformCertificatePEM)
		}
		cert, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			t.Fatalf("platform_certificate_pem: %v", err)
		}
		return a.PlatformSerialNo, cert.PublicKey.(*rsa.PublicKey)
	}
	blk, _ := pem.Decode([]byte(a.PlatformPublicKeyPEM))
	if blk == nil {
		t.Fatalf("platform_public_key_pem is not PEM: %q", a.PlatformPublicKeyPEM)
	}
	pub, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		t.Fatalf("platform_public_key_pem: %v", err)
	}
	return a.PlatformPublicKeyID, pub.(*rsa.PublicKey)
}

var seq atomic.Int64

// newOutTradeNo is 6–32 chars of [0-9A-Za-z_-|*] (§2.5).
func newOutTradeNo(tag string) string {
	return fmt.Sprintf("GP%s%s%d", tag, strconv.FormatInt(time.Now().UnixNano(), 36), seq.Add(1))
}

// forEach runs fn for every route and both key modes.
func forEach(t *testing.T, fn func(t *testing.T, r route, a wxApp)) {
	for _, r := range routes {
		for _, mode := range []string{"certificate", "public_key"} {
			t.Run(r.name+"/"+mode, func(t *testing.T) { fn(t, r, merchant(t, mode)) })
		}
	}
}
