package kit

import (
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/sign"
)

// DiagnosisParams lists a request's parameters as received for the request
// journal's bad-signature diagnosis, each marked with whether the signed
// string (by opt) holds it: the dashboard's per-parameter table.
func DiagnosisParams(raw sign.Params, opt sign.CanonicalOptions) []channel.Param {
	out := make([]channel.Param, 0, len(raw))
	for _, kv := range raw {
		signed := kv.Value != "" || opt.IncludeEmpty
		for _, ex := range opt.Exclude {
			signed = signed && kv.Key != ex
		}
		out = append(out, channel.ParamOf(kv.Key, kv.Value, signed))
	}
	return out
}
