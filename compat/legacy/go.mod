module github.com/mockpay/mockpay/compat/legacy

go 1.26.0

require golang.org/x/text v0.44.0

require github.com/mockpay/mockpay/compat/launch v0.0.0

replace github.com/mockpay/mockpay/compat/launch => ../launch
