-- The legacy MAPI gateway (alipay-protocol.md §1): short-lived tokens the
-- platform hands out (anti-phishing keys from query_timestamp, the notify_ids
-- of sync returns), each valid until expires_at on the virtual clock.
CREATE TABLE tokens (
	kind       TEXT NOT NULL,
	value      TEXT NOT NULL,
	app_id     TEXT NOT NULL,
	expires_at INTEGER NOT NULL,
	data       TEXT NOT NULL,
	PRIMARY KEY (kind, value)
);

-- Legacy batch refunds (§1.9): batch_no is unique per partner; token names a
-- batch waiting for the seller's confirmation (refund_fastpay_by_platform_pwd).
CREATE TABLE refund_batches (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	app_id     TEXT NOT NULL,
	batch_no   TEXT NOT NULL,
	token      TEXT NOT NULL,
	status     TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	data       TEXT NOT NULL,
	UNIQUE (app_id, batch_no)
);
CREATE INDEX refund_batches_token ON refund_batches (token);
