package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"github.com/jackc/pgx/v5"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLock is the advisory lock replicas starting together take while
// they migrate: one migrates, the others then find nothing left to do.
const migrationLock = 0x6d6f636b706179 // "mockpay"

// migrate applies the files in migrations/ in name order; schema_version
// records how many ran. Never edit one that has shipped: add a new file
// with the next number (and its SQLite twin in store/migrations).
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return err
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)`); err != nil {
		return err
	}
	var version int
	err = conn.QueryRow(ctx, `SELECT version FROM schema_version`).Scan(&version)
	if err == pgx.ErrNoRows {
		if _, err = conn.Exec(ctx, `INSERT INTO schema_version VALUES (0)`); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	if version > len(names) {
		return fmt.Errorf("database is at version %d, newer than this mockpay (%d)", version, len(names))
	}
	for i := version; i < len(names); i++ {
		sql, err := migrationFiles.ReadFile(names[i])
		if err != nil {
			return err
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(sql)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE schema_version SET version = $1`, i+1)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", names[i], err)
		}
	}
	return nil
}
