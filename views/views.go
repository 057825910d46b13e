// Package views holds the HTML templates (DSFR markup) and the static assets of the product,
// embedded in the binary. Templates are parsed once, at start-up: a missing or broken
// template stops the start. Templates only display what the HTTP layer decided.
package views

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"
)

//go:embed templates
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Static returns the static assets (css, js, and the vendored DSFR and htmx), rooted at "static".
func Static() fs.FS {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // the embedded tree always has static/
	}
	return sub
}

// Views holds the parsed pages: each page is parsed together with the layout and the partials.
type Views struct {
	pages map[string]*template.Template
}

// New parses every page under templates/pages; a page's name is its path without ".html",
// for example "communes/list".
func New() (*Views, error) {
	shared := []string{"templates/layout.html"}
	partials, err := fs.Glob(templateFiles, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	shared = append(shared, partials...)
	v := &Views{pages: map[string]*template.Template{}}
	err = fs.WalkDir(templateFiles, "templates/pages", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".html" {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/pages/"), ".html")
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFiles, append(shared, p)...)
		if err != nil {
			return fmt.Errorf("gabarit %s : %w", name, err)
		}
		v.pages[name] = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// Render executes block ("layout" for a whole page, or a named partial) of page into w.
// The output is buffered so that a template error never sends half a page.
func (v *Views) Render(w io.Writer, page, block string, data any) error {
	t, ok := v.pages[page]
	if !ok {
		return fmt.Errorf("gabarit inconnu : %s", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, data); err != nil {
		return err
	}
	_, err := buf.WriteTo(w)
	return err
}

// Has reports whether a page exists.
func (v *Views) Has(page string) bool {
	_, ok := v.pages[page]
	return ok
}
