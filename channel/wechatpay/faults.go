package wechatpay

import (
	"net/http"
	"strings"

	"github.com/mockpay/mockpay/channel"
	v2 "github.com/mockpay/mockpay/channel/wechatpay/v2"
	v3 "github.com/mockpay/mockpay/channel/wechatpay/v3"
)

// faults are each protocol's fault hooks. APIv2 serves APIv3's merchants
// (an app's protocol is always APIv3), so the busy answer of a merchant's
// call is chosen by the call's path: APIv3's JSON 500 under /v3/, APIv2's
// signed XML SYSTEMERROR elsewhere. Notifications are forged by the
// notification's own protocol.
func faults(d Deps) (f3, f2 *channel.Faults) {
	f3 = v3.Faults{Apps: d.Apps, Wall: d.Wall}.Hooks()
	f2 = v2.Faults{Apps: d.Apps}.Hooks()
	busy3, busy2 := f3.Busy, f2.Busy
	f3.Busy = func(r *http.Request, app, method string) (channel.BusyAnswer, error) {
		if strings.HasPrefix(r.URL.Path, "/v3/") {
			return busy3(r, app, method)
		}
		return busy2(r, app, method)
	}
	return f3, f2
}
