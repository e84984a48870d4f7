// Package dashboard is the dashboard (/_mockpay/), mockpay's own UI:
// server-rendered, usable with scripts off. Every form POSTs and redirects
// back (post/redirect/get); every value a merchant supplied (subjects,
// bodies, notification answers and payloads, app names) reaches the page
// only through html/template. Its pages and form actions are registered in
// server/routes.go, behind the server's cross-site guard.
package dashboard

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"github.com/mockpay/mockpay/faults"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/journal"
	"github.com/mockpay/mockpay/levers"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
	"github.com/mockpay/mockpay/watch"
)

// Dashboard holds the dashboard's pages and form actions.
type Dashboard struct {
	views.Views // the trades, notifications and apps it shows, and the store it reads
	Apps        *payment.Registry
	Clock       views.Clock
	Levers      *levers.Levers     // the buyer's buttons, redeliver, advance
	Templates   *template.Template // WithStates of the server's templates
	Log         *slog.Logger
	Journal     *journal.Ring   // the request journal's pages
	Changes     *watch.Signal   // the live stream wakes on every change
	Stopping    context.Context // ends the live stream at shutdown
	Faults      *faults.Selection
}

// copyScript adds a Copy button beside each key. The keys are readonly
// textareas that can be selected and copied without it.
const copyScript = `function mpCopy(root){root.querySelectorAll("textarea.key").forEach(function(t){` +
	`var b=document.createElement("button");b.type="button";b.className="copy";b.textContent="Copy";` +
	`b.onclick=function(){t.select();var done=function(){b.textContent="Copied"};` +
	`if(navigator.clipboard){navigator.clipboard.writeText(t.value).then(done,function(){document.execCommand("copy");done()})}` +
	`else{document.execCommand("copy");done()}};t.after(b)})}mpCopy(document);`

// liveScript keeps a page current without a reload (issue 11 item 2): the
// live stream (Live) says something changed, and the page's main part and
// clock are fetched again and swapped in, unless a field of the page is
// being edited; and once when the stream opens (or reopens), for what
// changed between rendering the page and subscribing. Without JavaScript
// the pages are the same, only static. A page a POST answered (the "Send
// to URL" result) marks itself data-live="off": its URL cannot be fetched
// again.
const liveScript = `(function(){if(!window.EventSource||!window.fetch||!window.DOMParser||document.querySelector("[data-live=off]"))return;` +
	`var busy=false,again=false;function editing(){var a=document.activeElement;return a&&/^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName)}` +
	`function refresh(){if(busy||editing()){again=true;return}busy=true;` +
	`fetch(location.href,{headers:{"Accept":"text/html"},cache:"no-store"}).then(function(r){return r.ok?r.text():null}).then(function(t){if(!t)return;` +
	`var d=new DOMParser().parseFromString(t,"text/html");["main","[data-testid=now]"].forEach(function(q){var n=d.querySelector(q),o=document.querySelector(q);if(n&&o)o.replaceWith(n)});` +
	`mpCopy(document.querySelector("main"));document.documentElement.dataset.live=String(Number(document.documentElement.dataset.live||0)+1)})` +
	`.catch(function(){}).then(function(){busy=false;if(again){again=false;setTimeout(refresh,200)}})}` +
	`var es=new EventSource("/_mockpay/live");es.addEventListener("change",refresh);es.addEventListener("open",refresh);` +
	`document.addEventListener("focusout",function(){if(again){again=false;setTimeout(refresh,200)}})})();`

// dashScript is the dashboard's one script, allowed by its hash.
const dashScript = copyScript + liveScript

// dashboardCSP allows the page's own inline style and the one script above,
// by hash, and requests to its own origin (the live stream and the page it
// fetches again); an injected script or form would not run or submit
// elsewhere even if something slipped past escaping.
var dashboardCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; " +
	"connect-src 'self'; base-uri 'none'; frame-ancestors 'none'; script-src '" + scriptHash(dashScript) + "'"

