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
	ID            int64              `json:"ID"`
	NotifyID      string             `json:"NotifyID"` // the same on every retry (§3.2)
	AppID         string             `json:"AppID"`
	Protocol      Protocol           `json:"Protocol"` // whose channel encodes it
	Kind          string             `json:"Kind"`     // trade_status_sync
	URL           string             `json:"URL"`
	Trade         Trade              `json:"Trade"`           // the trade as it was when the change committed
	Refund        *Refund            `json:"Refund"`          // the refund this notification reports, if any
	Batch         *RefundBatch       `json:"Batch,omitempty"` // the legacy batch refund it reports (Kind batch_refund_notify)
	Status        NotificationStatus `json:"Status"`
	Attempts      int                `json:"Attempts"`
	Redeliveries  int                `json:"Redeliveries"` // manual redeliveries asked for through the control API
	NextAttemptAt time.Time          `json:"NextAttemptAt"`
	CreatedAt     time.Time          `json:"CreatedAt"`
	AckedAt       time.Time          `json:"AckedAt"`
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
	Verdict        string        `json:"Verdict"` // why it counts or does not count as an ack
}
