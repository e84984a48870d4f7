// Package store keeps mockpay's state in SQLite. It is the only package that
// knows SQL; it persists domain values and nothing else.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"sync"

	_ "github.com/mattn/go-sqlite3" // the database/sql driver
)

// DB is an open mockpay database.
type DB struct {
	sql *sql.DB
	// onChange runs after every commit that changed a row: long polls and
	// the workers look again. Read-only transactions stay silent, or every
	// query would wake everything.
	onChange func()
	// lock makes this process the database's only user (lock.go); nil for
	// an in-memory database.
	lock     *lockFile
	warnings []string
	// The statement cache (commit.go): prepared statements by query (nil:
	// one that does not prepare), and the queries to prepare next.
	stmtMu sync.RWMutex
	stmts  map[string]*sql.Stmt
	missed map[string]struct{}

	// The group commit's queue (commit.go).
	mu      sync.Mutex
	queue   []*job
	leading bool
}

// OnChange sets what runs after a commit that changed rows.
func (db *DB) OnChange(f func()) { db.onChange = f }

// Open opens (creating if needed) the SQLite file at path and migrates it.
// The file and its lock are this process's until Close: a second Open of
// the same file, here or in another process, fails with ErrInUse. The
// database files are created (or made) readable by their owner only.
func Open(ctx context.Context, path string) (_ *DB, err error) {
	db := &DB{}
	if path != "" && path != ":memory:" {
		if db.lock, err = acquireLock(path); err != nil {
			return nil, err
		}
		defer func() {
			if err != nil {
				db.lock.release()
			}
		}()
		w, err := createPrivate(path)
		if err != nil {
			return nil, err
		}
		if w != "" {
			db.warnings = append(db.warnings, w)
		}
	}
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_foreign_keys", "on")
	// FULL: a commit is on disk (the WAL fsynced) before anyone is told it
	// happened, so an OS crash loses no acknowledged payment (issue 18,
	// item 3); group commit (commit.go) shares the fsync among the
	// transactions that arrive together.
	q.Set("_synchronous", "FULL")
	q.Set("_txlock", "immediate")
	sqldb, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	// One connection: SQLite serialises writers anyway, and a single
	// connection never meets SQLITE_BUSY from itself.
	sqldb.SetMaxOpenConns(1)
	db.sql = sqldb
	db.stmts, db.missed = map[string]*sql.Stmt{}, map[string]struct{}{}
	if err := db.migrate(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	if err := db.releaseAllClaims(ctx); err != nil {
		db.closeStmts()
		sqldb.Close()
		return nil, fmt.Errorf("release the claims of %s: %w", path, err)
	}
	if db.lock != nil {
		db.warnings = append(db.warnings, restrictSidecars(path)...)
	}
	return db, nil
}

// Warnings are what Open could not put right (a database file left
// readable by others whose mode it could not change), for the log.
func (db *DB) Warnings() []string { return db.warnings }

// SetOwnerAddr records where this process listens in the lock file, so a
// second mockpay refused the database can say which one holds it.
func (db *DB) SetOwnerAddr(addr string) error {
	if db.lock == nil {
		return nil
	}
	return db.lock.setAddr(addr)
}

// Close closes the database, then gives up the lock.
func (db *DB) Close() error {
	db.closeStmts()
	err := db.sql.Close()
	if db.lock != nil {
		err = errors.Join(err, db.lock.release())
		db.lock = nil
	}
	return err
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// exec runs fn in one transaction, committing when it returns nil; the
// transaction may be shared with others that wait at the same time
// (commit.go), each in its own savepoint.
func (db *DB) exec(ctx context.Context, fn func(*txn) error) error {
	return db.run(ctx, true, fn)
}

// execQuiet is exec for writes nobody waits on (a claim, the clock's row):
// they fire no change, or every dispatcher step would wake every long poll.
func (db *DB) execQuiet(ctx context.Context, fn func(*txn) error) error {
	return db.run(ctx, false, fn)
}
