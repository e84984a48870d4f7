package v2

// PaySignFields are what a JSAPI (official account / mini program) page
// hands WeixinJSBridge for an APIv2 order, signed per §1.2 into paySign
// (§1.12; camelCase names, package=prepay_id=…).
var PaySignFields = []string{"appId", "nonceStr", "package", "signType", "timeStamp"}

// VerifyPaySign checks a JSAPI paySign: get reads the page's parameters.
// signType names the algorithm, which must be the order's (§1.12).
func VerifyPaySign(get func(string) string, key, orderSignType string) bool {
	st, ok := ParseSignType(get("signType"))
	if !ok || get("signType") == "" || string(st) != orderSignTypeOf(orderSignType) {
		return false
	}
	v := Values{}
	for _, f := range PaySignFields {
		v[f] = get(f)
	}
	v["sign"] = get("paySign")
	return Verify(v, key, st)
}

func orderSignTypeOf(s string) string {
	if s == "" {
		return string(MD5)
	}
	return s
}
