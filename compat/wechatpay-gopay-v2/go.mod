module github.com/mockpay/mockpay/compat/wechatpay-gopay-v2

go 1.26

require github.com/go-pay/gopay v1.5.123

require (
	github.com/go-pay/crypto v0.0.3 // indirect
	github.com/go-pay/util v0.0.4 // indirect
	github.com/go-pay/xlog v0.0.3 // indirect
	golang.org/x/crypto v0.53.0 // indirect
)

require github.com/mockpay/mockpay/compat/launch v0.0.0

replace github.com/mockpay/mockpay/compat/launch => ../launch
