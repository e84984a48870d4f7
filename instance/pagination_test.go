package instance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/mockpay/mockpay/controlapi"
)

// The control API's lists come a page at a time (issue 18): limit entries,
// X-Next-Cursor while more follow, every entry exactly once across the
// pages, and a cursor it did not give refused with 400.
func TestListsComeInPages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := controlapi.New(e.app.URL)
	for i := range 5 {
		e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz(fmt.Sprintf("PAGE-%d", i), "1.00"), e.urls()))
	}
	var seen []string
	cursor, pages := "", 0
	for {
		ts, next, err := c.TradesPage(ctx, controlapi.TradeQuery{AppID: "2021000122600001", Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(ts) > 2 || (next != "" && len(ts) != 2) {
			t.Fatalf("page %d: %d trades, next %q", pages, len(ts), next)
		}
		for _, tr := range ts {
			seen = append(seen, tr.OutTradeNo)
		}
		if cursor = next; cursor == "" || pages > 5 {
			break
		}
	}
	want := []string{"PAGE-4", "PAGE-3", "PAGE-2", "PAGE-1", "PAGE-0"}
	if fmt.Sprint(seen) != fmt.Sprint(want) || pages != 3 {
		t.Errorf("pages of 2: %v in %d pages, want %v, newest first, in 3", seen, pages, want)
	}

	all, err := c.Apps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var apps int
	for cursor, n := "", 0; n < 20; n++ {
		var page []map[string]any
		resp := getJSON(t, e.app.URL+"/_mockpay/api/apps?limit=2&cursor="+cursor, &page)
		apps += len(page)
		if cursor = resp.Header.Get("X-Next-Cursor"); cursor == "" {
			break
		}
	}
	if apps != len(all) {
		t.Errorf("apps in pages of 2: %d, one page of all: %d", apps, len(all))
	}

	for _, path := range []string{"/trades?cursor=x", "/notifications?cursor=-1", "/apps?limit=many"} {
		resp, err := http.Get(e.app.URL + "/_mockpay/api" + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 400", path, resp.StatusCode)
		}
	}
}

// getJSON GETs url and decodes its 200 answer into out.
func getJSON(t *testing.T, url string, out any) *http.Response {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
	return resp
}
