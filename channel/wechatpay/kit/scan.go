package kit

import "github.com/mockpay/mockpay/payment"

// ScanCode is a Native trade's code_url, the QR code the buyer scans
// (wechatpay-protocol.md §2.5); other trade types have none.
func ScanCode(t *payment.Trade) (string, bool) {
	if OrderTerms(t.Order).TradeType != TradeNative {
		return "", false
	}
	return CodeURL(t.TradeNo), true
}
