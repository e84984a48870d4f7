package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// SaveFaults stores app's chosen fault chain with the calls each step
// still takes (faults.Store). An empty chain is stored too: "none" is a
// choice, which fixtures must not undo at the next start. With keep, a
// chain already stored stays and saved is false: fixtures seed only an app
// nobody chose for yet. A save tells the other replicas, which load the
// chains again (Events.Faults), so a choice made through one replica acts
// on all of them.
func (db *DB) SaveFaults(ctx context.Context, appID, chain, left string, keep bool) (saved bool, err error) {
	q := `INSERT INTO app_faults (app_id, chain, left_calls) VALUES ($1, $2, $3)
		ON CONFLICT (app_id) DO UPDATE SET chain = excluded.chain, left_calls = excluded.left_calls`
	if keep {
		q = `INSERT INTO app_faults (app_id, chain, left_calls) VALUES ($1, $2, $3) ON CONFLICT (app_id) DO NOTHING`
	}
	err = db.exec(ctx, false, func(t *txn) error {
		n, err := t.exec(q, appID, chain, left)
		if err != nil || n == 0 {
			saved = false
			return err
		}
		saved = true
		return db.notify(ctx, t.tx, kindFaults, appID)
	})
	return saved, err
}

// AppFaults returns every stored chain by app.
func (db *DB) AppFaults(ctx context.Context) (map[string]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT app_id, chain FROM app_faults`)
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
// them) with the row locked (SELECT … FOR UPDATE) and stores the counts
// take returns when it reports a change, in one transaction: replicas
// taking a call of one app at once take turns, so a step's calls are spent
// once overall, not once per replica. With no chain stored, take does not run.
func (db *DB) TakeFault(ctx context.Context, appID string, take func(chain, left string) (string, bool)) error {
	return db.exec(ctx, false, func(t *txn) error {
		var chain, left string
		err := t.tx.QueryRow(t.ctx, `SELECT chain, left_calls FROM app_faults WHERE app_id = $1 FOR UPDATE`, txt(appID)).Scan(&chain, &left)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		left, changed := take(chain, left)
		if !changed {
			return nil
		}
		_, err = t.exec(`UPDATE app_faults SET left_calls = $1 WHERE app_id = $2`, left, appID)
		return err
	})
}
