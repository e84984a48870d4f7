-- The fault scenarios chosen per app (issue 16), shared by the replicas:
-- the chain in faults.Parse's syntax, and per step the calls a counted
-- gateway step (busy, timeout, reset) still takes, comma-separated; a
-- replica takes a call under the row's lock (FOR UPDATE), so a step is
-- spent once overall. The twin of SQLite's migration 014.
CREATE TABLE IF NOT EXISTS app_faults (
    app_id text PRIMARY KEY,
    chain text NOT NULL,
    left_calls text NOT NULL DEFAULT ''
);
