package instance_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
)

var pgDatabases atomic.Int64

// testDB is where a test's mockpay keeps its state: a fresh SQLite file, or,
// when MOCKPAY_TEST_POSTGRES names a PostgreSQL server (make
// test-postgres), a fresh database on it, so the instance's end-to-end tests
// run on the PostgreSQL store too.
func testDB(t testing.TB) string {
	admin := os.Getenv("MOCKPAY_TEST_POSTGRES")
	if admin == "" {
		return filepath.Join(t.TempDir(), "mockpay.db")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("instance_%d_%d", os.Getpid(), pgDatabases.Add(1))
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c, err := pgx.Connect(ctx, admin); err == nil {
			c.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
			c.Close(ctx)
		}
	})
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String()
}
