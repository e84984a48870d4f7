-- The first schema: apps, checkouts (page/wap orders on their way to the
-- cashier), trades, the notification outbox and its attempts. Rows hold the
-- domain value as JSON in data; indexed columns are what queries filter on.
CREATE TABLE apps (
	app_id     TEXT PRIMARY KEY,
	data       TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE TABLE checkouts (
	token      TEXT PRIMARY KEY,
	data       TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE TABLE trades (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	trade_no     TEXT NOT NULL UNIQUE,
	app_id       TEXT NOT NULL,
	pid          TEXT NOT NULL,
	out_trade_no TEXT NOT NULL,
	status       TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	data         TEXT NOT NULL,
	UNIQUE (pid, out_trade_no)
);
CREATE INDEX trades_app ON trades (app_id, id);
CREATE TABLE notifications (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	notify_id       TEXT NOT NULL UNIQUE,
	app_id          TEXT NOT NULL,
	trade_no        TEXT NOT NULL,
	status          TEXT NOT NULL,
	next_attempt_at INTEGER NOT NULL,
	data            TEXT NOT NULL
);
CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
CREATE INDEX notifications_trade ON notifications (trade_no);
CREATE TABLE attempts (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	notification_id INTEGER NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
	number          INTEGER NOT NULL,
	data            TEXT NOT NULL,
	UNIQUE (notification_id, number)
);
