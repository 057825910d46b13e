package app

import (
	"html/template"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
)

// markdownHTML renders user Markdown safely: goldmark drops raw HTML, and bluemonday's
// UGC policy removes what could still run (script, javascript: links).
func markdownHTML(src string) template.HTML {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	var b strings.Builder
	if err := goldmark.Convert([]byte(src), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(src)) //nolint:gosec // escaped
	}
	return template.HTML(bluemonday.UGCPolicy().Sanitize(b.String())) //nolint:gosec // sanitised
}
