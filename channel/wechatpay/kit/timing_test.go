package kit

import (
	"testing"
	"time"
)

func TestPayableUntil(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		at, want time.Time
	}{
		{now.Add(time.Hour), now.Add(time.Hour)},
		{now.Add(DefaultUnpaidTimeout), now.Add(DefaultUnpaidTimeout)},
		{now.Add(30 * 24 * time.Hour), now.Add(DefaultUnpaidTimeout)},
	} {
		if got := PayableUntil(c.at, now); !got.Equal(c.want) {
			t.Errorf("PayableUntil(%v) = %v, want %v", c.at, got, c.want)
		}
	}
}
