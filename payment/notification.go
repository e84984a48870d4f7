package payment

import "time"

// NotificationStatus is where a notification is in its delivery life.
type NotificationStatus string

const (
	NotifyPending NotificationStatus = "pending" // will be (re)tried at NextAttemptAt
	NotifyAcked   NotificationStatus = "acked"   // the shop answered exactly as required
	NotifyGaveUp  NotificationStatus = "gave_up" // the schedule ran out
)

// Notification is an outbox row: written in the same transaction as the
// state change it reports, delivered later, at least once.
type Notification struct {
	ID            int64
	NotifyID      string // the same on every retry (§3.2)
	AppID         string
	Protocol      Protocol // whose channel encodes it
	Kind          string   // trade_status_sync
	URL           string
	Trade         Trade        // the trade as it was when the change committed
	Refund        *Refund      // the refund this notification reports, if any
	Batch         *RefundBatch `json:",omitempty"` // the legacy batch refund it reports (Kind batch_refund_notify)
	Status        NotificationStatus
	Attempts      int
	Redeliveries  int // manual redeliveries asked for through the control API
	NextAttemptAt time.Time
	CreatedAt     time.Time
	AckedAt       time.Time
}

// Attempt is one delivery try and what the shop answered.
type Attempt struct {
	NotificationID int64
	Number         int       // 1-based
	ScheduledAt    time.Time // virtual time the platform meant to send it
	StartedAt      time.Time // virtual time it was sent
	URL            string
	Request        string // the form body sent
	StatusCode     int    // 0 when no HTTP answer came
	Latency        time.Duration
	Answer         string // first bytes of the answer body
	Acked          bool
	Verdict        string // why it counts or does not count as an ack
}
