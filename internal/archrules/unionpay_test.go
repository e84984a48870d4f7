package archrules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCoreHasNoUnionPayWords: what only UnionPay says of a transaction
// (merId, orderId + txnTime, queryId, origQryId, certId, signPubKeyCert,
// respCode, the settlement day) lives in channel/unionpay: its order and
// refund terms (unionpay.Terms in Order.Terms and Refund.Terms) and its
// credentials (acp.Credentials in App.Credentials). The domain and the
// core surfaces name none of it.
func TestCoreHasNoUnionPayWords(t *testing.T) {
	words := []string{"merId", "txnTime", "queryId", "origQryId", "certId", "signPubKeyCert", "respCode", "settleDate", "txnType", "SecureKey"}
	for _, dir := range []string{"payment", "server", "server/api", "server/views", "server/dashboard", "cashier", "notify", "store", "levers"} {
		files, err := filepath.Glob(filepath.Join("../..", dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s sources: %v %v", dir, files, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range words {
				if strings.Contains(string(src), w) {
					t.Errorf("%s/%s names %s, which belongs to channel/unionpay", dir, filepath.Base(f), w)
				}
			}
		}
	}
}

// TestUnionPayWireFormatStandsAlone: channel/unionpay/acp (signatures,
// forms, charsets, credentials) serves HTTP to nobody and knows no route,
// cashier or other channel package: it imports the domain and sign only,
// so compat and the channel's routes share one definition of the wire.
func TestUnionPayWireFormatStandsAlone(t *testing.T) {
	pkgs := packages(t)
	p, ok := pkgs[module+"/channel/unionpay/acp"]
	if !ok {
		t.Fatal("no channel/unionpay/acp package")
	}
	for _, d := range p.Imports {
		if d == "net/http" || (strings.HasPrefix(d, module+"/") && d != module+"/payment" && d != module+"/sign") {
			t.Errorf("channel/unionpay/acp imports %s", d)
		}
	}
	root, ok := pkgs[module+"/channel/unionpay"]
	if !ok {
		t.Fatal("no channel/unionpay package")
	}
	for _, d := range root.Deps {
		if under(d, module+"/ca") || under(d, module+"/fixtures") {
			t.Errorf("channel/unionpay depends on %s: its certificates come with the merchant's credentials", d)
		}
	}
}
