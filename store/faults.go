package store

import (
	"context"
	"database/sql"
	"errors"
)

// SaveFaults stores app's chosen fault chain with the calls each step
// still takes (faults.Store). An empty chain is stored too: "none" is a
// choice, which fixtures must not undo at the next start. With keep, a
// chain already stored stays and saved is false: fixtures seed only an app
// nobody chose for yet.
func (db *DB) SaveFaults(ctx context.Context, appID, chain, left string, keep bool) (saved bool, err error) {
	q := `INSERT INTO app_faults (app_id, chain, left_calls) VALUES (?, ?, ?)
		ON CONFLICT (app_id) DO UPDATE SET chain = excluded.chain, left_calls = excluded.left_calls`
	if keep {
		q = `INSERT INTO app_faults (app_id, chain, left_calls) VALUES (?, ?, ?) ON CONFLICT (app_id) DO NOTHING`
	}
	err = db.exec(ctx, func(tx *txn) error {
		res, err := tx.exec(q, appID, chain, left)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		saved = n > 0
		return err
	})
	return saved, err
}

// AppFaults returns every stored chain by app.
func (db *DB) AppFaults(ctx context.Context) (map[string]string, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT app_id, chain FROM app_faults`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, chain string
		if err := rows.Scan(&id, &chain); err != nil {
			return nil, err
		}
		out[id] = chain
	}
	return out, rows.Err()
}

// TakeFault runs take on app's stored chain and counts (faults encodes
// them) in one transaction and stores the counts take returns when it
// reports a change; with no
// chain stored, take does not run. SQLite has one writer, so no other
// take sees the counts in between.
func (db *DB) TakeFault(ctx context.Context, appID string, take func(chain, left string) (string, bool)) error {
	return db.execQuiet(ctx, func(tx *txn) error {
		var chain, left string
		err := tx.queryRow(`SELECT chain, left_calls FROM app_faults WHERE app_id = ?`, appID).Scan(&chain, &left)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		left, changed := take(chain, left)
		if !changed {
			return nil
		}
		_, err = tx.exec(`UPDATE app_faults SET left_calls = ? WHERE app_id = ?`, left, appID)
		return err
	})
}
