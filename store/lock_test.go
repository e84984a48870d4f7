//go:build unix

package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/mockpay/mockpay/payment"
)

// TestSecondOpenIsRefusedUntilClose: one database, one mockpay. The refusal
// names the holder and the way to run several replicas; once the holder
// closes, the next one opens.
func TestSecondOpenIsRefusedUntilClose(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	first, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.SetOwnerAddr("127.0.0.1:2088"); err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, path)
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second open of a held database: %v", err)
	}
	for _, want := range []string{path, fmt.Sprintf("pid %d", os.Getpid()), "listening on 127.0.0.1:2088", "since 20", "--db", "PostgreSQL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal lacks %q: %v", want, err)
		}
	}
	// The refused open left the holder's lock and data alone.
	if err := first.Tx(ctx, func(tx payment.Tx) error { return tx.InsertTrade(trade("STILL")) }); err != nil {
		t.Errorf("the holder cannot write after a refused open: %v", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open after the holder closed: %v", err)
	}
	second.Close()
}

// TestDatabasesInOtherFilesDoNotMeet: the lock is per file, so tests (and
// sandboxes) on their own files run side by side.
func TestDatabasesInOtherFilesDoNotMeet(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.db", "b.db", "c.db"} {
		open(t, filepath.Join(dir, name))
	}
}

// TestDatabaseFilesArePrivate: the database, its -wal and -shm and the lock
// file are 0600 whatever the umask, and a database an older mockpay left
// 0644 is tightened on open.
func TestDatabaseFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
	ctx := context.Background()
	dir := t.TempDir()

	fresh := filepath.Join(dir, "fresh.db")
	db := open(t, fresh)
	if err := db.Tx(ctx, func(tx payment.Tx) error { return tx.InsertTrade(trade("W")) }); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fresh, fresh + "-wal", fresh + "-shm", fresh + ".lock"} {
		wantMode(t, p)
	}
	if len(db.Warnings()) != 0 {
		t.Errorf("warnings for a fresh database: %v", db.Warnings())
	}

	loose := filepath.Join(dir, "loose.db")
	prev, err := Open(ctx, loose)
	if err != nil {
		t.Fatal(err)
	}
	prev.Close()
	for _, p := range []string{loose, loose + ".lock"} {
		if err := os.Chmod(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(loose+"-wal", nil, 0o644); err != nil { // as a crash may leave it
		t.Fatal(err)
	}
	open(t, loose)
	for _, p := range []string{loose, loose + "-wal", loose + ".lock"} {
		wantMode(t, p)
	}
}

func wantMode(t *testing.T, path string) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	if m := st.Mode().Perm(); m != 0o600 {
		t.Errorf("%s is %v, want -rw-------", filepath.Base(path), m)
	}
}
