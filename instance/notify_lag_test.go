package instance_test

import (
	"strings"
	"testing"
	"time"
)

// TestInspectorShowsLag (issue 8, item 6): each attempt carries how late it
// went out (started − scheduled, virtual): 0 for the first, sent when the
// payment committed; a minute for the retry due at +4m that a clock jump
// to +5m sent. The API says lag_ms, the dashboard's attempts table says it
// in words.
func TestInspectorShowsLag(t *testing.T) {
	e := newEnv(t)
	e.shop.setAnswer(func(n int) (int, string) { return 500, "down" })
	ret := e.pay("LAG-1", "1.00")
	e.shop.next(t)
	e.clock.Advance(5 * time.Minute)
	e.shop.next(t)
	ns := e.notifications(ret.Get("trade_no"))
	attempts := ns[0]["attempts"].([]any)
	if len(attempts) != 2 {
		t.Fatalf("%d attempts, want 2", len(attempts))
	}
	for i, want := range []float64{0, float64(time.Minute.Milliseconds())} {
		if got := attempts[i].(map[string]any)["lag_ms"]; got != want {
			t.Errorf("attempt %d lag_ms %v, want %v", i+1, got, want)
		}
	}
	html := e.page("/_mockpay/trades/" + ret.Get("trade_no"))
	for _, want := range []string{`data-testid="attempt-lag">0 ms<`, `data-testid="attempt-lag">1m<`} {
		if !strings.Contains(html, want) {
			t.Errorf("the dashboard lacks %s", want)
		}
	}
}
