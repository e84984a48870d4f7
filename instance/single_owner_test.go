package instance_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/instance"
	"github.com/mockpay/mockpay/store"
)

// TestSecondStartOnOneDatabaseIsRefused: two mockpays on one SQLite file
// would both deliver every notification, so the second refuses to start,
// naming the first's address; after the first closes, a new one starts.
func TestSecondStartOnOneDatabaseIsRefused(t *testing.T) {
	ctx := context.Background()
	cfg := instance.Config{Addr: "127.0.0.1:0", DBPath: filepath.Join(t.TempDir(), "one.db")}
	first, err := instance.Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	second, err := instance.Start(ctx, cfg)
	if err == nil {
		second.Close(ctx)
		t.Fatal("a second mockpay started on the same database")
	}
	if !errors.Is(err, store.ErrInUse) || !strings.Contains(err.Error(), "listening on "+first.Addr.String()) {
		t.Errorf("refusal: %v", err)
	}
	// The refused start took nothing from the first.
	if resp, err := first.DB.Apps(ctx); err != nil || len(resp) == 0 {
		t.Errorf("first after the refusal: %v %v", err, resp)
	}
	if err := first.Close(ctx); err != nil {
		t.Fatal(err)
	}
	third, err := instance.Start(ctx, cfg)
	if err != nil {
		t.Fatalf("start after the first closed: %v", err)
	}
	third.Close(ctx)
}
