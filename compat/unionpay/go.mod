module github.com/mockpay/mockpay/compat/unionpay

go 1.26.0

require github.com/mockpay/mockpay/compat/launch v0.0.0

replace github.com/mockpay/mockpay/compat/launch => ../launch
