package channel

import (
	"fmt"
	"slices"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// Set is the registered channels: the wiring builds it once, and every
// surface that meets a trade asks it for the trade's protocol.
type Set struct {
	channels []*Channel
	byID     map[payment.Protocol]entry
}

type entry struct {
	protocol *Protocol
	channel  *Channel
}

// NewSet registers channels; the first has at least one protocol, and two
// protocols may not share an id.
func NewSet(channels ...*Channel) (*Set, error) {
	if len(channels) == 0 || len(channels[0].Protocols) == 0 {
		return nil, fmt.Errorf("no channel with a protocol to register")
	}
	s := &Set{byID: map[payment.Protocol]entry{}}
	for _, c := range channels {
		for _, p := range c.Protocols {
			if prev, ok := s.byID[p.ID]; ok {
				return nil, fmt.Errorf("channel %s: protocol id %q is already %s's", c.Name, p.ID, prev.channel.Name)
			}
			s.byID[p.ID] = entry{p, c}
		}
		s.channels = append(s.channels, c)
	}
	return s, nil
}

// Default is the first registered protocol: it words errors that belong to
// no known trade (the cashier's page for an unknown token).
func (s *Set) Default() *Protocol { return s.channels[0].Protocols[0] }

// Channels returns the registered channels in registration order.
func (s *Set) Channels() []*Channel { return s.channels }

// Protocol returns the protocol with that id and its channel.
func (s *Set) Protocol(id payment.Protocol) (*Protocol, *Channel, bool) {
	e, ok := s.byID[id]
	return e.protocol, e.channel, ok
}

// StatusName is how the channel of protocol id names st; a protocol no
// channel registered shows the domain's word.
func (s *Set) StatusName(id payment.Protocol, st payment.Status) string {
	if _, c, ok := s.Protocol(id); ok {
		return c.Statuses.Name(st)
	}
	return string(st)
}

// ParseStatus reads a status filter: any channel's name of a state, or the
// domain's own word.
func (s *Set) ParseStatus(name string) (payment.Status, bool) {
	if slices.Contains(payment.Statuses, payment.Status(name)) {
		return payment.Status(name), true
	}
	for _, c := range s.channels {
		if st, ok := c.Statuses.Parse(name); ok {
			return st, true
		}
	}
	return "", false
}

// StatusNames lists every channel's names of the states, without repeats,
// for a filter's choices.
func (s *Set) StatusNames() []string {
	var out []string
	for _, c := range s.channels {
		for _, n := range c.Statuses.List() {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// AppPay is the first registered protocol that offers app payment: the one
// the sandbox's app-pay helper plays the mobile app of.
func (s *Set) AppPay() (*Protocol, bool) {
	for _, c := range s.channels {
		for _, p := range c.Protocols {
			if p.AppPay != nil {
				return p, true
			}
		}
	}
	return nil, false
}

// NewApp is the first registered protocol that creates sandbox apps: the
// one mockpay's create-app lever makes apps of.
func (s *Set) NewApp() (*Protocol, bool) {
	for _, c := range s.channels {
		for _, p := range c.Protocols {
			if p.NewApp != nil {
				return p, true
			}
		}
	}
	return nil, false
}

// NewAppOf creates an app of the channel or protocol spec.Protocol names
// (a channel's Name or a protocol's), through the first of its protocols
// that creates apps; an empty name is the first such protocol of all.
func (s *Set) NewAppOf(spec payment.AppSpec, taken func(appID string) bool) (*payment.App, error) {
	if spec.Protocol == "" {
		if p, ok := s.NewApp(); ok {
			return p.NewApp(spec, taken)
		}
	}
	for _, c := range s.channels {
		for _, p := range c.Protocols {
			if p.NewApp != nil && (c.Name == spec.Protocol || p.Name == spec.Protocol) {
				return p.NewApp(spec, taken)
			}
		}
	}
	return nil, payment.Errorf(payment.CodeInvalidParameter, "protocol %q: no registered channel or protocol of that name creates apps", spec.Protocol)
}

// CheckApp applies the rules of app's protocol to it; a protocol without
// rules, or one no channel registered, accepts it.
func (s *Set) CheckApp(app *payment.App) error {
	if p, _, ok := s.Protocol(app.Protocol()); ok && p.Check != nil {
		return p.Check(app)
	}
	return nil
}

// Certs are app's downloadable certificates, if its protocol has any for it.
func (s *Set) Certs(app *payment.App) (Certs, bool) {
	if p, _, ok := s.Protocol(app.Protocol()); ok && p.Certs != nil {
		return p.Certs(app)
	}
	return Certs{}, false
}

// Banner is app's line in mockpay serve's start-up banner.
func (s *Set) Banner(app *payment.App) string {
	if p, _, ok := s.Protocol(app.Protocol()); ok && p.Banner != nil {
		return p.Banner(app)
	}
	return fmt.Sprintf("%s  %-4s  merchant %s  %s", app.AppID, app.SignType, app.PID, app.Name)
}

// ScanCode is the QR code text of t, when its protocol gives it one.
func (s *Set) ScanCode(t *payment.Trade) (string, bool) {
	if p, _, ok := s.Protocol(t.Protocol); ok && p.ScanCode != nil {
		return p.ScanCode(t)
	}
	return "", false
}

// Reveal is what n's protocol reveals of it beyond its wire body.
func (s *Set) Reveal(n *payment.Notification) (event, payload string, ok bool) {
	if p, _, found := s.Protocol(n.Protocol); found && p.Reveal != nil {
		return p.Reveal(n)
	}
	return "", "", false
}

// Notifier is the notifier of protocol id: the dispatcher sends each
// notification through the protocol it was ordered in.
func (s *Set) Notifier(id payment.Protocol) (Notifier, bool) {
	p, _, ok := s.Protocol(id)
	if !ok || p.Notifier == nil {
		return nil, false
	}
	return p.Notifier, true
}

// IDs is the id formats of protocol id: the domain issues each trade's
// numbers in the shape of the protocol it was ordered through.
func (s *Set) IDs(id payment.Protocol) (payment.IDs, bool) {
	p, _, ok := s.Protocol(id)
	if !ok || p.IDs == nil {
		return nil, false
	}
	return p.IDs, true
}

// Terms is the order terms' rules of protocol id: the domain judges each
// order by the protocol it came through.
func (s *Set) Terms(id payment.Protocol) (payment.Terms, bool) {
	p, _, ok := s.Protocol(id)
	if !ok || p.Terms == nil {
		return nil, false
	}
	return p.Terms, true
}

// RefundWindow is the default refund window of protocol id: a paid trade
// finishes when it ends.
func (s *Set) RefundWindow(id payment.Protocol) (time.Duration, bool) {
	p, _, ok := s.Protocol(id)
	if !ok || p.RefundWindow == 0 {
		return 0, false
	}
	return p.RefundWindow, true
}

// RefundOutcomes says whether protocol id's refunds may end otherwise
// than succeeded (Protocol.RefundOutcomes).
func (s *Set) RefundOutcomes(id payment.Protocol) bool {
	p, _, ok := s.Protocol(id)
	return ok && p.RefundOutcomes
}

// Hosts is every registered channel's host names, each once, in
// registration order.
func (s *Set) Hosts() []string {
	var out []string
	for _, c := range s.channels {
		for _, h := range c.Hosts {
			if !slices.Contains(out, h) {
				out = append(out, h)
			}
		}
	}
	return out
}
