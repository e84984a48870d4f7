// Package store keeps mockpay's state in SQLite. It is the only package that
// knows SQL; it persists domain values and nothing else.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"

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
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	sqldb, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	// One connection: SQLite serialises writers anyway, and a single
	// connection never meets SQLITE_BUSY from itself.
	sqldb.SetMaxOpenConns(1)
	db.sql = sqldb
	if err := db.migrate(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	if err := db.releaseAllClaims(ctx); err != nil {
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
	err := db.sql.Close()
	if db.lock != nil {
		err = errors.Join(err, db.lock.release())
		db.lock = nil
	}
	return err
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// exec runs fn in one transaction, committing when it returns nil.
func (db *DB) exec(ctx context.Context, fn func(*sql.Tx) error) error {
	return db.run(ctx, true, fn)
}

// execQuiet is exec for writes nobody waits on (a claim, the clock's row):
// they fire no change, or every dispatcher step would wake every long poll.
func (db *DB) execQuiet(ctx context.Context, fn func(*sql.Tx) error) error {
	return db.run(ctx, false, fn)
}

func (db *DB) run(ctx context.Context, announce bool, fn func(*sql.Tx) error) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	// total_changes() counts the rows this connection changed; there is one
	// connection, so the difference is this transaction's writes.
	changes := func() (n int64, err error) {
		if announce {
			err = tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&n)
		}
		return n, err
	}
	before, err := changes()
	if err == nil {
		err = fn(tx)
	}
	after := before
	if err == nil {
		after, err = changes()
	}
	if err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if after != before && db.onChange != nil {
		db.onChange()
	}
	return nil
}
