-- Issue 12, item 5: a paid trade finishes when its refund window ends
-- (alipay-protocol.md §4.1). Trades get the end of the window as a column
-- (the finishing worker's index). Trades paid before this migration get
-- the platform's default window from their payment time: 90 days for a
-- legacy (MAPI) trade, 365 days for any other; no app had a window of its
-- own yet.
ALTER TABLE trades ADD COLUMN finishes_at INTEGER NOT NULL DEFAULT 0;
UPDATE trades SET data = json_set(data, '$.RefundableUntil',
		strftime('%Y-%m-%dT%H:%M:%SZ', json_extract(data, '$.PaidAt'),
			CASE json_extract(data, '$.Protocol') WHEN 'legacy' THEN '+90 days' ELSE '+365 days' END))
	WHERE status = 'paid' AND strftime('%s', json_extract(data, '$.PaidAt')) IS NOT NULL;
UPDATE trades SET finishes_at = CAST(strftime('%s', json_extract(data, '$.RefundableUntil')) AS INTEGER) * 1000000000
	WHERE status = 'paid' AND strftime('%s', json_extract(data, '$.RefundableUntil')) IS NOT NULL;
CREATE INDEX trades_finish ON trades (status, finishes_at);
