package postgres_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/mockpay/mockpay/store/postgres"
	"github.com/mockpay/mockpay/store/storetest"
)

// serverURL is the PostgreSQL server the tests use (make test-postgres
// starts a throw-away one); without it they are skipped.
func serverURL(t *testing.T) string {
	u := os.Getenv("MOCKPAY_TEST_POSTGRES")
	if u == "" {
		t.Skip("MOCKPAY_TEST_POSTGRES is not set: make test-postgres runs these on a throw-away cluster")
	}
	return u
}

var schemas atomic.Int64

// freshDB is the URL of a new, empty schema on the test server: each test
// a database of its own.
func freshDB(t *testing.T) string {
	base := serverURL(t)
	conn, err := pgx.Connect(context.Background(), base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	name := fmt.Sprintf("t%d_%d", os.Getpid(), schemas.Add(1))
	if _, err := conn.Exec(context.Background(), `CREATE SCHEMA `+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			c.Exec(context.Background(), `DROP SCHEMA `+name+` CASCADE`)
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t *testing.T, dsn string) *postgres.DB {
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestContract runs the store contract suite on PostgreSQL.
func TestContract(t *testing.T) {
	dsns := map[storetest.Store]string{}
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) storetest.Store {
			dsn := freshDB(t)
			db := open(t, dsn)
			dsns[db] = dsn
			return db
		},
		Reopen: func(t *testing.T, s storetest.Store) storetest.Store {
			if err := s.(*postgres.DB).Close(); err != nil {
				t.Fatal(err)
			}
			db := open(t, dsns[s])
			dsns[db] = dsns[s]
			return db
		},
	})
}
