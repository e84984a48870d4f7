package postgres

import (
	"context"
	"time"

	"github.com/mockpay/mockpay/payment"
)

func (t *txn) InsertRefund(r *payment.Refund) error {
	data, err := marshal(r)
	if err != nil {
		return err
	}
	r.ID, err = t.insertID(`INSERT INTO refunds (trade_no, app_id, pid, out_request_no, created_at, data)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		r.TradeNo, r.AppID, r.PID, r.OutRequestNo, r.CreatedAt, data)
	return err
}

// RefundByOutRequestNo needs no lock of its own: a refund is asked for
// after its trade was read (and locked), so two replicas refunding one
// out_request_no meet on the trade's row first.
func (t *txn) RefundByOutRequestNo(tradeNo, outRequestNo string) (*payment.Refund, error) {
	return oneRefund(rowsOf(t.ctx, t.tx, setRefundID, `SELECT id, data FROM refunds WHERE trade_no = $1 AND out_request_no = $2`,
		tradeNo, outRequestNo))
}

// RefundsOfTrade returns a trade's refunds, oldest first.
func (db *DB) RefundsOfTrade(ctx context.Context, tradeNo string) ([]*payment.Refund, error) {
	return rowsOf(ctx, db.pool, setRefundID, `SELECT id, data FROM refunds WHERE trade_no = $1 ORDER BY created_at, id`, tradeNo)
}

// TradesPaidBetween reads the app's trades created before to and keeps
// those paid in [from, to): the payment time lives in the JSON value.
func (t *txn) TradesPaidBetween(appID string, from, to time.Time) ([]*payment.Trade, error) {
	all, err := rowsOf(t.ctx, t.tx, setTradeID,
		`SELECT id, data FROM trades WHERE app_id = $1 AND created_at < $2 ORDER BY id`, appID, to)
	var out []*payment.Trade
	for _, tr := range all {
		if !tr.PaidAt.IsZero() && !tr.PaidAt.Before(from) && tr.PaidAt.Before(to) {
			out = append(out, tr)
		}
	}
	return out, err
}

// RefundsBetween reads the app's refunds made in [from, to), in order.
func (t *txn) RefundsBetween(appID string, from, to time.Time) ([]*payment.Refund, error) {
	return rowsOf(t.ctx, t.tx, setRefundID,
		`SELECT id, data FROM refunds WHERE app_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY created_at, id`,
		appID, from, to)
}

func setRefundID(r *payment.Refund, id int64) { r.ID = id }

func (t *txn) InsertRefundBatch(b *payment.RefundBatch) error {
	data, err := marshal(b)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO refund_batches (app_id, batch_no, token, status, created_at, data)
		VALUES ($1, $2, $3, $4, $5, $6)`, b.AppID, b.BatchNo, b.Token, string(b.Status), b.CreatedAt, data)
	return err
}

func (t *txn) UpdateRefundBatch(b *payment.RefundBatch) error {
	data, err := marshal(b)
	if err != nil {
		return err
	}
	_, err = t.exec(`UPDATE refund_batches SET token = $1, status = $2, data = $3 WHERE app_id = $4 AND batch_no = $5`,
		b.Token, string(b.Status), data, b.AppID, b.BatchNo)
	return err
}

// Batches are read FOR UPDATE: confirming one applies it once.
func (t *txn) RefundBatchByNo(appID, batchNo string) (*payment.RefundBatch, error) {
	var b payment.RefundBatch
	return &b, t.getJSON(&b, `SELECT data FROM refund_batches WHERE app_id = $1 AND batch_no = $2 FOR UPDATE`, appID, batchNo)
}

func (t *txn) RefundBatchByToken(token string) (*payment.RefundBatch, error) {
	if token == "" {
		return nil, payment.ErrNotFound // applied batches have no token
	}
	var b payment.RefundBatch
	return &b, t.getJSON(&b, `SELECT data FROM refund_batches WHERE token = $1 FOR UPDATE`, token)
}

// RefundOfMerchant, RefundsOf and RefundByID are what the WeChat Pay
// branches add to payment.RefundTx (a refund named by the merchant's
// refund number alone, wechatpay-protocol.md §2.5; a trade's refunds and
// one refund by id inside a transaction), here so that the PostgreSQL
// store keeps the contract when they land.
func (t *txn) RefundOfMerchant(pid, outRequestNo string) (*payment.Refund, error) {
	return oneRefund(rowsOf(t.ctx, t.tx, setRefundID, `SELECT id, data FROM refunds WHERE pid = $1 AND out_request_no = $2
		ORDER BY created_at DESC, id DESC LIMIT 1`, pid, outRequestNo))
}

func (t *txn) RefundsOf(tradeNo string) ([]*payment.Refund, error) {
	return rowsOf(t.ctx, t.tx, setRefundID, `SELECT id, data FROM refunds WHERE trade_no = $1 ORDER BY created_at, id`, tradeNo)
}

func (t *txn) RefundByID(id int64) (*payment.Refund, error) {
	return oneRefund(rowsOf(t.ctx, t.tx, setRefundID, `SELECT id, data FROM refunds WHERE id = $1`, id))
}

func oneRefund(rs []*payment.Refund, err error) (*payment.Refund, error) {
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, payment.ErrNotFound
	}
	return rs[0], nil
}

// UpdateRefund rewrites a refund's JSON: its outcome lives there (no
// column of its own, no migration).
func (t *txn) UpdateRefund(r *payment.Refund) error {
	data, err := marshal(r)
	if err != nil {
		return err
	}
	n, err := t.exec(`UPDATE refunds SET data = $1 WHERE id = $2`, data, r.ID)
	if err == nil && n == 0 {
		err = payment.ErrNotFound
	}
	return err
}
