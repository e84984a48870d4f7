-- Issue 3: what the control API and the dashboard read. Trades get their
-- unpaid deadline as a column (the expiry worker's index) and a status
-- history; checkouts get the merchant keys, so the control API can pay an
-- order that no browser opened yet.
ALTER TABLE trades ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
UPDATE trades SET expires_at = CAST(strftime('%s', json_extract(data, '$.ExpiresAt')) AS INTEGER) * 1000000000
	WHERE json_extract(data, '$.ExpiresAt') NOT LIKE '0001-%' AND strftime('%s', json_extract(data, '$.ExpiresAt')) IS NOT NULL;
CREATE INDEX trades_expiry ON trades (status, expires_at);
CREATE INDEX trades_status ON trades (status, id);

ALTER TABLE checkouts ADD COLUMN pid TEXT NOT NULL DEFAULT '';
ALTER TABLE checkouts ADD COLUMN out_trade_no TEXT NOT NULL DEFAULT '';
UPDATE checkouts SET pid = json_extract(data, '$.Order.PID'), out_trade_no = json_extract(data, '$.Order.OutTradeNo');
CREATE INDEX checkouts_order ON checkouts (pid, out_trade_no, created_at);

CREATE TABLE trade_events (
	id       INTEGER PRIMARY KEY AUTOINCREMENT,
	trade_no TEXT NOT NULL,
	at       INTEGER NOT NULL,
	status   TEXT NOT NULL
);
CREATE INDEX trade_events_trade ON trade_events (trade_no, id);
