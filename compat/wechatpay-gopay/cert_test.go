package wechatpaygopay

import (
	"testing"

	"github.com/go-pay/crypto/xpem"
	wechat "github.com/go-pay/gopay/wechat/v3"
)

// TestCertificates: a certificate-mode merchant downloads its platform
// certificate with gopay (GET /v3/certificates, decrypted with the APIv3
// key) and gets the one the apps API lists; a public-key-mode merchant gets
// an error there (§2.4, P-V3-10) and verifies with the PUB_KEY_ID_ key.
func TestCertificates(t *testing.T) {
	for _, r := range routes {
		t.Run(r.name+"/certificate", func(t *testing.T) {
			a := merchant(t, "certificate")
			c := newClient(t, r, a)
			serial, certs, err := c.GetAndSelectNewestCert()
			if err != nil {
				t.Fatalf("GetAndSelectNewestCert: %v", err)
			}
			if serial != a.PlatformSerialNo || c.WxSerialNo != a.PlatformSerialNo {
				t.Fatalf("newest platform serial %q (client %q), apps API says %q", serial, c.WxSerialNo, a.PlatformSerialNo)
			}
			got, err := xpem.DecodePublicKey([]byte(certs[serial]))
			if err != nil {
				t.Fatalf("decrypted certificate: %v\n%s", err, certs[serial])
			}
			_, want := platformKey(t, a)
			if !got.Equal(want) {
				t.Fatalf("downloaded platform certificate's key differs from platform_certificate_pem's")
			}
			// The same with ?algorithm_type=RSA, which gopay signs as part of
			// the request target (P-V3-5).
			if rsaSerial, _, err := c.GetAndSelectNewestCertRSA(); err != nil || rsaSerial != a.PlatformSerialNo {
				t.Fatalf("GetAndSelectNewestCertRSA: %q, %v", rsaSerial, err)
			}
		})
		t.Run(r.name+"/public_key", func(t *testing.T) {
			a := merchant(t, "public_key")
			c := newClient(t, r, a)
			if _, _, err := c.GetAndSelectNewestCert(); err == nil {
				t.Fatalf("GET /v3/certificates succeeded for a public-key-mode merchant")
			}
			id, want := platformKey(t, a)
			if c.WxSerialNo != id || !c.WxPublicKey().Equal(want) {
				t.Fatalf("client serial %q, want %q", c.WxSerialNo, id)
			}
			// Its answers are signed with that key: a query gopay verifies.
			s := newShop(t)
			no := newOutTradeNo("PK")
			prepay(t, c, a, s, "NATIVE", no, 1)
			q, err := c.V3TransactionQueryOrder(t.Context(), wechat.OutTradeNo, no)
			mustOK(t, "query", q.Code, q.Error, err)
			if q.SignInfo.HeaderSerial != id {
				t.Fatalf("answer Wechatpay-Serial %q, want %q", q.SignInfo.HeaderSerial, id)
			}
		})
	}
}
