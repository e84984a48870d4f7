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
