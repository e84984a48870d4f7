package wechatpaygo

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/verifiers"
	"github.com/wechatpay-apiv3/wechatpay-go/core/downloader"
	"github.com/wechatpay-apiv3/wechatpay-go/core/option"
	"github.com/wechatpay-apiv3/wechatpay-go/services/certificates"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/native"
)

// TestProxyAutoDownloader: the SDK as its README sets it up, unchanged
// (WithWechatPayAutoAuthCipher, the real host compiled in), reaching
// mockpay through HTTPS_PROXY with SSL_CERT_FILE; its automatic
// certificate downloader goes the same way.
func TestProxyAutoDownloader(t *testing.T) {
	m := merchantIn(t, "certificate")
	ctx := context.Background()
	c, err := core.NewClient(ctx, option.WithWechatPayAutoAuthCipher(m.MchID, m.MerchantSerialNo, merchantKey(t, m), m.APIv3Key))
	if err != nil {
		t.Fatalf("NewClient (downloads /v3/certificates through the proxy): %v", err)
	}
	mgr := downloader.MgrInstance()
	if got := mgr.GetNewestCertificateSerial(ctx, m.MchID); got != m.PlatformSerialNo {
		t.Fatalf("downloaded platform serial %q, apps API says %q", got, m.PlatformSerialNo)
	}
	s := newShop(t, m.APIv3Key, verifiers.NewSHA256WithRSAVerifier(mgr.GetCertificateVisitor(m.MchID)))
	runLoop(t, c, m, s)
	t.Run("certificates", func(t *testing.T) { downloadCertificates(t, c, m) })
}

// rewrite sends every request to mockpay's plain-HTTP port: the host is
// not signed (only the path and query are), so rewriting it is safe (§2.2).
type rewrite struct{ to *url.URL }

func (r rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host = r.to.Scheme, r.to.Host
	return (&http.Transport{Proxy: nil}).RoundTrip(req)
}

// TestHTTPClientDownloader: no proxy; option.WithHTTPClient with a
// host-rewriting transport, and the certificate downloader registered with
// a client of the same transport (RegisterDownloaderWithClient), since the
// downloader ignores WithHTTPClient.
func TestHTTPClientDownloader(t *testing.T) {
	m := merchantIn(t, "certificate")
	ctx := context.Background()
	to, _ := url.Parse(m.APIBaseURL)
	hc := &http.Client{Transport: rewrite{to}}
	key := merchantKey(t, m)
	dl, err := core.NewClient(ctx, option.WithHTTPClient(hc), option.WithMerchantCredential(m.MchID, m.MerchantSerialNo, key), option.WithoutValidator())
	if err != nil {
		t.Fatal(err)
	}
	mgr := downloader.NewCertificateDownloaderMgr(ctx)
	defer mgr.Stop()
	if err := mgr.RegisterDownloaderWithClient(ctx, dl, m.MchID, m.APIv3Key); err != nil {
		t.Fatalf("RegisterDownloaderWithClient: %v", err)
	}
	c, err := core.NewClient(ctx, option.WithHTTPClient(hc), option.WithWechatPayAutoAuthCipherUsingDownloaderMgr(m.MchID, m.MerchantSerialNo, key, mgr))
	if err != nil {
		t.Fatal(err)
	}
	s := newShop(t, m.APIv3Key, verifiers.NewSHA256WithRSAVerifier(mgr.GetCertificateVisitor(m.MchID)))
	runLoop(t, c, m, s)
}

// TestPublicKeyMode: a merchant in platform-public-key mode
// (WithWechatPayPublicKeyAuthCipher, no download): answers and
// notifications are signed under its PUB_KEY_ID_…, and /v3/certificates
// is an error for it, as on the platform.
func TestPublicKeyMode(t *testing.T) {
	m := merchantIn(t, "public_key")
	ctx := context.Background()
	pub := publicKeyVerifier(t, m)
	pk, err := loadPub(m.PlatformPublicKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	c, err := core.NewClient(ctx, option.WithWechatPayPublicKeyAuthCipher(m.MchID, m.MerchantSerialNo, merchantKey(t, m), m.PlatformPublicKeyID, pk))
	if err != nil {
		t.Fatal(err)
	}
	s := newShop(t, m.APIv3Key, pub)
	runLoop(t, c, m, s)
	_, res, err := (&certificates.CertificatesApiService{Client: c}).DownloadCertificates(ctx)
	if err == nil {
		t.Fatalf("a public-key merchant downloaded certificates: %v", res)
	}
	apiErr(t, err, 404, "RESOURCE_NOT_EXISTS")
}

// downloadCertificates: the SDK's own certificates service decrypts the
// platform certificate with the APIv3 key.
func downloadCertificates(t *testing.T, c *core.Client, m merchant) {
	ctx := context.Background()
	rsp, _, err := (&certificates.CertificatesApiService{Client: c}).DownloadCertificates(ctx)
	if err != nil || len(rsp.Data) == 0 {
		t.Fatalf("DownloadCertificates: %v %v", err, rsp)
	}
	d := rsp.Data[0]
	if *d.SerialNo != m.PlatformSerialNo || *d.EncryptCertificate.AssociatedData != "certificate" || len(*d.EncryptCertificate.Nonce) != 12 {
		t.Errorf("certificate entry: %v", d)
	}
}

// TestBadSignature: a request signed with another merchant's key is 401
// SIGN_ERROR.
func TestBadSignature(t *testing.T) {
	m, other := merchantIn(t, "certificate"), merchantIn(t, "public_key")
	ctx := context.Background()
	c, err := core.NewClient(ctx, option.WithMerchantCredential(m.MchID, m.MerchantSerialNo, merchantKey(t, other)), option.WithoutValidator())
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = (&native.NativeApiService{Client: c}).QueryOrderByOutTradeNo(ctx, native.QueryOrderByOutTradeNoRequest{OutTradeNo: core.String("ANY_ORDER_1"), Mchid: core.String(m.MchID)})
	apiErr(t, err, 401, "SIGN_ERROR")
}
