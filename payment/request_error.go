package payment

import "context"

// KindRequestError reports a merchant request the platform refused, to the
// error URL the request named (Notification.RequestError). It has no trade.
const KindRequestError NotificationKind = "request_error"

// RequestError is a refused request as its error notification reports it:
// the refusal in domain words (the channel names it on its wire) and what
// the request said of the order. Seller and buyer are as the request named
// them.
type RequestError struct {
	Code        Code   `json:"Code"`
	OutTradeNo  string `json:"OutTradeNo"`
	BuyerID     string `json:"BuyerID"`
	SellerID    string `json:"SellerID"`
	SellerEmail string `json:"SellerEmail"`
	Charset     string `json:"Charset"`  // the request's, which the report is encoded in
	SignType    string `json:"SignType"` // the request's, which the report is signed with
}

// NotifyRequestError queues the report of app's refused request to url.
// The caller has verified that app signed the request: a report to a URL
// anyone could name would make the sandbox post anywhere. The URL passes
// CheckCallback like every other callback, and the report goes on the
// usual schedule.
func (s *Service) NotifyRequestError(ctx context.Context, app *App, url string, e RequestError) error {
	if err := s.checkCallbacks([]Callback{{"error_notify_url", url}}); err != nil {
		return err
	}
	now := s.Clock.Now()
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		return tx.InsertNotification(&Notification{
			NotifyID:      s.ids(app.Protocol()).NotifyID(now),
			AppID:         app.AppID,
			Protocol:      app.Protocol(),
			Kind:          KindRequestError,
			URL:           url,
			RequestError:  &e,
			Status:        NotifyPending,
			NextAttemptAt: now,
			CreatedAt:     now,
		})
	})
	if err != nil {
		return err
	}
	s.wakeIf(true)
	return nil
}
