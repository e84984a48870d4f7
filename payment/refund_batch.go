package payment

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
)

// RefundBatch is a legacy batch refund (refund_fastpay_by_platform_nopwd
// and _pwd, alipay-protocol.md §1.9): records that each refund one trade,
// applied together through the refund domain and reported in one
// batch_refund_notify.
type RefundBatch struct {
	AppID     string        `json:"AppID"`
	PID       string        `json:"PID"`
	BatchNo   string        `json:"BatchNo"` // unique per partner, also each refund's out_request_no
	NotifyURL string        `json:"NotifyURL"`
	Records   []BatchRecord `json:"Records"`
	// Token names a batch that waits for the seller to confirm it on the
	// platform's page (the _pwd service); empty once applied.
	Token     string      `json:"Token,omitempty"`
	Status    BatchStatus `json:"Status"`
	Charset   string      `json:"Charset"` // echoed in the batch notification
	SignType  string      `json:"SignType"`
	CreatedAt time.Time   `json:"CreatedAt"`
	AppliedAt time.Time   `json:"AppliedAt"`
}

// BatchStatus is where a batch is.
type BatchStatus string

const (
	BatchAwaitingSeller BatchStatus = "awaiting_seller" // _pwd: shown to the seller, not applied
	BatchApplied        BatchStatus = "applied"
)

// BatchRecord is one trade_no^amount^reason record and its outcome.
type BatchRecord struct {
	TradeNo string `json:"TradeNo"`
	Amount  Amount `json:"Amount"`
	Reason  string `json:"Reason"`
	// Result is "" for a refund made, else why this record failed; the
	// other records of the batch are not affected.
	Result Code `json:"Result,omitempty"`
}

// SuccessNum is how many records refunded.
func (b *RefundBatch) SuccessNum() int {
	n := 0
	for _, r := range b.Records {
		if r.Result == "" {
			n++
		}
	}
	return n
}

// Codes of batch refunds the refund domain does not produce (§1.9).
const (
	CodeDuplicateBatchNo     Code = "duplicate_batch_no"
	CodeNotThisPartnersTrade Code = "not_this_partners_trade"
)

// RefundBatchTx reads and writes batches; store's transactions implement it.
type RefundBatchTx interface {
	InsertRefundBatch(b *RefundBatch) error
	UpdateRefundBatch(b *RefundBatch) error
	// RefundBatchByNo and RefundBatchByToken return ErrNotFound when absent.
	RefundBatchByNo(appID, batchNo string) (*RefundBatch, error)
	RefundBatchByToken(token string) (*RefundBatch, error)
}

// RefundBatch applies a batch at once (the _nopwd service): the refunds,
// the trades' refund notifications and the batch notification commit
// together. A batch_no the partner used before is refused.
func (s *Service) RefundBatch(ctx context.Context, app *App, b *RefundBatch) (*RefundBatch, error) {
	if err := s.checkCallbacks(b.callbacks()); err != nil {
		return nil, err
	}
	return s.runBatch(ctx, func(tx Tx, now time.Time) (*RefundBatch, bool, error) {
		if err := s.reserveBatch(tx, app, b, now); err != nil {
			return nil, false, err
		}
		queued, err := s.applyBatch(tx, b, now)
		return b, queued, err
	})
}

// ProposeRefundBatch records a batch for the seller to confirm on the
// platform's page (the _pwd service); its Token names the page.
func (s *Service) ProposeRefundBatch(ctx context.Context, app *App, b *RefundBatch) (*RefundBatch, error) {
	if err := s.checkCallbacks(b.callbacks()); err != nil {
		return nil, err
	}
	return s.runBatch(ctx, func(tx Tx, now time.Time) (*RefundBatch, bool, error) {
		b.Token, b.Status = uuid.NewString(), BatchAwaitingSeller
		return b, false, s.reserveBatch(tx, app, b, now)
	})
}

// PendingRefundBatch returns the batch waiting behind token.
func (s *Service) PendingRefundBatch(ctx context.Context, token string) (*RefundBatch, error) {
	var batch *RefundBatch
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		var err error
		batch, err = pendingBatch(tx, token)
		return err
	})
	return batch, err
}

// ConfirmRefundBatch is the seller confirming a proposed batch: it is
// applied as RefundBatch applies one.
func (s *Service) ConfirmRefundBatch(ctx context.Context, token string) (*RefundBatch, error) {
	return s.runBatch(ctx, func(tx Tx, now time.Time) (*RefundBatch, bool, error) {
		b, err := pendingBatch(tx, token)
		if err != nil {
			return nil, false, err
		}
		queued, err := s.applyBatch(tx, b, now)
		return b, queued, err
	})
}

func (s *Service) runBatch(ctx context.Context, fn func(Tx, time.Time) (*RefundBatch, bool, error)) (*RefundBatch, error) {
	now := s.Clock.Now()
	var batch *RefundBatch
	queued := false
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		var err error
		batch, queued, err = fn(tx, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.wakeIf(queued)
	return batch, nil
}

func pendingBatch(tx Tx, token string) (*RefundBatch, error) {
	// An applied batch has no token any more: confirming twice finds
	// nothing to confirm.
	b, err := tx.RefundBatchByToken(token)
	if errors.Is(err, ErrNotFound) {
		return nil, Errorf(CodeCheckoutNotFound, "no refund batch waits behind %q", token)
	}
	return b, err
}

// reserveBatch stores a new batch under its batch_no, which a partner uses
// once (§1.9).
func (s *Service) reserveBatch(tx Tx, app *App, b *RefundBatch, now time.Time) error {
	_, err := tx.RefundBatchByNo(app.AppID, b.BatchNo)
	switch {
	case err == nil:
		return Errorf(CodeDuplicateBatchNo, "partner %s already sent batch_no %s", app.PID, b.BatchNo)
	case !errors.Is(err, ErrNotFound):
		return err
	}
	b.AppID, b.PID, b.CreatedAt = app.AppID, app.PID, now
	if b.Status == "" {
		b.Status = BatchAwaitingSeller
	}
	return tx.InsertRefundBatch(b)
}

// applyBatch refunds each record through the refund domain, in the
// caller's transaction. A record's business failure is its result and
// leaves the others alone; anything else aborts the whole batch.
func (s *Service) applyBatch(tx Tx, b *RefundBatch, now time.Time) (bool, error) {
	queued := false
	for i := range b.Records {
		r := &b.Records[i]
		r.Result = ""
		if t, err := tx.TradeByTradeNo(r.TradeNo); err == nil && t.PID != b.PID {
			r.Result = CodeNotThisPartnersTrade
			continue
		}
		_, q, err := s.refundIn(tx, b.PID, RefundRequest{TradeNo: r.TradeNo, OutRequestNo: b.BatchNo, Amount: r.Amount, Reason: r.Reason}, now)
		var pe *Error
		switch {
		case errors.As(err, &pe):
			r.Result = pe.Code
		case err != nil:
			return false, err
		}
		queued = queued || q
	}
	b.Token, b.Status, b.AppliedAt = "", BatchApplied, now
	if err := tx.UpdateRefundBatch(b); err != nil {
		return false, err
	}
	if b.NotifyURL == "" {
		return queued, nil
	}
	return true, tx.InsertNotification(&Notification{
		NotifyID:      s.ids(ProtocolLegacy).NotifyID(now),
		AppID:         b.AppID,
		Protocol:      ProtocolLegacy,
		Kind:          KindBatchRefund,
		URL:           b.NotifyURL,
		Batch:         b,
		Status:        NotifyPending,
		NextAttemptAt: now,
		CreatedAt:     now,
	})
}
