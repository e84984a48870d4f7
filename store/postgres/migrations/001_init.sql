-- mockpay on PostgreSQL: the schema SQLite reaches after its migrations
-- 001-010 (store/migrations), in PostgreSQL's own types. Rows hold the
-- domain value as jsonb in data; the other columns are what queries filter
-- and order on, and what the constraints guard. Instants are timestamptz
-- (microseconds: a deadline is stored rounded up to the next microsecond, so
-- nothing the column calls due is early by the domain's nanoseconds); the
-- virtual clock's anchor alone is kept in Unix nanoseconds, because a
-- restarted replica must continue it exactly (store/storetest, testClock).
CREATE TABLE apps (
	seq        bigint GENERATED ALWAYS AS IDENTITY UNIQUE, -- the order apps were first saved
	app_id     text PRIMARY KEY CHECK (app_id <> ''),
	data       jsonb NOT NULL,
	created_at timestamptz NOT NULL
);

-- page/wap orders on their way to the cashier.
CREATE TABLE checkouts (
	id           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	token        text PRIMARY KEY CHECK (token <> ''),
	pid          text NOT NULL,
	out_trade_no text NOT NULL,
	created_at   timestamptz NOT NULL,
	data         jsonb NOT NULL
);
CREATE INDEX checkouts_order ON checkouts (pid, out_trade_no, created_at);

-- status is the domain's neutral state (payment.Status); expires_at is an
-- unpaid trade's deadline (the expiry worker's index), finishes_at the end
-- of a paid trade's refund window (the finishing worker's); NULL: none.
CREATE TABLE trades (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	trade_no     text NOT NULL UNIQUE CHECK (trade_no <> ''),
	app_id       text NOT NULL,
	pid          text NOT NULL,
	out_trade_no text NOT NULL,
	status       text NOT NULL CHECK (status IN ('pending', 'paid', 'finished', 'closed')),
	created_at   timestamptz NOT NULL,
	expires_at   timestamptz,
	finishes_at  timestamptz,
	data         jsonb NOT NULL,
	UNIQUE (pid, out_trade_no)
);
CREATE INDEX trades_app ON trades (app_id, id);
CREATE INDEX trades_status ON trades (status, id);
CREATE INDEX trades_expiry ON trades (expires_at) WHERE status = 'pending' AND expires_at IS NOT NULL;
CREATE INDEX trades_finish ON trades (finishes_at) WHERE status = 'paid' AND finishes_at IS NOT NULL;

-- Every status change of a trade, oldest first (the store writes it).
CREATE TABLE trade_events (
	id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	trade_no text NOT NULL REFERENCES trades (trade_no) ON DELETE CASCADE,
	at       timestamptz NOT NULL,
	status   text NOT NULL
);
CREATE INDEX trade_events_trade ON trade_events (trade_no, id);

-- Refunds; out_request_no is the merchant's idempotency key, unique within
-- a trade (alipay-protocol.md §4.5); created_at (virtual time) serves the
-- daily bill.
CREATE TABLE refunds (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	trade_no       text NOT NULL REFERENCES trades (trade_no),
	app_id         text NOT NULL,
	pid            text NOT NULL,
	out_request_no text NOT NULL,
	created_at     timestamptz NOT NULL,
	data           jsonb NOT NULL,
	UNIQUE (trade_no, out_request_no)
);
CREATE INDEX refunds_app_time ON refunds (app_id, created_at);

-- The notification outbox. A notification being delivered is claimed by
-- one dispatcher (claimed_by) until its lease ends (claimed_until, on the
-- lease clock); '' and NULL are unclaimed. ClaimDue takes rows FOR UPDATE
-- SKIP LOCKED, so replicas claiming at once never wait for or take each
-- other's rows.
CREATE TABLE notifications (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	notify_id       text NOT NULL UNIQUE CHECK (notify_id <> ''),
	app_id          text NOT NULL,
	trade_no        text NOT NULL,
	status          text NOT NULL CHECK (status IN ('pending', 'acked', 'gave_up')),
	next_attempt_at timestamptz NOT NULL,
	claimed_by      text NOT NULL DEFAULT '',
	claimed_until   timestamptz,
	data            jsonb NOT NULL,
	CHECK ((claimed_by = '') = (claimed_until IS NULL))
);
CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
CREATE INDEX notifications_trade ON notifications (trade_no);

-- One row per attempt made; (notification_id, number) is unique, so an
-- attempt sent twice (its lease ended mid-flight) is recorded once. The id
-- is the attempts feed's position: an identity never reset, so no feed id is
-- issued twice.
CREATE TABLE attempts (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	notification_id bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
	number          integer NOT NULL CHECK (number > 0),
	data            jsonb NOT NULL,
	UNIQUE (notification_id, number)
);

-- The legacy MAPI gateway (alipay-protocol.md §1): short-lived tokens, each
-- valid until expires_at on the virtual clock.
CREATE TABLE tokens (
	kind       text NOT NULL,
	value      text NOT NULL,
	app_id     text NOT NULL,
	expires_at timestamptz NOT NULL,
	data       jsonb NOT NULL,
	PRIMARY KEY (kind, value)
);

-- Legacy batch refunds (§1.9): batch_no is unique per partner; token names a
-- batch waiting for the seller's confirmation.
CREATE TABLE refund_batches (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	app_id     text NOT NULL,
	batch_no   text NOT NULL,
	token      text NOT NULL,
	status     text NOT NULL CHECK (status IN ('awaiting_seller', 'applied')),
	created_at timestamptz NOT NULL,
	data       jsonb NOT NULL,
	UNIQUE (app_id, batch_no)
);
CREATE INDEX refund_batches_token ON refund_batches (token) WHERE token <> '';

-- The virtual clock every replica reads: at the real instant real_at (Unix
-- nanoseconds, wall clock) virtual time was virtual_at, running scale times
-- real time. One row.
CREATE TABLE clock (
	id         integer PRIMARY KEY CHECK (id = 1),
	virtual_at bigint NOT NULL,
	real_at    bigint NOT NULL,
	scale      double precision NOT NULL CHECK (scale >= 0)
);