func scriptHash(js string) string {
	sum := sha256.Sum256([]byte(js))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// dashPage is what every dashboard page shows around its content: the
// navigation, the virtual clock with its advance form, and the outcome of
// the form that led here.
type dashPage struct {
	Title  string
	Nav    string // the active navigation entry
	Now    string // virtual now, as views.Stamp() writes it
	Scale  string
	Back   string // this page, where the advance form returns
	Flash  string
	Script template.JS
}

// flashes are the only messages a redirect can ask a page to show (?done=):
// fixed texts, so a link cannot make the dashboard say anything else.
var flashes = map[string]string{
	"pay":              "Paid as the buyer: the trade is paid and its notification is on its way.",
	"fail":             "The buyer's payment failed (insufficient balance); the trade still waits for payment.",
	"cancel":           "The buyer left the cashier; the trade still waits for payment.",
	"redelivered":      "Redelivered: the new attempt is listed below.",
	"refund-fail":      "The refund ended abnormal: its notification follows.",
	"refund-close":     "The refund was closed: its amount is refundable again; its notification follows.",
	"redeliver-queued": "Redelivery queued; the shop has not answered yet. The attempt shows here when it is made (reload without JavaScript).",
	"advance":          "Virtual clock advanced; whatever fell due is being delivered and shows here as it is made (reload without JavaScript).",
	"faults":           "Fault plan set: it acts on the app's next deliveries and calls.",
	"triggered":        "Triggered: the trade was made as if the shop had ordered it and driven to the outcome; its notifications show below as they are delivered.",
}

func (s *Dashboard) page(c echo.Context, title, nav string) dashPage {
	return dashPage{
		Title: title, Nav: nav, Now: views.Stamp(s.Clock.Now()), Scale: scaleText(s.Clock.Scale()),
		Back: backOf(c.Request().URL), Flash: flashes[c.QueryParam("done")], Script: template.JS(dashScript),
	}
}

func scaleText(scale float64) string {
	switch scale {
	case 0:
		return "frozen: moves only when advanced"
	case 1:
		return "real time"
	}
	return "×" + strconv.FormatFloat(scale, 'g', -1, 64) + " real time"
}

// backOf is the current page without its flash, for forms that return here.
func backOf(u *url.URL) string {
	q := u.Query()
	q.Del("done")
	if len(q) == 0 {
		return u.Path
	}
	return u.Path + "?" + q.Encode()
}

// returnTo is where a form redirects after it worked: the dashboard page it
// names, never another site (an open redirect) or the JSON API.
func returnTo(back, done string) string {
	u, err := url.Parse(back)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !isDashboardPath(u.Path) {
		u = &url.URL{Path: "/_mockpay/"}
	}
	q := u.Query()
	q.Set("done", done)
	u.RawQuery = q.Encode()
	return u.String()
}

func isDashboardPath(p string) bool {
	return p == "/_mockpay" || strings.HasPrefix(p, "/_mockpay/") && !strings.HasPrefix(p, "/_mockpay/api/")
}

// WithStates is the templates t with "state" reading each channel's status
// words into the neutral states the pages style (pending, paid, finished,
// closed), so that no stylesheet names a platform's status. It clones t,
// which must not have been executed yet: call it while building the server.
func WithStates(t *template.Template, set *channel.Set) *template.Template {
	if t == nil {
		return nil
	}
	c := template.Must(t.Clone())
	return c.Funcs(template.FuncMap{"state": func(name string) string {
		if st, ok := set.ParseStatus(name); ok {
			return string(st)
		}
		return "other"
	}})
}

func (s *Dashboard) render(c echo.Context, status int, name string, v any) error {
	var buf bytes.Buffer
	if err := s.Templates.ExecuteTemplate(&buf, name, v); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", dashboardCSP)
	return c.HTMLBlob(status, buf.Bytes())
}

type dashErrorView struct {
	dashPage
	Status        int
	Code, Message string
}

// fail shows an error as a page, with the HTTP status and code the
// JSON API would give it. Failures are not redirected: nothing changed.
func (s *Dashboard) fail(c echo.Context, err error) error {
	status, e := views.Failure(err)
	if status == http.StatusInternalServerError && s.Log != nil {
		s.Log.Error("dashboard", "path", c.Path(), "err", err)
	}
	return s.ShowError(c, status, e)
}

// ShowError shows e as a page with status; the cross-site guard refuses
// through it too.
func (s *Dashboard) ShowError(c echo.Context, status int, e controlapi.Error) error {
	v := dashErrorView{dashPage: s.page(c, "Error", ""), Status: status, Code: e.Code, Message: e.Message}
	return s.render(c, status, "dashboard_error.html", v)
}
