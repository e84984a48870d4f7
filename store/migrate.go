package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations are the files in migrations/, applied in name order;
// user_version records how many ran. Never edit one that has shipped: add a
// new file with the next number.
func migrations() ([]string, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]string, len(names))
	for i, n := range names {
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out[i] = string(b)
	}
	return out, nil
}

func (db *DB) migrate(ctx context.Context) error {
	migrations, err := migrations()
	if err != nil {
		return err
	}
	var version int
	if err := db.queryRow(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("database is at version %d, newer than this mockpay (%d)", version, len(migrations))
	}
	if version == len(migrations) {
		return nil
	}
	// All pending migrations in one transaction: one fsync (synchronous is
	// FULL) for a fresh database's whole schema, and a migration that fails
	// leaves the database at the version it had.
	return db.exec(ctx, func(tx *txn) error {
		for i := version; i < len(migrations); i++ {
			if _, err := tx.exec(migrations[i]); err != nil {
				return fmt.Errorf("migration %d: %w", i+1, err)
			}
		}
		_, err := tx.exec(fmt.Sprintf(`PRAGMA user_version = %d`, len(migrations)))
		return err
	})
}
