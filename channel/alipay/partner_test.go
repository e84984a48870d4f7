package alipay

import (
	"strings"
	"testing"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// TestPartnerRulesAreTheChannels: a registry checking through the set
// refuses a MAPI partner whose id is no PID or whose MD5 key is malformed,
// and accepts a well-formed one.
func TestPartnerRulesAreTheChannels(t *testing.T) {
	set, err := channelSet()
	if err != nil {
		t.Fatal(err)
	}
	r := payment.NewRegistry()
	r.Check = set.CheckApp
	partner := func(id, key string) *payment.App {
		a := &payment.App{AppID: id, PID: id, SignType: sign.MD5Type, Speaks: payment.ProtocolLegacy}
		kit.SetCreds(a, kit.Credentials{Legacy: &kit.Partner{MD5Key: key}})
		return a
	}
	key := strings.Repeat("a1", 16)
	for _, c := range []struct {
		app  *payment.App
		want string
	}{
		{partner("2021000000000001", key), "2088 + 12 digits"},
		{partner("20880000000000011", key), "2088 + 12 digits"},
		{partner("2088000000000001", "short"), "MD5 key"},
	} {
		if err := r.Put(c.app); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("partner %s key %q: %v, want an error about %s", c.app.AppID, kit.Creds(c.app).Legacy.MD5Key, err, c.want)
		}
	}
	if err := r.Put(partner("2088000000000001", key)); err != nil {
		t.Errorf("well-formed partner refused: %v", err)
	}
	// Credentials that are not the channel's JSON are refused before the
	// partner is live, not read as none on its first request.
	broken := partner("2088000000000002", key)
	broken.Credentials["alipay"] = []byte(`{"Legacy":"not an object"}`)
	if err := r.Put(broken); err == nil || !strings.Contains(err.Error(), "alipay credentials") {
		t.Errorf("partner with broken credentials: %v", err)
	}
}
