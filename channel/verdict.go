package channel

import "context"

// Verdict is what a channel's route decided about one request to the
// platform it emulates, for mockpay's request journal: which app called
// which method, and the platform's answer. A channel reports it with
// Report; the core records it, so that a rejected call leaves a trace.
type Verdict struct {
	App    string // the app (or partner) id as sent; "" when none
	Method string // the method or service as sent
	// Code and SubCode are the platform's error on the wire; both are ""
	// for an accepted request.
	Code, SubCode string
	Message       string // the platform's wording of the error
	// Diagnosis explains a signature that did not verify, as `mockpay
	// verify` would: the string mockpay verified and the likely mistake.
	Diagnosis *Diagnosis
}

// Accepted reports whether the platform accepted the request.
func (v Verdict) Accepted() bool { return v.Code == "" && v.SubCode == "" }

// Diagnosis is a bad signature explained. It never holds a key.
type Diagnosis struct {
	Cause     string   // the likely mistake, in a word (e.g. canonical_rule)
	Canonical string   // the string mockpay verified
	Summary   string   // one line
	Details   []string // evidence and what to change
	// Params are the request's parameters as the platform decoded them, in
	// the order sent, each saying whether the signed string holds it
	// (empty values and sign itself do not, for example).
	Params []Param
}

// Param is one request parameter of a diagnosis. Values are cut at
// MaxParamValue bytes: the journal keeps many entries.
type Param struct {
	Key, Value string
	Signed     bool
}

// MaxParamValue bounds a diagnosis parameter's value.
const MaxParamValue = 2048

// ParamOf is a parameter for a diagnosis, its value cut to MaxParamValue.
func ParamOf(key, value string, signed bool) Param {
	if len(value) > MaxParamValue {
		value = string(Prefix([]byte(value), MaxParamValue)) + "…"
	}
	return Param{Key: key, Value: value, Signed: signed}
}

type reportKey struct{}

// WithReport is how the core hands a route the func its verdict goes to.
func WithReport(ctx context.Context, report func(Verdict)) context.Context {
	return context.WithValue(ctx, reportKey{}, report)
}

// Report gives the request's verdict to whoever WithReport named; without
// one (a channel's unit test) it is dropped.
func Report(ctx context.Context, v Verdict) {
	if f, ok := ctx.Value(reportKey{}).(func(Verdict)); ok && f != nil {
		f(v)
	}
}
