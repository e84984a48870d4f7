-- The fault scenarios chosen per app (issue 16), kept so a restart keeps
-- them: the chain in faults.Parse's syntax, and per step the calls a
-- counted gateway step (busy, timeout, reset) still takes, comma-separated.
CREATE TABLE IF NOT EXISTS app_faults (
    app_id TEXT PRIMARY KEY,
    chain TEXT NOT NULL,
    left_calls TEXT NOT NULL DEFAULT ''
);
