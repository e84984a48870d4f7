package store

import (
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/mockpay/mockpay/payment"
)

func (t *txn) InsertRefundBatch(b *payment.RefundBatch) error {
	data, err := json.Marshal(b)
	if err != nil {
		return err
	}
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO refund_batches (app_id, batch_no, token, status, created_at, data)
		VALUES (?, ?, ?, ?, ?, ?)`, b.AppID, b.BatchNo, b.Token, string(b.Status), b.CreatedAt.UnixNano(), data)
	if err != nil {
		return err
	}
	b.ID, err = res.LastInsertId()
	return err
}

func (t *txn) UpdateRefundBatch(b *payment.RefundBatch) error {
	data, err := json.Marshal(b)
	if err != nil {
		return err
	}
	_, err = t.tx.ExecContext(t.ctx, `UPDATE refund_batches SET token = ?, status = ?, data = ? WHERE id = ?`,
		b.Token, string(b.Status), data, b.ID)
	return err
}

func (t *txn) RefundBatchByNo(appID, batchNo string) (*payment.RefundBatch, error) {
	return t.refundBatch(`SELECT id, data FROM refund_batches WHERE app_id = ? AND batch_no = ?`, appID, batchNo)
}

func (t *txn) RefundBatchByToken(token string) (*payment.RefundBatch, error) {
	if token == "" {
		return nil, payment.ErrNotFound // applied batches have no token
	}
	return t.refundBatch(`SELECT id, data FROM refund_batches WHERE token = ?`, token)
}

func (t *txn) refundBatch(query string, args ...any) (*payment.RefundBatch, error) {
	var id int64
	var data []byte
	err := t.tx.QueryRowContext(t.ctx, query, args...).Scan(&id, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, payment.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var b payment.RefundBatch
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, err
	}
	b.ID = id
	return &b, nil
}
