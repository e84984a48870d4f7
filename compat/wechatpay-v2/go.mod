module github.com/mockpay/mockpay/compat/wechatpay-v2

go 1.26.0
