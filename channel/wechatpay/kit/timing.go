package kit

import "time"

// DefaultUnpaidTimeout: an order unpaid after 7 days cannot be paid
// (wechatpay-protocol.md §1.6, §2.5).
const DefaultUnpaidTimeout = 7 * 24 * time.Hour

// RefundWindow: refunds within a year of payment (§1.8, §2.5).
const RefundWindow = 365 * 24 * time.Hour
