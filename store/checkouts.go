package store

import (
	"encoding/json"

	"github.com/mockpay/mockpay/payment"
)

// UpdateCheckout replaces a checkout's order and validity (a precreate
// asked again for the same order).
func (t *txn) UpdateCheckout(c *payment.Checkout) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = t.exec(`UPDATE checkouts SET data = ? WHERE token = ?`, data, c.Token)
	return err
}
