package api

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/server/views"
)

// Pagination of the list endpoints (GET /apps, /trades, /notifications;
// issue 18: a list must not cost more as history grows). A page is at most
// limit entries (default 100, at most 1000); when more may follow, the
// answer's NextCursorHeader is the cursor query parameter of the next page.
// A cursor is opaque: a client passes back what it was given. The answer
// stays a JSON array, so a client that reads one page sees what it saw
// before pagination.
const (
	DefaultPageSize  = 100
	MaxPageSize      = 1000
	NextCursorHeader = "X-Next-Cursor"
)

// pageSize is the page a limit asks for (0: the default).
func pageSize(limit int) int {
	if limit <= 0 {
		return DefaultPageSize
	}
	return min(limit, MaxPageSize)
}

func limitParam(c echo.Context) (int, error) {
	v := c.QueryParam("limit")
	if v == "" {
		return DefaultPageSize, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, views.BadInput("limit %q is not a number of entries", v)
	}
	return pageSize(n), nil
}

// cursorParam reads the cursor (0: the first page).
func cursorParam(c echo.Context) (int64, error) {
	v := c.QueryParam("cursor")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, views.BadInput("cursor %q is not one this API gave (X-Next-Cursor of the previous page)", v)
	}
	return n, nil
}

func setNextCursor(c echo.Context, next int64) {
	c.Response().Header().Set(NextCursorHeader, strconv.FormatInt(next, 10))
}
