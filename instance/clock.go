package instance

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/mockpay/mockpay/clock"
)

// keepClock continues the clock the database remembers, so virtual time
// never goes back on a restart (advance 25h, restart: still 25h ahead, and
// the retries due then are not a day late), and stores every jump from now
// on. The stored clock, run on at its scale while mockpay was down, wins
// over the configured start when it is later; a later start (--clock-start)
// moves time forward. The configured scale holds from here.
func keepClock(ctx context.Context, db Store, c *clock.Virtual, log *slog.Logger) error {
	stored, ok, err := db.LoadClock(ctx)
	if err != nil {
		return fmt.Errorf("read the stored clock: %w", err)
	}
	if ok && c.Restore(stored) {
		log.Info("virtual time continues from the database", "now", c.Now().Format(time.RFC3339))
	}
	if err := c.Keep(func(a clock.Anchor) error { return db.SaveClock(context.WithoutCancel(ctx), a) }); err != nil {
		return fmt.Errorf("store the clock: %w", err)
	}
	return nil
}
