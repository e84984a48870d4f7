package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// SaveFaults stores app's chosen fault chain with the calls each step
// still takes (faults.Store). An empty chain is stored too: "none" is a
// choice, which fixtures must not undo at the next start. With keep, a
// chain already stored stays and saved is false: fixtures seed only an app
// nobody chose for yet. A save tells the other replicas, which load the
// chains again (Events.Faults), so a choice made through one replica acts
// on all of them.
func (db *DB) SaveFaults(ctx context.Context, appID, chain string, left []int, keep bool) (saved bool, err error) {
	q := `INSERT INTO app_faults (app_id, chain, left_calls) VALUES ($1, $2, $3)
		ON CONFLICT (app_id) DO UPDATE SET chain = excluded.chain, left_calls = excluded.left_calls`
	if keep {
		q = `INSERT INTO app_faults (app_id, chain, left_calls) VALUES ($1, $2, $3) ON CONFLICT (app_id) DO NOTHING`
	}
	err = db.exec(ctx, false, func(t *txn) error {
		n, err := t.exec(q, appID, chain, joinCounts(left))
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

// TakeFault runs take on app's stored chain and counts with the row locked
// (SELECT … FOR UPDATE) and stores the counts take leaves when it reports
// a change, in one transaction: replicas taking a call of one app at once
// take turns, so a step's calls are spent once overall, not once per
// replica. With no chain stored, take does not run.
func (db *DB) TakeFault(ctx context.Context, appID string, take func(chain string, left []int) bool) error {
	return db.exec(ctx, false, func(t *txn) error {
		var chain, counts string
		err := t.tx.QueryRow(t.ctx, `SELECT chain, left_calls FROM app_faults WHERE app_id = $1 FOR UPDATE`, txt(appID)).Scan(&chain, &counts)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		left, err := splitCounts(counts)
		if err != nil {
			return err
		}
		if !take(chain, left) {
			return nil
		}
		_, err = t.exec(`UPDATE app_faults SET left_calls = $1 WHERE app_id = $2`, joinCounts(left), appID)
		return err
	})
}

// joinCounts is the left_calls column of app_faults: "3,0,1".
func joinCounts(left []int) string {
	parts := make([]string, len(left))
	for i, n := range left {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}

func splitCounts(s string) ([]int, error) {
	if s == "" {
		return []int{}, nil
	}
	parts := strings.Split(s, ",")
	out := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, errors.New("app_faults: bad left_calls " + strconv.Quote(s))
		}
		out[i] = n
	}
	return out, nil
}
