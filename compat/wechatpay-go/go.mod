module github.com/mockpay/mockpay/compat/wechatpay-go

go 1.26.0

require github.com/wechatpay-apiv3/wechatpay-go v0.2.21
