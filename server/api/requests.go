package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/journal"
	"github.com/mockpay/mockpay/server/views"
)

// Requests lists the request journal (?app=, ?verdict=accepted|rejected,
// ?since=<id>), waiting up to ?wait= for a new entry when none matches yet:
// what `mockpay logs --follow` tails.
func (s *API) Requests(c echo.Context) error {
	f, err := requestFilter(c)
	if err != nil {
		return apiFail(c, err)
	}
	wait, err := waitParam(c, "wait", 0)
	if err != nil {
		return apiFail(c, err)
	}
	out := controlapi.Requests{Requests: []controlapi.Request{}, Next: f.Since}
	if s.Journal == nil {
		return c.JSON(http.StatusOK, out)
	}
	out.Journal = s.Journal.ID()
	ctx, cancel := views.PollContext(c.Request().Context(), s.Stopping)
	defer cancel()
	entries, err := s.Journal.Wait(ctx, f, wait)
	if err != nil && views.Stopped(s.Stopping) && c.Request().Context().Err() == nil {
		entries, err = s.Journal.List(f), nil // shutting down: what there is now
	}
	if err != nil {
		return apiFail(c, err)
	}
	for _, e := range entries {
		out.Requests = append(out.Requests, views.RequestJSON(e))
		out.Next = e.ID
	}
	return c.JSON(http.StatusOK, out)
}

func requestFilter(c echo.Context) (journal.Filter, error) {
	f := journal.Filter{App: c.QueryParam("app"), Verdict: c.QueryParam("verdict"), Limit: 500}
	switch f.Verdict {
	case "", journal.VerdictAccepted, journal.VerdictRejected:
	default:
		return f, views.BadInput("verdict %q: use accepted or rejected", f.Verdict)
	}
	if v := c.QueryParam("since"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return f, views.BadInput("since %q is not an entry id", v)
		}
		f.Since = n
	}
	return f, nil
}
