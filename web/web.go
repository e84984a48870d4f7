// Package web embeds mockpay's HTML templates.
package web

import (
	"embed"
	"html/template"
	"strconv"
	"strings"
	"time"
)

//go:embed templates/*.html
var files embed.FS

// Templates parses every template once. html/template escapes everything the
// pages show: subjects and bodies come from merchants.
func Templates() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{"vtime": vtime, "lag": Lag, "state": unknownState}).ParseFS(files, "templates/*.html"))
}

// WithStates has the templates style a status by the domain's state it
// names (pending, paid, finished, closed), whichever channel's word it is
// in: parse is the registered channels' reader (channel.Set.ParseStatus).
// Call it before the templates first run.
func WithStates(t *template.Template, parse func(word string) (string, bool)) {
	t.Funcs(template.FuncMap{"state": func(word string) string {
		if st, ok := parse(word); ok {
			return st
		}
		return "unknown"
	}})
}

func unknownState(string) string { return "unknown" }

// vtime shows an RFC 3339 stamp of mockpay's API the way the platform writes
// its times (yyyy-MM-dd HH:mm:ss), in the stamp's own zone, GMT+8.
func vtime(stamp string) string {
	t, err := time.Parse(time.RFC3339, stamp)
	if err != nil {
		return stamp
	}
	return t.Format(time.DateTime)
}

// Lag shows how late an attempt went out (the API's lag_ms), as the
// dashboard and the CLI print it: "0 ms", "350 ms", "3s", "47h56m".
func Lag(ms int64) string {
	d := time.Duration(ms) * time.Millisecond
	if d < time.Second {
		return strconv.FormatInt(max(ms, 0), 10) + " ms"
	}
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
