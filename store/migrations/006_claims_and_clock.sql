-- Issue 9: seams for more than one dispatcher on one database.
-- A notification being delivered is claimed by one dispatcher until its
-- lease ends (claimed_until, Unix nanoseconds on the lease clock); '' and 0
-- are unclaimed. ClaimDue reads and writes both in one transaction.
ALTER TABLE notifications ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN claimed_until INTEGER NOT NULL DEFAULT 0;

-- The virtual clock, so that it never goes back on a restart: at the real
-- instant real_at (Unix nanoseconds, wall clock) virtual time was
-- virtual_at, and it runs scale times real time. One row.
CREATE TABLE clock (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	virtual_at INTEGER NOT NULL,
	real_at    INTEGER NOT NULL,
	scale      REAL NOT NULL
);
