module github.com/mockpay/mockpay/compat/smartwalle

go 1.26.0

require (
	github.com/smartwalle/alipay/v3 v3.2.25
	golang.org/x/text v0.44.0
)

require (
	github.com/smartwalle/ncrypto v1.0.4 // indirect
	github.com/smartwalle/ngx v1.0.9 // indirect
	github.com/smartwalle/nsign v1.0.9 // indirect
)

require github.com/mockpay/mockpay/compat/launch v0.0.0

replace github.com/mockpay/mockpay/compat/launch => ../launch
