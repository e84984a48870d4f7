package payment

// A callback URL is one the platform calls (notify_url) or sends the buyer
// to (return_url, quit_url, and those a channel's order terms name) on the
// merchant's behalf. Each use case that stores one asks
// Service.CheckCallback first, so every channel is covered without knowing
// what the check is about.

// callbacks are o's URLs: the domain's, then those of its protocol's
// terms.
func (s *Service) callbacks(o Order) []Callback {
	return append([]Callback{
		{"notify_url", o.NotifyURL}, {"return_url", o.ReturnURL}, {"quit_url", o.QuitURL},
	}, s.terms(o.Protocol).Callbacks(o)...)
}

func (b *RefundBatch) callbacks() []Callback { return []Callback{{"notify_url", b.NotifyURL}} }

// checkCallbacks refuses the first URL CheckCallback refuses, as the
// invalid parameter it is (each channel answers its own code for that).
func (s *Service) checkCallbacks(cs []Callback) error {
	if s.CheckCallback == nil {
		return nil
	}
	for _, c := range cs {
		if c.URL == "" {
			continue
		}
		if err := s.CheckCallback(c.URL); err != nil {
			return Errorf(CodeInvalidParameter, "%s %q: %v", c.Name, c.URL, err)
		}
	}
	return nil
}
