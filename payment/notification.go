package payment

import "time"

// NotificationStatus is where a notification is in its delivery life.
type NotificationStatus string

const (
	NotifyPending NotificationStatus = "pending" // will be (re)tried at NextAttemptAt
	NotifyAcked   NotificationStatus = "acked"   // the shop answered exactly as required
	NotifyGaveUp  NotificationStatus = "gave_up" // the schedule ran out
)

// NotificationKind says what a notification reports, in words of no
// platform; each channel names it on its wire (Alipay's notify_type).
type NotificationKind string

const (
	// KindTrade reports a trade's change of state: paid, finished, closed.
	KindTrade NotificationKind = "trade"
	// KindRefund reports a refund of a trade (Notification.Refund).
	KindRefund NotificationKind = "refund"
	// KindBatchRefund reports an applied refund batch (Notification.Batch).
	KindBatchRefund NotificationKind = "batch_refund"
)

// Notification is an outbox row: written in the same transaction as the
// state change it reports, delivered later, at least once.
type Notification struct {
	ID            int64              `json:"ID"`
	NotifyID      string             `json:"NotifyID"` // the same on every retry (§3.2)
	AppID         string             `json:"AppID"`
	Protocol      Protocol           `json:"Protocol"` // whose channel encodes it
	Kind          NotificationKind   `json:"Kind"`     // what happened; the channel names it on the wire
	URL           string             `json:"URL"`
	Trade         Trade              `json:"Trade"`                  // the trade as it was when the change committed
	Refund        *Refund            `json:"Refund"`                 // the refund this notification reports, if any
	Batch         *RefundBatch       `json:"Batch,omitempty"`        // the refund batch it reports (Kind batch_refund)
	RequestError  *RequestError      `json:"RequestError,omitempty"` // the refused request it reports (Kind request_error)
	Status        NotificationStatus `json:"Status"`
	Attempts      int                `json:"Attempts"`
	Redeliveries  int                `json:"Redeliveries"` // manual redeliveries asked for through the control API
	NextAttemptAt time.Time          `json:"NextAttemptAt"`
	CreatedAt     time.Time          `json:"CreatedAt"`
	AckedAt       time.Time          `json:"AckedAt"`

	// ManualDue says the attempt due at NextAttemptAt is a manual
	// redelivery: one extra attempt, after which the platform's schedule
	// goes on as Resume holds it (README: a redelivery does not move it).
	ManualDue bool    `json:"ManualDue,omitempty"`
	Resume    *Resume `json:"Resume,omitempty"`
	Manuals   int     `json:"Manuals,omitempty"` // manual attempts made (recorded)
}

// Attempt is one delivery try and what the shop answered.
type Attempt struct {
	NotificationID int64         `json:"NotificationID"`
	Number         int           `json:"Number"`      // 1-based
	ScheduledAt    time.Time     `json:"ScheduledAt"` // virtual time the platform meant to send it
	StartedAt      time.Time     `json:"StartedAt"`   // virtual time it was sent
	URL            string        `json:"URL"`
	Request        string        `json:"Request"`    // the form body sent
	StatusCode     int           `json:"StatusCode"` // 0 when no HTTP answer came
	Latency        time.Duration `json:"Latency"`
	Answer         string        `json:"Answer"` // first bytes of the answer body
	Acked          bool          `json:"Acked"`
	Verdict        string        `json:"Verdict"`          // why it counts or does not count as an ack
	Manual         bool          `json:"Manual,omitempty"` // a redelivery asked for, outside the schedule
}

// Resume is where a notification's schedule stood when a manual
// redelivery was asked for: its state, and its next scheduled attempt.
type Resume struct {
	Status        NotificationStatus `json:"Status"`
	NextAttemptAt time.Time          `json:"NextAttemptAt"`
}

// ScheduledAttempts is how many of n's attempts were the schedule's (not
// manual redeliveries): the next scheduled attempt is the one after them.
func (n *Notification) ScheduledAttempts() int { return n.Attempts - n.Manuals }

// MaxRedeliveries caps the manual redeliveries of one notification (control
// API, dashboard, mockpaytest). Enough to test a shop's duplicate handling
// many times over; few enough that notifications aimed at each other's
// redeliver endpoint cannot loop for ever (selfguard refuses such URLs
// first; this is the bound if one slips through).
const MaxRedeliveries = 20

// Redeliver makes n due at now, whatever its state: one extra attempt,
// after which n is back where its schedule was (pending with its next
// retry at the same time, acknowledged or given up) unless that attempt is
// acknowledged. It refuses once n has been redelivered MaxRedeliveries
// times. Asked again before the extra attempt is made, it still makes one.
func (n *Notification) Redeliver(now time.Time) error {
	if n.Redeliveries >= MaxRedeliveries {
		return Errorf(CodeRedeliveryLimit, "notification %d was redelivered %d times already, the most one notification allows; make a new payment to test again", n.ID, n.Redeliveries)
	}
	if !n.ManualDue {
		n.Resume = &Resume{Status: n.Status, NextAttemptAt: n.NextAttemptAt}
	}
	n.Status, n.NextAttemptAt, n.Redeliveries, n.ManualDue = NotifyPending, now, n.Redeliveries+1, true
	return nil
}

// AttemptOutcome is what one attempt decides for its notification, and what
// the attempt saw of it when it began.
type AttemptOutcome struct {
	Status        NotificationStatus
	NextAttemptAt time.Time // when Status is pending
	// Redeliveries is the notification's count when the attempt began.
	Redeliveries int
}

// Record applies attempt a and its outcome to n as n is now (not as the
// attempt saw it): a redelivery asked for while the attempt was in flight
// stands, so n stays pending and due when it was asked for. It reports
// false when a is not n's next attempt (the number is already taken).
func (n *Notification) Record(a *Attempt, o AttemptOutcome) bool {
	if a.Number != n.Attempts+1 {
		return false
	}
	n.Attempts = a.Number
	if a.Manual {
		n.Manuals++
	}
	if a.Acked {
		n.AckedAt = a.StartedAt
	}
	if n.Redeliveries != o.Redeliveries {
		// Redelivered meanwhile: that extra attempt is due now, and the
		// schedule goes on from this attempt's outcome after it.
		switch {
		case n.Resume == nil:
		case a.Acked:
			n.Resume.Status = NotifyAcked
		case !a.Manual:
			n.Resume = &Resume{Status: o.Status, NextAttemptAt: o.NextAttemptAt}
		}
		return true
	}
	if a.Manual {
		n.ManualDue = false
		r := n.Resume
		n.Resume = nil
		switch {
		case a.Acked:
			n.Status = NotifyAcked
		case r != nil:
			n.Status = r.Status
			if r.Status == NotifyPending {
				n.NextAttemptAt = r.NextAttemptAt
			}
		default:
			n.Status = o.Status
		}
		return true
	}
	n.Status = o.Status
	if o.Status == NotifyPending {
		n.NextAttemptAt = o.NextAttemptAt
	}
	return true
}
