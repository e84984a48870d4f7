package payment

import "time"

// The read models below are what the control API and the dashboard ask of
// the store. They live with the domain, not with the store, so that the
// server (their consumer) imports no store and every store implementation
// (SQLite today, PostgreSQL later) answers the same questions.

// TradeFilter selects trades for the control API; empty fields match all.
type TradeFilter struct {
	AppID, OutTradeNo, TradeNo string
	Status                     Status
	Limit                      int
	// Before (0: none) keeps trades whose ID is below it: the next page
	// of a list newest first, after a page whose last trade had that ID.
	Before int64
}

// TradeEvent is one entry of a trade's status history.
type TradeEvent struct {
	At     time.Time
	Status Status
}

// NotificationFilter selects notifications; empty fields match all.
type NotificationFilter struct {
	AppID, TradeNo string
	Status         NotificationStatus
	Limit          int
	// Before (0: none) keeps notifications whose ID is below it (the next
	// page, as TradeFilter.Before).
	Before int64
}

// FeedAttempt is an attempt with its place in the attempts feed and its
// notification as it is now.
type FeedAttempt struct {
	FeedID       int64
	Attempt      *Attempt
	Notification *Notification
}
