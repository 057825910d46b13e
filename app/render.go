package app

import (
	"bytes"
	"net/http"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// navItem is one entry of the main navigation.
type navItem struct {
	Label   string
	Href    string
	Current bool
}

// crumb is one step of the breadcrumb; the last one is the current page.
type crumb struct {
	Label string
	Href  string
}

// pageData is what the layout receives; Data is the page's own view model.
type pageData struct {
	Title      string
	Nav        []navItem
	Breadcrumb []crumb
	Demo       bool
	CSRF       string
	UserName   string
	Data       any
}

// navigation lists the sections of the back-office the user may open; section marks the
// current one. Anonymous visitors get no navigation.
func navigation(section string, u models.User, signedIn bool) []navItem {
	if !signedIn {
		return nil
	}
	items := []navItem{
		{Label: "Accueil", Href: "/"},
		{Label: "Départements", Href: "/departements"},
		{Label: "Communes", Href: "/communes"},
		{Label: "Écoles", Href: "/ecoles"},
		{Label: "EPCI", Href: "/epci"},
		{Label: "Organisations", Href: "/organisations"},
		{Label: "Contacts", Href: "/contacts"},
		{Label: "Instances", Href: "/instances"},
		{Label: "Décisions", Href: "/decisions"},
		{Label: "Charte", Href: "/chartes"},
		{Label: "Conventions", Href: "/conventions"},
		{Label: "Financements", Href: "/financements"},
	}
	if u.Role.Administers() {
		items = append(items, navItem{Label: "Administration", Href: "/admin/utilisateurs"})
	}
	for i := range items {
		items[i].Current = items[i].Href == section
	}
	return items
}

// isHTMX reports whether the request comes from htmx, which swaps a fragment of the page.
func isHTMX(c echo.Context) bool {
	return c.Request().Header.Get("HX-Request") == "true"
}

// render writes a whole page: the layout around the page's "content".
func (s *Server) render(c echo.Context, status int, page, title string, breadcrumb []crumb, data any) error {
	section := ""
	if len(breadcrumb) > 1 {
		section = breadcrumb[1].Href
	}
	u, signedIn := currentUser(c)
	pd := pageData{
		Title:      title,
		Nav:        navigation(section, u, signedIn),
		Breadcrumb: breadcrumb,
		Demo:       s.cfg.Demo,
		CSRF:       csrfToken(c),
		Data:       data,
	}
	if signedIn {
		pd.UserName = u.Nom
	}
	return s.renderBlock(c, status, page, "layout", pd)
}

// renderBlock writes one named template of a page, buffered so that errors never send half a page.
func (s *Server) renderBlock(c echo.Context, status int, page, block string, data any) error {
	var buf bytes.Buffer
	if err := s.views.Render(&buf, page, block, data); err != nil {
		return err
	}
	c.Response().Header().Set("Vary", "HX-Request, HX-Target")
	return c.HTMLBlob(status, buf.Bytes())
}

// renderList writes a list page, or only its "results" block when htmx asks for it.
func (s *Server) renderList(c echo.Context, page, title string, breadcrumb []crumb, data any, invalid bool) error {
	status := http.StatusOK
	if invalid {
		status = http.StatusBadRequest
	}
	if isHTMX(c) && c.Request().Header.Get("HX-Target") == "resultats" {
		return s.renderBlock(c, status, page, "results", data)
	}
	return s.render(c, status, page, title, breadcrumb, data)
}

// home is the breadcrumb's first step.
var home = crumb{Label: "Accueil", Href: "/"}
