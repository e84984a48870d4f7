package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

type clockJSON struct {
	Now   string  `json:"now"`
	Scale float64 `json:"scale"` // virtual seconds per real second; 0 = stopped
}

func (s *Server) clockJSON() clockJSON {
	return clockJSON{Now: stamp(s.Control.Now()), Scale: s.Control.Scale()}
}

// getClock shows virtual now.
func (s *Server) getClock(c echo.Context) error {
	return c.JSON(http.StatusOK, s.clockJSON())
}

type advanceRequest struct {
	By string `json:"by"`
}

// advanceClock jumps virtual time forward; whatever fell due (retries,
// expiries) happens at once, in due order, with its own virtual timestamps.
func (s *Server) advanceClock(c echo.Context) error {
	var req advanceRequest
	if err := bindJSON(c, &req); err != nil {
		return apiFail(c, err)
	}
	d, err := ParseSpan(req.By)
	if err != nil {
		return apiFail(c, badInput("by: %v", err))
	}
	if _, err := s.Control.TryAdvance(d); err != nil {
		return apiFail(c, badInput("by %s: %v", req.By, err))
	}
	return c.JSON(http.StatusOK, s.clockJSON())
}

// ParseSpan reads a forward jump: Go durations ("6h", "90m", "1h30m") plus
// whole days ("2d").
func ParseSpan(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(v, "d"); ok {
		var n int
		n, err = strconv.Atoi(days)
		d = time.Duration(n) * 24 * time.Hour
		if n > 3650 {
			err = strconv.ErrRange
		}
	} else {
		d, err = time.ParseDuration(v)
	}
	if err != nil || d <= 0 {
		return 0, errSpan(v)
	}
	return d, nil
}

type errSpan string

func (e errSpan) Error() string {
	return "\"" + string(e) + "\" is not a positive span such as 6h, 90m or 2d"
}

// reset deletes all trades and notifications; apps stay.
func (s *Server) reset(c echo.Context) error {
	if err := s.Store.Reset(c.Request().Context()); err != nil {
		return apiFail(c, err)
	}
	s.Changes.Fire()
	return c.JSON(http.StatusOK, map[string]string{"status": "reset"})
}
