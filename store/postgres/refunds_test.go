package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// wechatRefunds is what the WeChat Pay branches add to payment.RefundTx;
// store/storetest checks it on both stores once they land, this until then.
type wechatRefunds interface {
	RefundOfMerchant(pid, outRequestNo string) (*payment.Refund, error)
	RefundsOf(tradeNo string) ([]*payment.Refund, error)
	RefundByID(id int64) (*payment.Refund, error)
}

func TestRefundsByMerchantAndID(t *testing.T) {
	db := open(t, freshDB(t))
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, payment.CST)
	err := db.Tx(context.Background(), func(tx payment.Tx) error {
		if err := tx.InsertTrade(&payment.Trade{TradeNo: "T-w", Status: payment.StatusPaid, CreatedAt: at,
			Order: payment.Order{AppID: "app", PID: "p", OutTradeNo: "o", Total: 100}}); err != nil {
			return err
		}
		for i, no := range []string{"rq-1", "rq-2"} {
			if err := tx.InsertRefund(&payment.Refund{TradeNo: "T-w", AppID: "app", PID: "p", OutRequestNo: no,
				Amount: payment.Amount(10 * (i + 1)), CreatedAt: at.Add(time.Duration(i) * time.Minute)}); err != nil {
				return err
			}
		}
		w := tx.(wechatRefunds)
		if r, err := w.RefundOfMerchant("p", "rq-2"); err != nil || r.Amount != 20 || r.ID == 0 {
			t.Errorf("refund of merchant: %+v %v", r, err)
		}
		if _, err := w.RefundOfMerchant("other", "rq-2"); err != payment.ErrNotFound {
			t.Errorf("another merchant's: %v", err)
		}
		rs, err := w.RefundsOf("T-w")
		if err != nil || len(rs) != 2 || rs[0].OutRequestNo != "rq-1" || rs[1].OutRequestNo != "rq-2" {
			t.Fatalf("refunds of the trade: %+v %v", rs, err)
		}
		if r, err := w.RefundByID(rs[1].ID); err != nil || r.OutRequestNo != "rq-2" {
			t.Errorf("by id: %+v %v", r, err)
		}
		if _, err := w.RefundByID(rs[1].ID + 1000); err != payment.ErrNotFound {
			t.Errorf("unknown id: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
