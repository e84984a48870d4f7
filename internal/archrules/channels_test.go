package archrules

import (
	"strings"
	"testing"
)

// protocolPackages are each channel's wire codecs, which share the
// channel's kit and never import each other (docs/architecture.md, "Where
// a channel goes").
var protocolPackages = [][]string{
	{module + "/channel/alipay/openapi", module + "/channel/alipay/mapi"},
	{module + "/channel/wechatpay/v3", module + "/channel/wechatpay/v2"},
}

// TestProtocolsStayApart: no wire codec of a channel imports its sibling.
func TestProtocolsStayApart(t *testing.T) {
	pkgs := packages(t)
	for path, p := range pkgs {
		for _, group := range protocolPackages {
			for _, a := range group {
				for _, b := range group {
					if a == b || !under(path, a) {
						continue
					}
					for _, d := range p.Deps {
						if under(d, b) {
							t.Errorf("%s imports %s: a channel's protocols share its kit, never each other", strings.TrimPrefix(path, module+"/"), d)
						}
					}
				}
			}
		}
	}
	if _, ok := pkgs[module+"/channel/wechatpay/v3"]; !ok {
		t.Error("no channel/wechatpay/v3: the rule would judge nothing")
	}
}
