package payment

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Refund is money given back on a paid trade. It is protocol-neutral: the
// OpenAPI refund and the legacy batch refund both record one per request.
type Refund struct {
	ID           int64  `json:"ID"`
	TradeNo      string `json:"TradeNo"`
	AppID        string `json:"AppID"`
	PID          string `json:"PID"`
	OutTradeNo   string `json:"OutTradeNo"`
	OutRequestNo string `json:"OutRequestNo"` // the merchant's idempotency key for this refund (§4.5)
	Amount       Amount `json:"Amount"`       // this refund
	Reason       string `json:"Reason"`
	// RefundedTotal is the trade's cumulative refunded amount once this
	// refund was applied: what refund_fee reports (§2.7, §3.2).
	RefundedTotal Amount    `json:"RefundedTotal"`
	CreatedAt     time.Time `json:"CreatedAt"` // gmt_refund_pay / gmt_refund
	// NotifyURL, when set, is where this refund's notification goes instead
	// of the trade's notify URL: platforms whose refund request names its
	// own (UnionPay's backUrl, unionpay-protocol.md §5.6; WeChat Pay's
	// refund notify_url).
	NotifyURL string `json:"NotifyURL,omitempty"`
	// Terms are what the refund request said beyond these fields, in its
	// channel's words, by channel name (like Order.Terms): the domain stores
	// them, the channel reads them back for answers and notifications.
	Terms map[string]json.RawMessage `json:"Terms,omitempty"`
	// Outcome is how the refund ended: empty is succeeded, at once, every
	// channel's default (see RefundOutcome).
	Outcome RefundOutcome `json:"Outcome,omitempty"`
	// Unnotified says the refund's request asked for no notification
	// (RefundRequest.OnlyNamedURL without a URL): its outcome is not
	// notified either.
	Unnotified bool `json:"Unnotified,omitempty"`
}

// RefundRequest is a merchant asking to refund part or all of a trade.
type RefundRequest struct {
	OutTradeNo string
	TradeNo    string // wins over OutTradeNo when both are given
	// OutRequestNo identifies this refund; empty means the trade's
	// out_trade_no, so only one such refund is possible (§4.5).
	OutRequestNo string
	Amount       Amount
	Reason       string
	// NotifyURL and Terms are copied to the Refund (see there).
	NotifyURL string
	Terms     map[string]json.RawMessage
	// OnlyNamedURL says the platform notifies a refund only at the URL
	// its request names: without NotifyURL no notification is sent
	// (a platform whose refund request enables its notification).
	OnlyNamedURL bool
}

// RefundResult is what a refund call reports.
type RefundResult struct {
	Trade  *Trade
	Refund *Refund
	// FundChange is false when the request replayed an earlier refund and
	// no money moved (fund_change N, §4.5).
	FundChange bool
}

// Refund refunds part or all of a paid trade. It is complete when it
// returns: the refund, the trade's new state and the refund notification
// commit together.
func (s *Service) Refund(ctx context.Context, app *App, req RefundRequest) (*RefundResult, error) {
	now := s.Clock.Now()
	if req.NotifyURL != "" {
		if err := s.checkCallbacks([]Callback{{"notify_url", req.NotifyURL}}); err != nil {
			return nil, err
		}
	}
	var res *RefundResult
	queued := false
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		var err error
		res, queued, err = s.refundIn(tx, app.PID, req, now)
		return err
	})
	if err != nil {
		if res != nil {
			return &RefundResult{Trade: res.Trade}, err
		}
		return nil, err
	}
	s.wakeIf(queued)
	return res, nil
}

// refundIn applies one refund inside tx (§4.5) and reports whether it queued
// a notification. Batch refunds of other channels call it once per record in
// one transaction. On a business error the result still carries the trade,
// when there is one, so error answers can echo its identifiers.
func (s *Service) refundIn(tx Tx, pid string, req RefundRequest, now time.Time) (*RefundResult, bool, error) {
	t, err := findTrade(tx, pid, req.OutTradeNo, req.TradeNo)
	if err != nil {
		return nil, false, err
	}
	if err := s.expireIfDue(tx, t, now); err != nil {
		return nil, false, err
	}
	res := &RefundResult{Trade: t}
	if req.OutRequestNo == "" {
		req.OutRequestNo = t.OutTradeNo
	}
	if !req.Amount.InRange() {
		return res, false, Errorf(CodeInvalidParameter, "refund amount %s is not within 0.01..100000000.00", req.Amount.Yuan())
	}
	// A replay is answered before the state checks: the refund that closed
	// the trade must still be reported, not refused (§4.5).
	prev, err := tx.RefundByOutRequestNo(t.TradeNo, req.OutRequestNo)
	switch {
	case err == nil && prev.Amount == req.Amount:
		res.Refund = prev
		return res, false, nil
	case err == nil:
		return res, false, Errorf(CodeDiscordantRepeat, "out_request_no %s already refunded %s yuan, this request says %s",
			req.OutRequestNo, prev.Amount.Yuan(), req.Amount.Yuan())
	case !errors.Is(err, ErrNotFound):
		return res, false, err
	}
	switch t.Status {
	case StatusPending:
		return res, false, Errorf(CodeTradeStatusError, "trade %s is not paid", t.TradeNo)
	case StatusClosed:
		return res, false, Errorf(CodeTradeHasClosed, "trade %s is closed", t.TradeNo)
	case StatusFinished:
		return res, false, Errorf(CodeTradeHasFinished, "trade %s is finished; its refund window has passed", t.TradeNo)
	}
	if t.Refunded+req.Amount > t.Total {
		return res, false, Errorf(CodeRefundAmountExceeded, "refunding %s yuan would bring the refunds of trade %s to %s, above the %s paid",
			req.Amount.Yuan(), t.TradeNo, (t.Refunded + req.Amount).Yuan(), t.Total.Yuan())
	}
	t.Refunded += req.Amount
	t.RefundedAt = now
	if t.Refunded == t.Total {
		// A full refund closes the trade (§4.1, §4.5).
		t.Status, t.ClosedAt = StatusClosed, now
	}
	r := &Refund{
		TradeNo: t.TradeNo, AppID: t.AppID, PID: t.PID, OutTradeNo: t.OutTradeNo,
		OutRequestNo: req.OutRequestNo, Amount: req.Amount, Reason: req.Reason,
		RefundedTotal: t.Refunded, CreatedAt: now, NotifyURL: req.NotifyURL, Terms: req.Terms,
	}
	if req.OnlyNamedURL && req.NotifyURL == "" {
		r.Unnotified = true
	}
	if err := tx.InsertRefund(r); err != nil {
		return res, false, err
	}
	if err := tx.UpdateTrade(t); err != nil {
		return res, false, err
	}
	res.Refund, res.FundChange = r, true
	if r.Unnotified {
		return res, false, nil
	}
	queued, err := s.queueNotification(tx, t, r, now)
	return res, queued, err
}

