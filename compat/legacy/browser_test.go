package legacy

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// browser is the buyer's browser. It never follows redirects, so each hop
// (gateway → cashier → shop) is seen.
type browser struct{ hc *http.Client }

func newBrowser() *browser {
	return &browser{hc: &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type page struct {
	Status   int
	Type     string
	Location string
	Body     string
}

func (b *browser) do(t *testing.T, req *http.Request) page {
	t.Helper()
	resp, err := b.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	loc := resp.Header.Get("Location")
	if loc != "" {
		if u, err := req.URL.Parse(loc); err == nil {
			loc = u.String()
		}
	}
	return page{Status: resp.StatusCode, Type: resp.Header.Get("Content-Type"), Location: loc, Body: string(body)}
}

func (b *browser) get(t *testing.T, u string) page {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b.do(t, req)
}

func (b *browser) post(t *testing.T, u string, form url.Values) page {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(t, req)
}

var (
	formTag  = regexp.MustCompile(`<form[^>]*action="([^"]*)"[^>]*method="([^"]*)"`)
	inputTag = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)"/>`)
)

// submit runs the auto-submitting form as a browser does: a GET form
// replaces the action's query with its fields, a POST form keeps it and
// sends the fields as the body.
func (b *browser) submit(t *testing.T, formHTML string) page {
	t.Helper()
	m := formTag.FindStringSubmatch(formHTML)
	if m == nil {
		t.Fatalf("no form in %s", formHTML)
	}
	fields := url.Values{}
	for _, in := range inputTag.FindAllStringSubmatch(formHTML, -1) {
		fields.Set(in[1], html.UnescapeString(in[2]))
	}
	action := html.UnescapeString(m[1])
	if strings.EqualFold(m[2], "post") {
		return b.post(t, action, fields)
	}
	return b.get(t, strings.SplitN(action, "?", 2)[0]+"?"+fields.Encode())
}

// pay takes the gateway's answer to the cashier, pays, and follows the
// sync return to the shop; it returns the shop's return page.
func (b *browser) pay(t *testing.T, gw page) page {
	t.Helper()
	if gw.Status != http.StatusSeeOther || !strings.Contains(gw.Location, "/cashier/") {
		t.Fatalf("the gateway did not send the buyer to the cashier: %+v", gw)
	}
	cashier := b.get(t, gw.Location)
	if !strings.Contains(cashier.Body, `data-testid="pay"`) {
		t.Fatalf("cashier without a pay button: %s", cashier.Body)
	}
	done := b.post(t, gw.Location, url.Values{"action": {"pay"}})
	if done.Status != http.StatusSeeOther || done.Location == "" {
		t.Fatalf("paying did not redirect to return_url: %+v", done)
	}
	return b.get(t, done.Location)
}
