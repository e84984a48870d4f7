package instance_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/channel/alipay"
)

// Every host the Alipay channel declares is served through the proxy, over
// a tunnel whose leaf names it and as a plain-HTTP absolute URI.
func TestTheProxyServesEveryAlipayHost(t *testing.T) {
	e := newHTTPSEnv(t)
	c := trusting(t, e, true)
	for _, host := range alipay.Hosts {
		for _, scheme := range []string{"https", "http"} {
			resp, err := c.Get(scheme + "://" + host + "/gateway.do?method=alipay.trade.query")
			if err != nil {
				t.Errorf("%s://%s: %v", scheme, host, err)
				continue
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(body), "alipay_trade_query_response") {
				t.Errorf("%s://%s/gateway.do through the proxy: %d %s", scheme, host, resp.StatusCode, body)
			}
		}
	}
}

// A host no channel declares is refused, however close to a platform
// host's name it is.
func TestTheProxyRefusesHostsNoChannelDeclares(t *testing.T) {
	e := newHTTPSEnv(t)
	c := trusting(t, e, true)
	for _, host := range []string{"alipay.com", "openapi.alipay.com.example", "unitradeprod.alipay.com"} {
		resp, err := c.Get("https://" + host + "/gateway.do")
		if err == nil {
			resp.Body.Close()
			t.Errorf("CONNECT %s was served", host)
		}
		resp, err = c.Get("http://" + host + "/gateway.do")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET http://%s/ through the proxy: %d, want 403", host, resp.StatusCode)
		}
	}
}
