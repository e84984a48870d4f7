package openapi

import (
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// journalDiagnosis is a request's bad signature explained for the request
// journal, as `mockpay verify` explains it from the app's public key alone:
// no private key is given, so none can end up in the journal.
func journalDiagnosis(app *payment.App, st sign.Type, raw sign.Params) *channel.Diagnosis {
	d := Diagnose(DiagnoseInput{Params: raw, Rule: kit.RequestRule, SignType: st, PublicKey: app.AppPublicKey()})
	return &channel.Diagnosis{Cause: string(d.Cause), Canonical: d.Canonical, Summary: d.Summary, Details: d.Details,
		Params: kit.DiagnosisParams(raw, kit.RequestRule.Options())}
}
