package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// querier is a transaction or the pool: the views read outside any
// transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// rowsOf runs a query selecting id and data and decodes each row's JSON
// value, giving it its id with setID.
func rowsOf[T any](ctx context.Context, q querier, setID func(*T, int64), query string, args ...any) ([]*T, error) {
	rows, err := q.Query(ctx, query, texts(args)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		var id int64
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, err
		}
		v := new(T)
		if err := unmarshal(data, v); err != nil {
			return nil, err
		}
		setID(v, id)
		out = append(out, v)
	}
	return out, rows.Err()
}