// RefundQuery finds one refund of a trade. An unknown out_request_no on an
// existing trade is not an error: the refund is nil (§2.7).
func (s *Service) RefundQuery(ctx context.Context, app *App, outTradeNo, tradeNo, outRequestNo string) (*Trade, *Refund, error) {
	var trade *Trade
	var refund *Refund
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		t, err := findTrade(tx, app.PID, outTradeNo, tradeNo)
		if err != nil {
			return err
		}
		trade = t
		if outRequestNo == "" {
			outRequestNo = t.OutTradeNo
		}
		r, err := tx.RefundByOutRequestNo(t.TradeNo, outRequestNo)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		refund = r
		return err
	})
	return trade, refund, err
}

// RefundOfMerchant finds a merchant's refund by its out_request_no alone,
// with its trade; an unknown one is CodeRefundNotExist.
func (s *Service) RefundOfMerchant(ctx context.Context, app *App, outRequestNo string) (*Trade, *Refund, error) {
	return s.refundWithTrade(ctx, func(tx Tx) (*Refund, error) {
		r, err := tx.RefundOfMerchant(app.PID, outRequestNo)
		if errors.Is(err, ErrNotFound) {
			return nil, Errorf(CodeRefundNotExist, "no refund %q", outRequestNo)
		}
		return r, err
	})
}

// refundWithTrade is the refund find names, with its trade.
func (s *Service) refundWithTrade(ctx context.Context, find func(Tx) (*Refund, error)) (*Trade, *Refund, error) {
	var trade *Trade
	var refund *Refund
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		r, err := find(tx)
		if err != nil {
			return err
		}
		refund = r
		trade, err = tx.TradeByTradeNo(r.TradeNo)
		return err
	})
	return trade, refund, err
}

// queueNotification writes the notification of a change to t, when the
// order named a notify URL; refund is set for refunds. It runs inside the
// transaction that made the change.
func (s *Service) queueNotification(tx Tx, t *Trade, refund *Refund, now time.Time) (bool, error) {
	url := t.NotifyURL
	if refund != nil && refund.NotifyURL != "" {
		url = refund.NotifyURL
	}
	if url == "" {
		return false, nil
	}
	kind := KindTrade
	if refund != nil {
		kind = KindRefund
	}
	n := &Notification{
		NotifyID:      s.ids(t.Protocol).NotifyID(now),
		AppID:         t.AppID,
		Protocol:      t.Protocol,
		Kind:          kind,
		URL:           url,
		Trade:         *t,
		Refund:        refund,
		Status:        NotifyPending,
		NextAttemptAt: now,
		CreatedAt:     now,
	}
	return true, tx.InsertNotification(n)
}

// wakeIf tells the dispatcher that a committed change queued a notification.
func (s *Service) wakeIf(queued bool) {
	if queued && s.Wake != nil {
		s.Wake()
	}
}

// RefundsOfTrade finds a merchant's trade (trade_no wins over out_trade_no)
// with its refunds, oldest first.
func (s *Service) RefundsOfTrade(ctx context.Context, app *App, outTradeNo, tradeNo string) (*Trade, []*Refund, error) {
	var trade *Trade
	var refunds []*Refund
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		t, err := findTrade(tx, app.PID, outTradeNo, tradeNo)
		if err != nil {
			return err
		}
		trade = t
		refunds, err = tx.RefundsOf(t.TradeNo)
		return err
	})
	return trade, refunds, err
}

// RefundByID finds a merchant's refund by its row id, with its trade; an
// unknown one, or another merchant's, is CodeRefundNotExist.
func (s *Service) RefundByID(ctx context.Context, app *App, id int64) (*Trade, *Refund, error) {
	return s.refundWithTrade(ctx, func(tx Tx) (*Refund, error) {
		r, err := tx.RefundByID(id)
		if errors.Is(err, ErrNotFound) || err == nil && r.PID != app.PID {
			return nil, Errorf(CodeRefundNotExist, "no refund %d", id)
		}
		return r, err
	})
}
