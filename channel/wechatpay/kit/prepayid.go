package kit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"strings"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// PrepayValidity: a prepay_id is valid 2 hours (§2.5); an h5_url 5 minutes.
const (
	PrepayValidity = 2 * time.Hour
	H5Validity     = 5 * time.Minute
)

// H5Path is the page an h5_url opens: the platform's own path
// (wx.tenpay.com's checkmweb), served by mockpay, which sends the buyer on
// to the cashier.
const H5Path = "/cgi-bin/mmpayweb-bin/checkmweb"

// PrepayID is a prepay_id for trade tradeNo issued at now: wx, the CST
// time (the platform's shape, §1.5), the transaction_id and a MAC under the
// platform key, so the cashier can find the trade and nobody can forge one.
func PrepayID(app *payment.App, tradeNo string, now time.Time) string {
	stamp := now.In(payment.CST).Format("20060102150405")
	return "wx" + stamp + tradeNo + prepayMAC(app, stamp+tradeNo)
}

// ParsePrepayID reads a prepay_id back: its trade and when it was issued.
func ParsePrepayID(app *payment.App, id string) (tradeNo string, issued time.Time, ok bool) {
	rest, found := strings.CutPrefix(id, "wx")
	if !found || len(rest) < 14+8 {
		return "", time.Time{}, false
	}
	stamp, tradeNo, mac := rest[:14], rest[14:len(rest)-8], rest[len(rest)-8:]
	if !hmac.Equal([]byte(mac), []byte(prepayMAC(app, stamp+tradeNo))) {
		return "", time.Time{}, false
	}
	issued, err := time.ParseInLocation("20060102150405", stamp, payment.CST)
	return tradeNo, issued, err == nil
}

func prepayMAC(app *payment.App, s string) string {
	m := hmac.New(sha256.New, []byte(app.PlatformPrivateKeyPEM))
	m.Write([]byte(app.AppID + "\x00prepay\x00" + s))
	return hex.EncodeToString(m.Sum(nil))[:8]
}

// CodeURL is a Native order's code_url: weixin://wxpay/bizpayurl?pr=<code>
// as on the platform (§2.5); the code is the transaction_id in base 62.
func CodeURL(tradeNo string) string { return "weixin://wxpay/bizpayurl?pr=" + CodeOf(tradeNo) }

// CodeOf is the pr code of a trade.
func CodeOf(tradeNo string) string {
	n, ok := new(big.Int).SetString(tradeNo, 10)
	if !ok {
		return tradeNo
	}
	return n.Text(62)
}

// TradeOfCode reads a pr code back into its transaction_id.
func TradeOfCode(code string) (string, bool) {
	n, ok := new(big.Int).SetString(code, 62)
	if !ok {
		return "", false
	}
	return n.String(), true
}
