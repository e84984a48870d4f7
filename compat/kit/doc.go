// Package kit shows and checks mockpaytest the way a merchant uses it: the
// shop's own test starts a sandbox in-process and drives its real,
// unmodified SDK (smartwalle/alipay v3) against it. It lives in compat/ so
// the product module never depends on a payment SDK.
package kit
