-- Refunds of paid trades (issue 4). out_request_no is the merchant's
-- idempotency key, unique within a trade (alipay-protocol.md §4.5);
-- created_at (unix nanoseconds, virtual time) serves the daily bill.
CREATE TABLE refunds (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	trade_no       TEXT NOT NULL REFERENCES trades (trade_no),
	app_id         TEXT NOT NULL,
	pid            TEXT NOT NULL,
	out_request_no TEXT NOT NULL,
	created_at     INTEGER NOT NULL,
	data           TEXT NOT NULL,
	UNIQUE (trade_no, out_request_no)
);
CREATE INDEX refunds_app_time ON refunds (app_id, created_at);
