// Package web embeds mockpay's HTML templates.
package web

import (
	"embed"
	"html/template"
)

//go:embed templates/*.html
var files embed.FS

// Templates parses every template once. html/template escapes everything the
// pages show: subjects and bodies come from merchants.
func Templates() *template.Template {
	return template.Must(template.New("").ParseFS(files, "templates/*.html"))
}
