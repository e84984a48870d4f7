package views

import (
	"context"
	"sort"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/faults"
	"github.com/mockpay/mockpay/payment"
)

// FaultsJSON is GET /faults: every kind, the per-trade selectors, and the
// apps' plans.
func FaultsJSON(sel *faults.Selection) controlapi.Faults {
	out := controlapi.Faults{Marker: faults.Marker, Kinds: []controlapi.FaultKind{}, Apps: []controlapi.AppFaults{},
		MagicRange: [2]string{faults.MagicMin.Yuan(), faults.MagicMax.Yuan()}}
	families := map[faults.Family]string{faults.DeliveryFamily: "delivery", faults.GatewayFamily: "gateway", faults.BuyerFamily: "buyer"}
	for _, k := range faults.Kinds() {
		out.Kinds = append(out.Kinds, controlapi.FaultKind{Kind: string(k), Family: families[k.Family()], Canary: k.Canary(), About: k.About()})
	}
	fen := make([]int, 0, len(faults.MagicAmounts))
	for f := range faults.MagicAmounts {
		fen = append(fen, f)
	}
	sort.Ints(fen)
	for _, f := range fen {
		out.MagicAmounts = append(out.MagicAmounts, controlapi.MagicAmount{Amount: (faults.MagicMin + payment.Amount(f)).Yuan(), Plan: faults.MagicAmounts[f]})
	}
	for _, id := range sel.Apps() {
		out.Apps = append(out.Apps, AppFaultsJSON(sel, id))
	}
	return out
}

// AppFaultsJSON is an app's plan, with the calls its counted gateway steps
// have left.
func AppFaultsJSON(sel *faults.Selection, appID string) controlapi.AppFaults {
	p := sel.App(appID)
	left := sel.Remaining(appID)
	out := controlapi.AppFaults{AppID: appID, Plan: p.String(), Steps: []controlapi.FaultStep{}}
	for i, st := range p {
		s := controlapi.FaultStep{Step: st.String(), Kind: string(st.Kind)}
		if n, ok := left[i]; ok {
			s.Calls = &n
		}
		out.Steps = append(out.Steps, s)
	}
	return out
}

// verdictPage is how many attempts one read of the feed takes.
const verdictPage = 1000

// Verdicts is GET /verdicts: every recorded attempt (of appID's
// notifications, or all when "") judged (faults.Failure), read from the
// attempt log, so it holds across restarts and replicas.
func (v Views) Verdicts(ctx context.Context, appID string) (controlapi.Verdicts, error) {
	out := controlapi.Verdicts{Failures: []controlapi.Failure{}}
	var after int64
	for {
		page, err := v.Store.AttemptsAfter(ctx, after, verdictPage)
		if err != nil {
			return out, err
		}
		for _, fa := range page {
			after = fa.FeedID
			a, n := fa.Attempt, fa.Notification
			if appID != "" && n.AppID != appID {
				continue
			}
			out.Attempts++
			if faults.Canary(a) {
				out.Canaries++
			}
			kind, failed := faults.Failure(a)
			if !failed {
				continue
			}
			out.Failures = append(out.Failures, controlapi.Failure{Kind: kind, FeedID: fa.FeedID, NotificationID: n.ID,
				NotifyID: n.NotifyID, AppID: n.AppID, TradeNo: n.Trade.TradeNo, OutTradeNo: n.Trade.OutTradeNo,
				Attempt: a.Number, StartedAt: Stamp(a.StartedAt), URL: a.URL, StatusCode: a.StatusCode,
				Answer: a.Answer, Verdict: a.Verdict})
		}
		if len(page) < verdictPage {
			break
		}
	}
	out.OK = len(out.Failures) == 0
	return out, nil
}
