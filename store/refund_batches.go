package store

import (
	"encoding/json"

	"github.com/mockpay/mockpay/payment"
)

// Batches are found by (app_id, batch_no), unique per partner, or by the
// token of one that waits for the seller.

func (t *txn) InsertRefundBatch(b *payment.RefundBatch) error {
	data, err := json.Marshal(b)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO refund_batches (app_id, batch_no, token, status, created_at, data)
		VALUES (?, ?, ?, ?, ?, ?)`, b.AppID, b.BatchNo, b.Token, string(b.Status), b.CreatedAt.UnixNano(), data)
	return err
}

func (t *txn) UpdateRefundBatch(b *payment.RefundBatch) error {
	data, err := json.Marshal(b)
	if err != nil {
		return err
	}
	_, err = t.exec(`UPDATE refund_batches SET token = ?, status = ?, data = ? WHERE app_id = ? AND batch_no = ?`,
		b.Token, string(b.Status), data, b.AppID, b.BatchNo)
	return err
}

func (t *txn) RefundBatchByNo(appID, batchNo string) (*payment.RefundBatch, error) {
	var b payment.RefundBatch
	return &b, t.getJSON(&b, `SELECT data FROM refund_batches WHERE app_id = ? AND batch_no = ?`, appID, batchNo)
}

func (t *txn) RefundBatchByToken(token string) (*payment.RefundBatch, error) {
	if token == "" {
		return nil, payment.ErrNotFound // applied batches have no token
	}
	var b payment.RefundBatch
	return &b, t.getJSON(&b, `SELECT data FROM refund_batches WHERE token = ?`, token)
}
