// Package postgres keeps mockpay's state in PostgreSQL, for a sandbox
// shared by several mockpay replicas on one database (issue 17). It passes
// the same contract suite as the SQLite store (store/storetest) and, like
// it, persists domain values and nothing else.
//
// Concurrency: transactions run at READ COMMITTED and take row locks. Every
// read of a trade, checkout, refund batch or notification inside a
// transaction is SELECT … FOR UPDATE, so a use case's read-modify-write of
// one trade (pay, refund, close, expire) is serialised with every other
// replica's on the same row: the second waits for the first to commit and
// then reads what it wrote, so a trade is paid once, refunds never exceed
// its total and one payment schedules one notification. Two transactions
// that create the same row at once (two replicas precreating one order)
// meet a unique constraint; a unique violation, a deadlock or a
// serialization failure rolls the whole transaction back and runs it again
// (retryable), where the loser now reads the winner's row. Row locks were
// chosen over SERIALIZABLE because a use case touches one trade: waiting on
// its row costs one commit, while SERIALIZABLE would abort and replay every
// transaction whose reads overlapped (the expiry worker's scans, the
// dashboard's), retrying most under a flash sale. The outbox is claimed FOR
// UPDATE SKIP LOCKED (claims.go).
package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DB is an open mockpay database on PostgreSQL.
type DB struct {
	pool *pgxpool.Pool
	// self names this process in the change notices it sends (listen.go),
	// so it does not take its own notices for another replica's.
	self string

	mu       sync.Mutex
	onChange func()
	events   Events

	stopListen context.CancelFunc
	listening  sync.WaitGroup
}

// IsURL reports whether a --db value names a PostgreSQL database rather
// than a SQLite file.
func IsURL(s string) bool {
	for _, p := range []string{"postgres://", "postgresql://"} {
		if len(s) >= len(p) && s[:len(p)] == p {
			return true
		}
	}
	return false
}

// Open connects to the database at url (a postgres:// URL, as libpq takes
// it), migrates it and starts listening for other replicas' changes.
// Several processes may open one database at once.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	db := &DB{pool: pool, self: hex.EncodeToString(b)}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrate %s: %w", redact(cfg), err)
	}
	lctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	db.stopListen = cancel
	if err := db.listen(lctx); err != nil {
		cancel()
		pool.Close()
		return nil, fmt.Errorf("listen on %s: %w", redact(cfg), err)
	}
	return db, nil
}

// Redact is a database URL without its password, for banners and logs.
func Redact(url string) string {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	return redact(cfg)
}

// redact names the database without its password, for errors and the log.
func redact(cfg *pgxpool.Config) string {
	c := cfg.ConnConfig
	return fmt.Sprintf("postgres://%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

// OnChange sets what runs after a commit that changed rows, here or in
// another replica on the same database.
func (db *DB) OnChange(f func()) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.onChange = f
}

func (db *DB) changed() {
	db.mu.Lock()
	f := db.onChange
	db.mu.Unlock()
	if f != nil {
		f()
	}
}

// Warnings: PostgreSQL guards its own files, so there are none.
func (db *DB) Warnings() []string { return nil }

// SetOwnerAddr does nothing: many replicas share the database, no process
// owns it (the SQLite store's lock file has no PostgreSQL twin).
func (db *DB) SetOwnerAddr(string) error { return nil }

// Close stops listening and closes the connections.
func (db *DB) Close() error {
	db.stopListen()
	db.listening.Wait()
	db.pool.Close()
	return nil
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.pool.Ping(ctx) }

// maxTries bounds how often a transaction is run again after a retryable
// failure before its error is returned.
const maxTries = 5

// retryable: the transaction lost a race that running it again resolves.
// 23505 unique_violation (two replicas inserted one key: the retry reads
// the winner's row), 40001 serialization_failure, 40P01 deadlock_detected.
func retryable(err error) bool {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return false
	}
	switch pg.Code {
	case "23505", "40001", "40P01":
		return true
	}
	return false
}

// exec runs fn in one READ COMMITTED transaction, committing when it
// returns nil and running it again after a retryable failure. A commit that
// wrote rows fires OnChange here and notifies the other replicas
// (announce; quiet writes such as claims wake nobody).
func (db *DB) exec(ctx context.Context, announce bool, fn func(*txn) error) error {
	var err error
	for try := 0; try < maxTries; try++ {
		if try > 0 {
			if err := sleep(ctx, time.Duration(try*try)*time.Millisecond); err != nil {
				return err
			}
		}
		var wrote bool
		wrote, err = db.once(ctx, announce, fn)
		if err == nil {
			if wrote {
				db.changed()
			}
			return nil
		}
		if !retryable(err) {
			return err
		}
	}
	return err
}

func (db *DB) once(ctx context.Context, announce bool, fn func(*txn) error) (wrote bool, err error) {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return false, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	t := &txn{ctx: ctx, tx: tx}
	if err := fn(t); err != nil {
		return false, err
	}
	if announce && t.wrote {
		if err := db.notify(ctx, tx, kindChange, ""); err != nil {
			return false, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return false, err
	}
	return announce && t.wrote, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// txn is one transaction: t.exec records whether it changed a row.
type txn struct {
	ctx   context.Context
	tx    pgx.Tx
	wrote bool
}

func (t *txn) exec(sql string, args ...any) (int64, error) {
	tag, err := t.tx.Exec(t.ctx, sql, texts(args)...)
	if err != nil {
		return 0, err
	}
	if tag.RowsAffected() > 0 {
		t.wrote = true
	}
	return tag.RowsAffected(), nil
}

// insertID runs an INSERT … RETURNING id.
func (t *txn) insertID(sql string, args ...any) (int64, error) {
	var id int64
	if err := t.tx.QueryRow(t.ctx, sql, texts(args)...).Scan(&id); err != nil {
		return 0, err
	}
	t.wrote = true
	return id, nil
}
