package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Group commit (issue 18, items 2 and 3). Every write waits for the one
// SQLite connection, and with synchronous=FULL every COMMIT is an fsync of
// the WAL: one transaction per request would make the disk the ceiling.
// So the transactions that arrive while one is committing wait together,
// and the first of them (the leader) runs them all in one SQLite
// transaction, each inside its own SAVEPOINT, and commits them with one
// fsync. A job whose fn fails is rolled back to its savepoint alone; the
// others commit. Nobody is told a job committed before the COMMIT that
// holds it returned, so an acknowledged write is a durable one.

// maxBatch bounds a batch, so one leader does not serve the queue forever
// and the first caller's wait stays bounded.
const maxBatch = 64

// job is one caller's transaction.
type job struct {
	ctx      context.Context
	announce bool
	fn       func(*txn) error
	err      error
	changed  bool
	// panicked holds what fn panicked with: the leader rolls the job back
	// and the panic goes on in the job's own goroutine, not the leader's
	// (which may be serving another request).
	panicked any
	// done says the job's batch is over (false), or that the job is now
	// the leader of the next batch (true).
	done chan bool
}

func (db *DB) run(ctx context.Context, announce bool, fn func(*txn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	j := &job{ctx: ctx, announce: announce, fn: fn, done: make(chan bool, 1)}
	db.mu.Lock()
	db.queue = append(db.queue, j)
	lead := !db.leading
	db.leading = true
	db.mu.Unlock()
	if !lead && !<-j.done {
		return j.result()
	}
	// Leading: j is the queue's first job, so it is in the batch taken.
	db.mu.Lock()
	n := min(len(db.queue), maxBatch)
	batch := db.queue[:n:n]
	db.queue = db.queue[n:]
	db.mu.Unlock()

	db.commit(batch)
	db.prepareMissed()

	db.mu.Lock()
	if len(db.queue) > 0 {
		db.queue[0].done <- true
	} else {
		db.leading = false
	}
	db.mu.Unlock()
	changed := false
	for _, b := range batch {
		changed = changed || (b.err == nil && b.announce && b.changed)
	}
	// Announced before anyone is told: a caller that returns has been seen.
	if changed && db.onChange != nil {
		db.onChange()
	}
	for _, b := range batch {
		if b != j {
			b.done <- false
		}
	}
	return j.result()
}

func (j *job) result() error {
	if j.panicked != nil {
		panic(j.panicked)
	}
	return j.err
}

// call runs the job's fn, turning a panic into an error for the batch.
func (j *job) call(t *txn) (err error) {
	defer func() {
		if p := recover(); p != nil {
			j.panicked = p
			err = fmt.Errorf("transaction panicked: %v", p)
		}
	}()
	return j.fn(t)
}

// commit runs a batch in one transaction. Its statements run without the
// jobs' cancellation: SQLite answers an interrupted write inside a
// transaction by rolling the whole transaction back, which would take the
// batch's other jobs with it. A job whose context has ended before its
// turn does not run.
func (db *DB) commit(batch []*job) {
	fail := func(err error) {
		for _, b := range batch {
			if b.err == nil {
				b.err = err
			}
		}
	}
	tx, err := db.sql.BeginTx(context.Background(), nil)
	if err != nil {
		fail(err)
		return
	}
	single := len(batch) == 1
	for _, b := range batch {
		if b.err = b.ctx.Err(); b.err != nil {
			continue
		}
		t := &txn{ctx: context.WithoutCancel(b.ctx), tx: tx, db: db}
		if !single {
			if _, err := t.exec(qSavepoint); err != nil {
				tx.Rollback()
				fail(err)
				return
			}
		}
		b.err = b.call(t)
		b.changed = t.changed
		if single {
			break
		}
		// A savepoint that is gone means SQLite ended the transaction
		// itself (an I/O error, a full disk): nothing of the batch holds.
		end := []string{qRelease}
		if b.err != nil {
			end = []string{qRollbackTo, qRelease}
		}
		for _, q := range end {
			if _, err := t.exec(q); err != nil {
				tx.Rollback()
				fail(fmt.Errorf("batch aborted: %w", errors.Join(err, b.err)))
				return
			}
		}
	}
	if single && batch[0].err != nil {
		tx.Rollback()
		return
	}
	if err := tx.Commit(); err != nil {
		fail(err)
	}
}

const (
	qSavepoint  = `SAVEPOINT job`
	qRelease    = `RELEASE job`
	qRollbackTo = `ROLLBACK TO job`
)

// maxStmts bounds the statement cache; the store's queries are a fixed
// set (a few dozen), so the bound is never reached in practice.
const maxStmts = 256

// The statement cache: parsing six statements afresh cost more than running
// them (issue 18). A query seen for the first time runs unprepared and is
// noted; the next leader prepares it after its commit, when it alone may
// use the connection for writing, and from then on every transaction and
// read reuses it.
func (db *DB) cached(q string) *sql.Stmt {
	db.stmtMu.RLock()
	st, ok := db.stmts[q]
	db.stmtMu.RUnlock()
	if ok {
		return st
	}
	if strings.Contains(q, ";") || strings.HasPrefix(q, "PRAGMA") {
		return nil // a migration's script or a once-only pragma: never again
	}
	db.stmtMu.Lock()
	if len(db.stmts)+len(db.missed) < maxStmts {
		db.missed[q] = struct{}{}
	}
	db.stmtMu.Unlock()
	return nil
}

// prepareMissed prepares the queries noted since the last time. A query
// that does not prepare (one statement of several, as a migration) is
// forgotten: it keeps running unprepared.
func (db *DB) prepareMissed() {
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	for q := range db.missed {
		delete(db.missed, q)
		if st, err := db.sql.PrepareContext(context.Background(), q); err == nil {
			db.stmts[q] = st
		} else {
			db.stmts[q] = nil
		}
	}
}

func (db *DB) closeStmts() {
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	for _, st := range db.stmts {
		if st != nil {
			st.Close()
		}
	}
	db.stmts = nil
}

// txn is one job's view of the batch's transaction: payment.Tx, and the
// store's own reads and writes.
type txn struct {
	ctx context.Context
	tx  *sql.Tx
	db  *DB
	// changed: a statement of this job changed a row (so long polls and
	// workers look again); read from each write's own result, not asked of
	// SQLite afterwards.
	changed bool
}

func (t *txn) stmt(q string) *sql.Stmt {
	if st := t.db.cached(q); st != nil {
		return t.tx.StmtContext(t.ctx, st)
	}
	return nil
}

func (t *txn) exec(q string, args ...any) (sql.Result, error) {
	var res sql.Result
	var err error
	if st := t.stmt(q); st != nil {
		res, err = st.ExecContext(t.ctx, args...)
	} else {
		res, err = t.tx.ExecContext(t.ctx, q, args...)
	}
	if err == nil {
		if n, _ := res.RowsAffected(); n > 0 {
			t.changed = true
		}
	}
	return res, err
}

func (t *txn) queryRow(q string, args ...any) *sql.Row {
	if st := t.stmt(q); st != nil {
		return st.QueryRowContext(t.ctx, args...)
	}
	return t.tx.QueryRowContext(t.ctx, q, args...)
}

// QueryContext makes a txn a queryer (rowsOf).
func (t *txn) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, q, args...)
}

func (t *txn) query(q string, args ...any) (*sql.Rows, error) {
	return t.QueryContext(t.ctx, q, args...)
}

// queryRow and query outside any transaction use the prepared statement too.
func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := db.cached(q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.sql.QueryRowContext(ctx, q, args...)
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := db.cached(q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.sql.QueryContext(ctx, q, args...)
}
