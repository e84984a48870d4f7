package mapi

import (
	"context"

	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// notify_verify's plain-text answers (§1.6). The official demo accepts any
// body ending in "true"; smartwalle wants exactly "true", so nothing else
// is ever written around them.
const (
	verifyTrue    = "true"
	verifyFalse   = "false"
	verifyInvalid = "invalid"
)

// notifyVerify answers whether notify_id is a genuine, still valid id of the
// partner (§1.6). It is not signed. It only reads, so it answers while the
// notification carrying the id is being delivered: shops call it from
// their notify handler before they answer success.
//
// The partner is a pid: a legacy partner's, or the pid of OpenAPI apps.
// SDKs offer this check for OpenAPI notifications too (smartwalle's
// NotifyVerify(partner, notify_id) against the MAPI gateway), so the
// notify_id of a notification sent to any app of that pid verifies, with
// the same lifetime as a legacy one: live until the shop acknowledged it or
// the schedule gave up (§1.6, issue 12 item 2).
func (g *Gateway) notifyVerify(ctx context.Context, raw sign.Params, parseErr error) Outcome {
	if parseErr != nil {
		return textReply(verifyInvalid)
	}
	pid, id := raw.Value("partner"), raw.Value("notify_id")
	if pid == "" || id == "" {
		return textReply(verifyInvalid)
	}
	apps := g.appsOfPID(pid)
	if len(apps) == 0 {
		return textReply(verifyInvalid) // no such partner: a bad parameter (unconfirmed)
	}
	for _, appID := range apps {
		if live, err := notifyIDLive(ctx, g.Tokens, appID, id); err == nil && live {
			return textReply(verifyTrue)
		}
	}
	return textReply(verifyFalse)
}

// appsOfPID lists the apps a notify_verify partner stands for: the legacy
// partner whose id pid is, and every OpenAPI app whose pid it is.
func (g *Gateway) appsOfPID(pid string) []string {
	var ids []string
	if p, err := g.partner(pid); err == nil {
		ids = append(ids, p.AppID)
	}
	for _, a := range g.Apps.All() {
		if a.Protocol() == payment.ProtocolOpenAPI && a.PID == pid {
			ids = append(ids, a.AppID)
		}
	}
	return ids
}
