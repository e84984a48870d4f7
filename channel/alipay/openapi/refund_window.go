package openapi

import "time"

// RefundWindow is how long an OpenAPI trade stays refundable once paid:
// 12 months (alipay-protocol.md §4.1), taken as 365 days. After it the
// trade is TRADE_FINISHED and refunds get ACQ.TRADE_HAS_FINISHED (§4.5).
const RefundWindow = 365 * 24 * time.Hour
