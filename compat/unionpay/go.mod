module github.com/mockpay/mockpay/compat/unionpay

go 1.26.0
