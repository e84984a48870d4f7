// Package web embeds mockpay's HTML templates.
package web

import (
	"embed"
	"html/template"
	"time"
)

//go:embed templates/*.html
var files embed.FS

// Templates parses every template once. html/template escapes everything the
// pages show: subjects and bodies come from merchants.
func Templates() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{"vtime": vtime}).ParseFS(files, "templates/*.html"))
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
