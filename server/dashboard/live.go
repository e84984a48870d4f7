package dashboard

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/server/views"
)

// liveHeartbeat keeps an idle stream open through proxies, and bounds how
// long a dead client holds one.
const liveHeartbeat = 15 * time.Second

// liveDebounce gathers a burst of changes (a payment commits, its
// notification is attempted, each journaled) into one refresh.
const liveDebounce = 150 * time.Millisecond

// Live is the dashboard's live stream (server-sent events): an event
// "change" after every commit, recorded attempt and journaled request, so
// that the page script (liveScript) fetches the page again. It carries no
// data: the page itself is the only thing rendered. A request that does
// not ask for an event stream is answered at once, as it is no page.
func (s *Dashboard) Live(c echo.Context) error {
	if !strings.Contains(c.Request().Header.Get("Accept"), "text/event-stream") {
		return c.String(http.StatusNotAcceptable, "the dashboard's live stream: open it as an EventSource (Accept: text/event-stream)\n")
	}
	ctx, cancel := views.PollContext(c.Request().Context(), s.Stopping)
	defer cancel()
	h := c.Response().Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	c.Response().WriteHeader(http.StatusOK)
	send := func(s string) error {
		if _, err := fmt.Fprint(c.Response(), s); err != nil {
			return err
		}
		c.Response().Flush()
		return nil
	}
	// Each wait subscribes before the previous line is sent, so that no
	// change made after the client read that line is missed.
	subscribe := func() (changes, journaled <-chan struct{}) {
		if s.Changes != nil {
			changes = s.Changes.Changed()
		}
		if s.Journal != nil {
			journaled = s.Journal.Changed()
		}
		return
	}
	changes, journaled := subscribe()
	// A client that reconnects waits a second, not the browser's default 3.
	if err := send("retry: 1000\n\n"); err != nil {
		return nil
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(liveHeartbeat):
			if send(": still here\n\n") != nil {
				return nil
			}
			continue
		case <-changes:
		case <-journaled:
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(liveDebounce):
		}
		changes, journaled = subscribe()
		if send("event: change\ndata: \n\n") != nil {
			return nil
		}
	}
}
