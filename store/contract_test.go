package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/mockpay/mockpay/store"
	"github.com/mockpay/mockpay/store/storetest"
)

// TestContract runs the store contract suite on SQLite files.
func TestContract(t *testing.T) {
	paths := map[storetest.Store]string{}
	open := func(t *testing.T, path string) storetest.Store {
		db, err := store.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		paths[db] = path
		return db
	}
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) storetest.Store { return open(t, filepath.Join(t.TempDir(), "m.db")) },
		Reopen: func(t *testing.T, s storetest.Store) storetest.Store {
			if err := s.(*store.DB).Close(); err != nil {
				t.Fatal(err)
			}
			return open(t, paths[s])
		},
	})
}
