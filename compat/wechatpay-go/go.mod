module github.com/mockpay/mockpay/compat/wechatpay-go

go 1.26.0

require github.com/wechatpay-apiv3/wechatpay-go v0.2.21

require github.com/mockpay/mockpay/compat/launch v0.0.0

replace github.com/mockpay/mockpay/compat/launch => ../launch
