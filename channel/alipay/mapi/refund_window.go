package mapi

import "time"

// RefundWindow is how long a refundable ("advanced" 即时到账) MAPI trade
// stays refundable once paid: 3 months (alipay-protocol.md §1.5, §4.1),
// taken as 90 days; then it becomes TRADE_FINISHED with another
// notification (§1.5).
const RefundWindow = 90 * 24 * time.Hour
