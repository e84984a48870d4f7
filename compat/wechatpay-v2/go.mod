module github.com/mockpay/mockpay/compat/wechatpay-v2

go 1.26.0

require github.com/mockpay/mockpay/compat/launch v0.0.0

replace github.com/mockpay/mockpay/compat/launch => ../launch
