package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// testRedeliveryDuringAttempt: the attempt was claimed before the
// redelivery and is recorded after it; the notification is still due (the
// redelivery asked for one more attempt), not acked from the attempt's old
// copy.
func testRedeliveryDuringAttempt(t *testing.T, h Harness) {
	s := h.Open(t)
	n := pending(t, s, "race-1")
	if got, err := s.ClaimDue(ctx, t0, lease("a", t0), 10, nil); err != nil || len(got) != 1 {
		t.Fatalf("claim: %v %+v", err, got)
	}
	redo := t0.Add(time.Minute)
	if _, err := s.Redeliver(ctx, n.ID, redo); err != nil {
		t.Fatal(err)
	}
	a, o := acked(n, 1, t0)
	if ok, err := s.RecordAttempt(ctx, a, o); !ok || err != nil {
		t.Fatalf("record: %v %v", ok, err)
	}
	got, err := s.Notification(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != payment.NotifyPending || !got.NextAttemptAt.Equal(redo) || got.Redeliveries != 1 || got.Attempts != 1 || !got.AckedAt.Equal(t0) {
		t.Errorf("after the attempt: %+v", got)
	}
	// The record ended a's claim: b may take the redelivery.
	due, err := s.ClaimDue(ctx, redo, lease("b", t0), 10, nil)
	if err != nil || len(due) != 1 || due[0].Attempts != 1 {
		t.Fatalf("the redelivery is not due: %v %+v", err, due)
	}
	a, o = acked(due[0], 2, redo)
	if ok, err := s.RecordAttempt(ctx, a, o); !ok || err != nil {
		t.Fatalf("record: %v %v", ok, err)
	}
	if got, _ := s.Notification(ctx, n.ID); got.Status != payment.NotifyAcked || got.Attempts != 2 {
		t.Errorf("after the redelivered attempt: %+v", got)
	}
}

// testAttemptAfterReset: a reset while the attempt was in flight removed
// the notification; recording is a no-op, not an error.
func testAttemptAfterReset(t *testing.T, h Harness) {
	s := h.Open(t)
	n := pending(t, s, "reset-1")
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	a, o := acked(n, 1, t0)
	if ok, err := s.RecordAttempt(ctx, a, o); ok || err != nil {
		t.Fatalf("record after reset: %v %v, want false and no error", ok, err)
	}
	if as, err := s.Attempts(ctx, n.ID); err != nil || len(as) != 0 {
		t.Errorf("attempts: %v %v", err, as)
	}
}

// testAttemptTakenOnce: a second record of one attempt number (a lease
// that ended while its attempt ran, and another dispatcher that sent it
// too) is refused with ErrAttemptTaken and changes nothing.
func testAttemptTakenOnce(t *testing.T, h Harness) {
	s := h.Open(t)
	n := pending(t, s, "twice-1")
	a, o := acked(n, 1, t0)
	if _, err := s.RecordAttempt(ctx, a, o); err != nil {
		t.Fatal(err)
	}
	o.Status, o.NextAttemptAt = payment.NotifyPending, t0.Add(time.Hour)
	if ok, err := s.RecordAttempt(ctx, a, o); ok || !errors.Is(err, payment.ErrAttemptTaken) {
		t.Fatalf("second record of attempt 1: %v %v", ok, err)
	}
	if got, _ := s.Notification(ctx, n.ID); got.Status != payment.NotifyAcked || got.Attempts != 1 {
		t.Errorf("after the refused record: %+v", got)
	}
	if as, _ := s.Attempts(ctx, n.ID); len(as) != 1 {
		t.Errorf("%d attempts recorded", len(as))
	}
}

// testRedeliveriesCapped: payment.MaxRedeliveries redeliveries, then a
// coded error and no change.
func testRedeliveriesCapped(t *testing.T, h Harness) {
	s := h.Open(t)
	n := pending(t, s, "cap-1")
	for i := 1; i <= payment.MaxRedeliveries; i++ {
		if got, err := s.Redeliver(ctx, n.ID, t0); err != nil || got.Redeliveries != i {
			t.Fatalf("redelivery %d: %v %+v", i, err, got)
		}
	}
	if _, err := s.Redeliver(ctx, n.ID, t0.Add(time.Hour)); payment.CodeOf(err) != payment.CodeRedeliveryLimit {
		t.Fatalf("redelivery over the cap: %v", err)
	}
	if got, _ := s.Notification(ctx, n.ID); got.Redeliveries != payment.MaxRedeliveries || !got.NextAttemptAt.Equal(t0) {
		t.Errorf("the refused redelivery changed the row: %+v", got)
	}
	if _, err := s.Redeliver(ctx, 1<<40, t0); !errors.Is(err, payment.ErrNotFound) {
		t.Errorf("redeliver an unknown id: %v", err)
	}
}

// testClaimExclusive: what one owner claimed, no other gets while the
// lease holds, whatever the virtual time; its owner gets it again (an
// attempt it could not record); once the lease has ended anyone may take
// it over.
func testClaimExclusive(t *testing.T, h Harness) {
	s := h.Open(t)
	a, b := pending(t, s, "lease-a"), pending(t, s, "lease-b")
	got, err := s.ClaimDue(ctx, t0, lease("one", t0), 10, nil)
	if err != nil || !slices.Equal(ids(got), []int64{a.ID, b.ID}) {
		t.Fatalf("first claim: %v %v", err, ids(got))
	}
	// A jump of virtual days changes nothing: leases run on their own clock.
	if got, _ := s.ClaimDue(ctx, t0.Add(48*time.Hour), lease("two", t0.Add(59*time.Second)), 10, nil); len(got) != 0 {
		t.Errorf("another owner claimed %v while the lease holds", ids(got))
	}
	if got, _ := s.ClaimDue(ctx, t0, lease("one", t0.Add(time.Second)), 10, nil); len(got) != 2 {
		t.Errorf("the owner claims its own rows again: %v", ids(got))
	}
	// That re-claim renewed the lease until t0+61s.
	if got, _ := s.ClaimDue(ctx, t0, lease("two", t0.Add(time.Minute)), 10, nil); len(got) != 0 {
		t.Errorf("claimed %v under a renewed lease", ids(got))
	}
	got, err = s.ClaimDue(ctx, t0, lease("two", t0.Add(61*time.Second)), 1, nil)
	if err != nil || !slices.Equal(ids(got), []int64{a.ID}) {
		t.Fatalf("take-over once the lease ended, limit 1: %v %v", err, ids(got))
	}
	if got, _ := s.ClaimDue(ctx, t0, lease("one", t0.Add(62*time.Second)), 10, nil); !slices.Equal(ids(got), []int64{b.ID}) {
		t.Errorf("after the take-over the first owner gets %v, want only b", ids(got))
	}
}

// testClaimTake: only the rows take accepts are claimed; the others stay
// free for another owner.
func testClaimTake(t *testing.T, h Harness) {
	s := h.Open(t)
	a, b := pending(t, s, "take-a"), pending(t, s, "take-b")
	var seen []int64
	got, err := s.ClaimDue(ctx, t0, lease("one", t0), 10, func(n *payment.Notification) bool {
		seen = append(seen, n.ID)
		return n.ID == b.ID
	})
	if err != nil || !slices.Equal(ids(got), []int64{b.ID}) || !slices.Equal(seen, []int64{a.ID, b.ID}) {
		t.Fatalf("claim: %v claimed %v, looked at %v", err, ids(got), seen)
	}
	if got, _ := s.ClaimDue(ctx, t0, lease("two", t0), 10, nil); !slices.Equal(ids(got), []int64{a.ID}) {
		t.Errorf("another owner gets %v, want the row take refused", ids(got))
	}
}

// testClaimEndsWithAttempt: recording an attempt ends its claim, so the
// retry it schedules is anyone's.
func testClaimEndsWithAttempt(t *testing.T, h Harness) {
	s := h.Open(t)
	n := pending(t, s, "end-1")
	if got, _ := s.ClaimDue(ctx, t0, lease("one", t0), 10, nil); len(got) != 1 {
		t.Fatal("nothing claimed")
	}
	retry := t0.Add(4 * time.Minute)
	a := &payment.Attempt{NotificationID: n.ID, Number: 1, ScheduledAt: t0, StartedAt: t0, StatusCode: 500}
	if ok, err := s.RecordAttempt(ctx, a, payment.AttemptOutcome{Status: payment.NotifyPending, NextAttemptAt: retry}); !ok || err != nil {
		t.Fatalf("record: %v %v", ok, err)
	}
	if got, _ := s.ClaimDue(ctx, retry.Add(-time.Second), lease("two", t0), 10, nil); len(got) != 0 {
		t.Errorf("the retry is due early: %v", ids(got))
	}
	if got, _ := s.ClaimDue(ctx, retry, lease("two", t0), 10, nil); len(got) != 1 || got[0].Attempts != 1 {
		t.Errorf("the retry is not anyone's once the attempt is recorded: %+v", got)
	}
}

// testReleaseClaim: a released claim (an attempt cut short at shutdown) is
// due again at once for anyone; only its owner can release it.
func testReleaseClaim(t *testing.T, h Harness) {
	s := h.Open(t)
	n := pending(t, s, "rel-1")
	if got, _ := s.ClaimDue(ctx, t0, lease("one", t0), 10, nil); len(got) != 1 {
		t.Fatal("nothing claimed")
	}
	if err := s.ReleaseClaim(ctx, "two", n.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ClaimDue(ctx, t0, lease("two", t0), 10, nil); len(got) != 0 {
		t.Error("another owner released one's claim")
	}
	if err := s.ReleaseClaim(ctx, "one", n.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ClaimDue(ctx, t0, lease("two", t0), 10, nil); len(got) != 1 || !got[0].NextAttemptAt.Equal(t0) {
		t.Errorf("released row: %+v", got)
	}
}

// testNextIgnoresOthersLeases: the next wake-up leaves out ids in flight
// and rows another owner's lease holds; NextLeaseEnd says when that lease
// ends; after bounds the wake-up to later rows.
func testNextIgnoresOthersLeases(t *testing.T, h Harness) {
	s := h.Open(t)
	a, b := pending(t, s, "next-a"), pending(t, s, "next-b")
	later := t0.Add(time.Hour)
	if _, err := s.Redeliver(ctx, b.ID, later); err != nil {
		t.Fatal(err)
	}
	one, two := lease("one", t0), lease("two", t0)
	if at, ok, err := s.NextNotificationAt(ctx, time.Time{}, two); err != nil || !ok || !at.Equal(t0) {
		t.Errorf("next: %v %v %v", at, ok, err)
	}
	if at, ok, _ := s.NextNotificationAt(ctx, time.Time{}, two, a.ID); !ok || !at.Equal(later) {
		t.Errorf("next without a: %v %v", at, ok)
	}
	if at, ok, _ := s.NextNotificationAt(ctx, t0, two); !ok || !at.Equal(later) {
		t.Errorf("next after t0: %v %v", at, ok)
	}
	if _, ok, _ := s.NextNotificationAt(ctx, t0, two, b.ID); ok {
		t.Error("next after t0 without b: something is scheduled")
	}
	if _, ok, err := s.NextLeaseEnd(ctx, two); ok || err != nil {
		t.Errorf("a lease end before any claim: %v", err)
	}
	if got, _ := s.ClaimDue(ctx, t0, one, 10, nil); !slices.Equal(ids(got), []int64{a.ID}) {
		t.Fatalf("claimed %v", ids(got))
	}
	if at, ok, _ := s.NextNotificationAt(ctx, time.Time{}, two); !ok || !at.Equal(later) {
		t.Errorf("next for another owner while a's lease holds: %v %v", at, ok)
	}
	if at, ok, _ := s.NextNotificationAt(ctx, time.Time{}, one); !ok || !at.Equal(t0) {
		t.Errorf("next for a's owner: %v %v", at, ok)
	}
	if end, ok, err := s.NextLeaseEnd(ctx, two); err != nil || !ok || !end.Equal(one.Until()) {
		t.Errorf("lease end: %v %v %v, want %v", end, ok, err, one.Until())
	}
	if _, ok, _ := s.NextLeaseEnd(ctx, one); ok {
		t.Error("the owner waits for its own lease")
	}
	after := lease("two", one.Until())
	if _, ok, _ := s.NextLeaseEnd(ctx, after); ok {
		t.Error("an ended lease still holds")
	}
	if at, ok, _ := s.NextNotificationAt(ctx, time.Time{}, after); !ok || !at.Equal(t0) {
		t.Errorf("next once a's lease ended: %v %v", at, ok)
	}
}
