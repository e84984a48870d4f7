package kit

import "crypto/x509/pkix"

// MerchantSubject names a merchant's API certificate (apiclient_cert.pem):
// the real ones carry the mchid as O and CN and the merchant's name as OU.
func MerchantSubject(mchID, name string) pkix.Name {
	return pkix.Name{Country: []string{"CN"}, Organization: []string{mchID}, OrganizationalUnit: []string{name}, CommonName: mchID}
}

// PlatformSubject names the platform certificate mockpay issues for one
// merchant (certificate mode, §2.4).
func PlatformSubject(mchID string) pkix.Name {
	return pkix.Name{Country: []string{"CN"}, Organization: []string{"mockpay"},
		OrganizationalUnit: []string{"WeChat Pay platform sandbox"}, CommonName: "WeChat Pay platform certificate for " + mchID}
}
