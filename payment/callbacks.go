package payment

// A callback URL is one the platform calls (notify_url) or sends the buyer
// to (return_url, quit_url, show_url) on the merchant's behalf. Each use
// case that stores one asks Service.CheckCallback first, so every channel
// is covered without knowing what the check is about.

// callback is a URL an order or batch carries, with the name the
// merchant gave it.
type callback struct{ name, url string }

func (o Order) callbacks() []callback {
	return []callback{
		{"notify_url", o.NotifyURL}, {"return_url", o.ReturnURL},
		{"quit_url", o.QuitURL}, {"show_url", o.Legacy.ShowURL},
	}
}

func (b *RefundBatch) callbacks() []callback { return []callback{{"notify_url", b.NotifyURL}} }

// checkCallbacks refuses the first URL CheckCallback refuses, as the
// invalid parameter it is (each channel answers its own code for that).
func (s *Service) checkCallbacks(cs []callback) error {
	if s.CheckCallback == nil {
		return nil
	}
	for _, c := range cs {
		if c.url == "" {
			continue
		}
		if err := s.CheckCallback(c.url); err != nil {
			return Errorf(CodeInvalidParameter, "%s %q: %v", c.name, c.url, err)
		}
	}
	return nil
}
