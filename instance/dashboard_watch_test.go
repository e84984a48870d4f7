package instance_test

import (
	"bufio"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestDashboardHome: the first page shows the newest trades, the failing
// notifications and the rejected requests, each linking to its own page;
// the keys moved to /_mockpay/apps (issue 11 item 2).
func TestDashboardHome(t *testing.T) {
	e := newEnv(t)
	e.shop.setAnswer(func(int) (int, string) { return http.StatusInternalServerError, "down" })
	ret := e.pay("HOME-1", "1.00")
	e.shop.next(t)
	e.settle()
	bad := e.m.Params("alipay.trade.query", map[string]string{"out_trade_no": "HOME-1"}, nil)
	bad.Set("biz_content", `{"out_trade_no":"<b>tampered</b>"}`)
	e.postForm(e.app.URL+"/gateway.do", bad)

	home := e.page("/_mockpay/")
	for _, want := range []string{
		`href="/_mockpay/trades/` + ret.Get("trade_no") + `" data-testid="trade-link"`,
		`data-testid="failing-row"`, `href="/_mockpay/notifications/1" data-testid="notification-link"`,
		`data-testid="rejected-row"`, `<code>isv.invalid-signature</code>`, `<span class="tag">bad signature</span>`,
		`href="/_mockpay/apps"`,
	} {
		if !strings.Contains(home, want) {
			t.Errorf("home lacks %q", want)
		}
	}
	if strings.Contains(home, "PRIVATE KEY") {
		t.Error("the home page shows keys")
	}
}

// TestDashboardNotificationLadder: the notification page draws every slot
// of Alipay's schedule (+0, +4m, +14m, +24m, +1h24m, +3h24m, +9h24m,
// +24h24m; §3.2): the refused first attempt, the next one highlighted, the
// rest greyed, and a redelivery as a manual mark that takes no slot.
func TestDashboardNotificationLadder(t *testing.T) {
	e := newEnv(t)
	e.shop.setAnswer(func(int) (int, string) { return http.StatusInternalServerError, "down" })
	e.pay("LADDER-1", "1.00")
	e.shop.next(t)
	e.settle()
	e.clock.Advance(time.Minute)
	resp, _ := e.dashboard(http.MethodPost, "/_mockpay/notifications/1/redeliver", map[string][]string{"back": {"/_mockpay/notifications/1"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/_mockpay/notifications/1?done=") {
		t.Fatalf("redeliver from the notification page: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	e.shop.next(t)
	e.settle()

	page := e.page("/_mockpay/notifications/1")
	var offsets, states []string
	for _, row := range strings.Split(page, `data-testid="slot-row"`)[1:] {
		cells := strings.Split(row, "<td")
		offsets = append(offsets, html.UnescapeString(between(cells[2], `>`, `</td>`)))
	}
	for _, s := range strings.Split(page, `data-testid="slot" data-state="`)[1:] {
		states = append(states, s[:strings.Index(s, `"`)])
	}
	if got := strings.Join(offsets, " "); got != "+0 +4m +14m +24m +1h24m +3h24m +9h24m +24h24m" {
		t.Errorf("slot offsets = %s", got)
	}
	if got := strings.Join(states, " "); got != "failed next later later later later later later" {
		t.Errorf("slot states = %s", got)
	}
	if strings.Count(page, `data-testid="manual-mark"`) != 1 || !strings.Contains(page, `<td data-testid="attempt-kind"><span class="tag">manual</span></td>`) {
		t.Error("the redelivery is not marked manual")
	}
	if !strings.Contains(page, `<dd data-testid="next-retry">2026-05-01 10:04:00</dd>`) {
		t.Error("the next retry moved: want 10:04, the schedule's +4m")
	}
	// A URL breaks only between its parts.
	if !strings.Contains(page, `<code data-testid="notify-url">http://<wbr>127.0.0.1:`) {
		t.Error("notify_url without break points")
	}

	list := e.page("/_mockpay/notifications?status=pending")
	if !strings.Contains(list, `href="/_mockpay/notifications/1" data-testid="notification-link"`) || !strings.Contains(list, "+1 manual") {
		t.Error("the notifications list lacks the notification or its manual redelivery")
	}
	if resp, _ := e.dashboard(http.MethodGet, "/_mockpay/notifications/99", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown notification: %d", resp.StatusCode)
	}
}

// TestDashboardBadSignaturePage: a rejected call's page shows the string
// mockpay verified in a copyable monospace block, escaped once, each
// parameter and whether it was signed, and the pointer to mockpay verify.
func TestDashboardBadSignaturePage(t *testing.T) {
	e := newEnv(t)
	bad := e.m.Params("alipay.trade.query", map[string]string{"out_trade_no": "SIG-1"}, nil)
	bad.Set("biz_content", `{"out_trade_no":"a&b<c>"}`)
	e.postForm(e.app.URL+"/gateway.do", bad)
	id := itoa(int(e.app.Journal.Last()))
	list := e.page("/_mockpay/requests?verdict=rejected")
	if !strings.Contains(list, `href="/_mockpay/requests/`+id+`" data-testid="request-link"`) {
		t.Fatalf("the journal page lacks request %s", id)
	}
	page := e.page("/_mockpay/requests/" + id)
	for _, want := range []string{
		`<textarea class="key" id="canonical" rows="4" readonly spellcheck="false" data-testid="canonical">`,
		`biz_content={&#34;out_trade_no&#34;:&#34;a&amp;b&lt;c&gt;&#34;}`, // escaped once: the textarea shows a&b<c>
		`<tr data-testid="param"><td><code>sign</code></td>`, `— not signed`, `✓ signed`,
		`mockpay verify --public-key`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("bad-signature page lacks %q", want)
		}
	}
	if block := between(page, `data-testid="canonical">`, `</textarea>`); strings.Contains(block, "&amp;amp;") || strings.Contains(block, "&amp;lt;") {
		t.Errorf("the verified string is escaped twice: %s", block)
	}
	if resp, _ := e.dashboard(http.MethodGet, "/_mockpay/requests/999", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown request: %d", resp.StatusCode)
	}
}

// TestDashboardLiveStream: the live stream sends a change event when a
// request is journaled, and refuses a plain GET at once.
func TestDashboardLiveStream(t *testing.T) {
	e := newEnv(t)
	if resp, _ := e.get(e.app.URL + "/_mockpay/live"); resp.StatusCode != http.StatusNotAcceptable {
		t.Errorf("plain GET of the live stream: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, e.app.URL+"/_mockpay/live", nil)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}
	lines := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	if l := <-lines; l != "retry: 1000" {
		t.Fatalf("first line %q", l)
	}
	e.get(e.app.URL + "/gateway.do?method=alipay.trade.query")
	deadline := time.After(5 * time.Second)
	for {
		select {
		case l := <-lines:
			if l == "event: change" {
				return
			}
		case <-deadline:
			t.Fatal("no change event after a journaled request")
		}
	}
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i+len(from):]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}
