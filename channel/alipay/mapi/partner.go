package mapi

import (
	"fmt"
	"regexp"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
)

var (
	pidPattern    = regexp.MustCompile(`^2088[0-9]{12}$`)
	md5KeyPattern = regexp.MustCompile(`^[0-9A-Za-z]{32}$`)
)

// CheckPartner refuses a partner the MAPI cannot serve: its id is a PID
// (2088 + 12 digits, §1.3) used as both app id and pid, since legacy
// requests name the partner, and its MD5 key has 32 letters or digits
// (§1.2).
func CheckPartner(a *payment.App) error {
	if !pidPattern.MatchString(a.AppID) || a.PID != a.AppID {
		return fmt.Errorf("partner %s: the id must be 2088 + 12 digits, used as both app id and pid", a.AppID)
	}
	creds, err := kit.DecodeCreds(a)
	if err != nil {
		return err
	}
	if creds.Legacy == nil || !md5KeyPattern.MatchString(creds.Legacy.MD5Key) {
		return fmt.Errorf("partner %s: the MD5 key must be 32 letters or digits", a.AppID)
	}
	return nil
}
