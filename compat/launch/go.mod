module github.com/mockpay/mockpay/compat/launch

go 1.22
