package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// pending inserts a notification due at t0 and returns it as the
// dispatcher would claim it.
func pending(t *testing.T, db *DB, notifyID string) *payment.Notification {
	t.Helper()
	n := &payment.Notification{NotifyID: notifyID, AppID: "app", URL: "http://shop.test/notify",
		Trade: *trade(notifyID), Status: payment.NotifyPending, NextAttemptAt: t0}
	if err := db.Tx(context.Background(), func(tx payment.Tx) error { return tx.InsertNotification(n) }); err != nil {
		t.Fatal(err)
	}
	return n
}

func acked(n *payment.Notification, number int, at time.Time) (*payment.Attempt, payment.AttemptOutcome) {
	return &payment.Attempt{NotificationID: n.ID, Number: number, ScheduledAt: n.NextAttemptAt, StartedAt: at, Acked: true},
		payment.AttemptOutcome{Status: payment.NotifyAcked, Redeliveries: n.Redeliveries}
}

// TestRedeliveryDuringAnAttemptStands: the attempt was claimed before the
// redelivery and is recorded after it; the notification is still due (the
// redelivery asked for one more attempt), not acked from the attempt's old
// copy.
func TestRedeliveryDuringAnAttemptStands(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "m.db"))
	n := pending(t, db, "race-1")
	redo := t0.Add(time.Minute)
	if _, err := db.Redeliver(ctx, n.ID, redo); err != nil {
		t.Fatal(err)
	}
	a, o := acked(n, 1, t0)
	if ok, err := db.RecordAttempt(ctx, a, o); !ok || err != nil {
		t.Fatalf("record: %v %v", ok, err)
	}
	got, err := db.Notification(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != payment.NotifyPending || !got.NextAttemptAt.Equal(redo) || got.Redeliveries != 1 || got.Attempts != 1 || !got.AckedAt.Equal(t0) {
		t.Errorf("after the attempt: %+v", got)
	}
	due, err := db.DueNotifications(ctx, redo, 10)
	if err != nil || len(due) != 1 || due[0].Attempts != 1 {
		t.Fatalf("the redelivery is not due: %v %+v", err, due)
	}
	// The redelivered attempt, claimed after the redelivery, decides.
	a, o = acked(due[0], 2, redo)
	if ok, err := db.RecordAttempt(ctx, a, o); !ok || err != nil {
		t.Fatalf("record: %v %v", ok, err)
	}
	if got, _ := db.Notification(ctx, n.ID); got.Status != payment.NotifyAcked || got.Attempts != 2 {
		t.Errorf("after the redelivered attempt: %+v", got)
	}
}

// TestAttemptAfterResetRecordsNothing: a reset while the attempt was in
// flight removed the notification; recording is a no-op, not a foreign-key
// error.
func TestAttemptAfterResetRecordsNothing(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "m.db"))
	n := pending(t, db, "reset-1")
	if err := db.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	a, o := acked(n, 1, t0)
	if ok, err := db.RecordAttempt(ctx, a, o); ok || err != nil {
		t.Fatalf("record after reset: %v %v, want false and no error", ok, err)
	}
	if as, err := db.Attempts(ctx, n.ID); err != nil || len(as) != 0 {
		t.Errorf("attempts: %v %v", err, as)
	}
}

// TestAttemptNumberIsTakenOnce: a second record of the same attempt number
// (another process delivering from the same file) is refused with a clear
// error and changes nothing.
func TestAttemptNumberIsTakenOnce(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "m.db"))
	n := pending(t, db, "twice-1")
	a, o := acked(n, 1, t0)
	if _, err := db.RecordAttempt(ctx, a, o); err != nil {
		t.Fatal(err)
	}
	o.Status, o.NextAttemptAt = payment.NotifyPending, t0.Add(time.Hour)
	if ok, err := db.RecordAttempt(ctx, a, o); ok || err == nil {
		t.Fatalf("second record of attempt 1: %v %v", ok, err)
	}
	if got, _ := db.Notification(ctx, n.ID); got.Status != payment.NotifyAcked || got.Attempts != 1 {
		t.Errorf("after the refused record: %+v", got)
	}
}

// TestRedeliveriesAreCapped: payment.MaxRedeliveries redeliveries, then a
// coded error and no change.
func TestRedeliveriesAreCapped(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "m.db"))
	n := pending(t, db, "cap-1")
	for i := 1; i <= payment.MaxRedeliveries; i++ {
		if got, err := db.Redeliver(ctx, n.ID, t0); err != nil || got.Redeliveries != i {
			t.Fatalf("redelivery %d: %v %+v", i, err, got)
		}
	}
	if _, err := db.Redeliver(ctx, n.ID, t0.Add(time.Hour)); payment.CodeOf(err) != payment.CodeRedeliveryLimit {
		t.Fatalf("redelivery over the cap: %v", err)
	}
	if got, _ := db.Notification(ctx, n.ID); got.Redeliveries != payment.MaxRedeliveries || !got.NextAttemptAt.Equal(t0) {
		t.Errorf("the refused redelivery changed the row: %+v", got)
	}
}

// TestDueAndNextLeaveOutSkipped: ids in flight are neither due nor the next
// wake-up; after bounds the wake-up to later rows.
func TestDueAndNextLeaveOutSkipped(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "m.db"))
	a, b := pending(t, db, "skip-a"), pending(t, db, "skip-b")
	later := t0.Add(time.Hour)
	if _, err := db.Redeliver(ctx, b.ID, later); err != nil {
		t.Fatal(err)
	}
	if due, err := db.DueNotifications(ctx, t0, 10, a.ID); err != nil || len(due) != 0 {
		t.Errorf("due with a skipped: %v %+v", err, due)
	}
	if at, ok, err := db.NextNotificationAt(ctx, time.Time{}); err != nil || !ok || !at.Equal(t0) {
		t.Errorf("next: %v %v %v", at, ok, err)
	}
	if at, ok, _ := db.NextNotificationAt(ctx, time.Time{}, a.ID); !ok || !at.Equal(later) {
		t.Errorf("next without a: %v %v", at, ok)
	}
	if at, ok, _ := db.NextNotificationAt(ctx, t0); !ok || !at.Equal(later) {
		t.Errorf("next after t0: %v %v", at, ok)
	}
	if _, ok, _ := db.NextNotificationAt(ctx, t0, b.ID); ok {
		t.Error("next after t0 without b: something is scheduled")
	}
}
