package mapi

import (
	"context"

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
func (g *Gateway) notifyVerify(ctx context.Context, raw sign.Params, parseErr error) Outcome {
	if parseErr != nil {
		return textReply(verifyInvalid)
	}
	pid, id := raw.Value("partner"), raw.Value("notify_id")
	if pid == "" || id == "" {
		return textReply(verifyInvalid)
	}
	partner, err := g.partner(pid)
	if err != nil {
		return textReply(verifyInvalid) // no such partner: a bad parameter (unconfirmed)
	}
	live, err := notifyIDLive(ctx, g.Tokens, partner.AppID, id)
	if err != nil || !live {
		return textReply(verifyFalse)
	}
	return textReply(verifyTrue)
}
