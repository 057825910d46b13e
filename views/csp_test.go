package views

import (
	"io/fs"
	"regexp"
	"testing"
)

// inlineStyle finds a style attribute or element, which the Content-Security-Policy
// (style-src 'self') blocks: styles go in static/css/app.css.
var inlineStyle = regexp.MustCompile(`(?i)\sstyle\s*=|<style[\s>]`)

// TestNoInlineStyle: no template carries an inline style.
func TestNoInlineStyle(t *testing.T) {
	err := fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFiles, p)
		if err != nil {
			return err
		}
		if loc := inlineStyle.FindIndex(b); loc != nil {
			t.Errorf("%s : style en ligne (%q), bloqué par la CSP : utilisez une classe de app.css", p, b[loc[0]:min(len(b), loc[1]+30)])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
