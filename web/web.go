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
	return template.Must(template.New("").Funcs(template.FuncMap{"vtime": vtime, "lag": Lag, "urlwrap": URLWrap,
		// state names a platform status's neutral state (pending, paid,
		// finished, closed) for styling; the dashboard replaces it with
		// the channel set's reading (dashboard.Dashboard.templates).
		"state": func(string) string { return "" },
	}).ParseFS(files, "templates/*.html"))
}

// URLWrap is a URL as HTML that wraps only between its parts: after each
// "/", "?", "&", "=" and "#" a line may break (<wbr>), never inside a
// word. Every part is escaped.
func URLWrap(u string) template.HTML {
	var b strings.Builder
	start := 0
	for i := 0; i < len(u); i++ {
		switch u[i] {
		case '/', '?', '&', '=', '#':
			if i+1 < len(u) && u[i+1] == '/' {
				continue // keep "//" together
			}
			b.WriteString(template.HTMLEscapeString(u[start : i+1]))
			b.WriteString("<wbr>")
			start = i + 1
		}
	}
	b.WriteString(template.HTMLEscapeString(u[start:]))
	return template.HTML(b.String())
}

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
