module github.com/mockpay/mockpay/compat/gopay

go 1.26

require github.com/go-pay/gopay v1.5.123

require (
	github.com/go-pay/crypto v0.0.3 // indirect
	github.com/go-pay/xlog v0.0.3 // indirect
	github.com/go-pay/xtime v0.0.2 // indirect
)

require github.com/mockpay/mockpay/compat/launch v0.0.0

replace github.com/mockpay/mockpay/compat/launch => ../launch
