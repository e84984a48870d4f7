package server

import (
	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/channel"
)

// channelRoutes mounts every registered channel's routes as they are: a
// route that bounds its own body (to answer an oversize one in its
// platform's format) goes on e, any other under the server's body limit.
// Each handler learns the URL the client reached mockpay under
// (channel.BaseURL), for the links it hands out.
func (s *Server) channelRoutes(e *echo.Echo, limited *echo.Group) {
	if s.Channels == nil {
		return
	}
	j := s.journaled("channel")
	for _, ch := range s.Channels.Channels() {
		for _, r := range ch.Routes {
			handler := r.Handler
			if s.Gateway != nil {
				handler = s.Gateway.Wrap(handler) // the gateway faults: inside the journal, which records what the shop got
			}
			h := j(withBaseURL(echo.WrapHandler(handler)))
			if r.OwnLimit {
				e.Match(r.Methods, r.Path, h)
			} else {
				limited.Match(r.Methods, r.Path, h)
			}
		}
	}
}

// withBaseURL puts scheme://host of the request, as echo reads it (TLS,
// X-Forwarded-Proto…), into the request's context.
func withBaseURL(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		c.SetRequest(req.WithContext(channel.WithBaseURL(req.Context(), c.Scheme()+"://"+req.Host)))
		return next(c)
	}
}
