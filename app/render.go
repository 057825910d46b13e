package app

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// navItem is one entry of the main navigation: a link, or a group of links (Children) that
// DSFR shows as a collapsible menu. Current marks the current page's link and the group
// holding it.
type navItem struct {
	Label    string
	Href     string
	ID       string // id of a group's collapsible menu
	Current  bool
	Children []navItem
}

// crumb is one step of the breadcrumb; the last one is the current page.
type crumb struct {
	Label string
	Href  string
}

// pageData is what the layout receives; Data is the page's own view model.
type pageData struct {
	Title      string
	Path       string // the requested path, for the footer's current link
	Nav        []navItem
	Breadcrumb []crumb
	Demo       bool
	CSRF       string
	UserName   string
	Academie   models.Academie // the académie served: header, footer and pages name it
	Data       any
}

// navigation lists the sections of the back-office, grouped as the DSFR main menu: the
// territory, the governance, the conventions and their financing, and the administration
// for administrators. path is the requested path: the link whose address is its longest
// prefix is the current one. Anonymous visitors get no navigation.
func navigation(path string, u models.User, signedIn bool) []navItem {
	if !signedIn {
		return nil
	}
	items := []navItem{
		{Label: "Accueil", Href: "/"},
		{Label: "Territoire", ID: "menu-territoire", Children: []navItem{
			{Label: "Départements", Href: "/departements"},
			{Label: "Communes", Href: "/communes"},
			{Label: "Fiches des communes", Href: "/communes/fiches"},
			{Label: "Écoles", Href: "/ecoles"},
			{Label: "EPCI et EPT", Href: "/epci"},
		}},
		{Label: "Gouvernance", ID: "menu-gouvernance", Children: []navItem{
			{Label: "Organisations", Href: "/organisations"},
			{Label: "Contacts", Href: "/contacts"},
			{Label: "Instances", Href: "/instances"},
			{Label: "Réunions", Href: "/reunions"},
			{Label: "Décisions", Href: "/decisions"},
			{Label: "Actions", Href: "/actions"},
			{Label: "Mes actions", Href: "/mes-actions"},
			{Label: "Charte", Href: "/chartes"},
			{Label: "Adoptions de la charte", Href: "/adoptions"},
			{Label: "Couverture de la charte", Href: "/chartes/couverture"},
		}},
		{Label: "Conventions et financements", ID: "menu-conventions", Children: []navItem{
			{Label: "Conventions", Href: "/conventions"},
			{Label: "Alertes", Href: "/conventions/alertes"},
			{Label: "Plans de financement", Href: "/financements"},
			{Label: "Marchés (appels d'offres)", Href: "/marches"},
		}},
		{Label: "Déploiement", ID: "menu-deploiement", Children: []navItem{
			{Label: "Tableau de bord", Href: "/tableau-de-bord"},
			{Label: "Écoles et phases", Href: "/deploiements"},
			{Label: "Avancement", Href: "/deploiements/avancement"},
			{Label: "Vagues", Href: "/vagues"},
			{Label: "Solutions ENT", Href: "/solutions"},
			{Label: "Jalons", Href: "/jalons"},
			{Label: "Chronologie", Href: "/chronologie"},
			{Label: "Usages de l'ENT", Href: "/usages"},
			{Label: "Références du plan", Href: "/references"},
			{Label: "Campagnes de candidature", Href: "/campagnes"},
			{Label: "Candidatures", Href: "/candidatures"},
			{Label: "Restitution (données ouvertes)", Href: "/restitution"},
			{Label: "API (documentation)", Href: "/api"},
		}},
		{Label: "Formation", ID: "menu-formation", Children: []navItem{
			{Label: "Sessions de formation", Href: "/formations"},
			{Label: "Inscriptions", Href: "/formations/inscriptions"},
			{Label: "Plans de formation", Href: "/formations/plans"},
			{Label: "Évaluations", Href: "/formations/evaluations"},
			{Label: "Couverture des écoles ouvertes", Href: "/formations/couverture"},
		}},
	}
	if u.Role.Administers() {
		items = append(items, navItem{Label: "Administration", ID: "menu-administration", Children: []navItem{
			{Label: "Comptes", Href: "/admin/utilisateurs"},
			{Label: "Connexions", Href: "/admin/connexions"},
			{Label: "Journal des modifications", Href: "/admin/journal"},
			{Label: "Circonscriptions", Href: "/admin/circonscriptions"},
			{Label: "Archives", Href: "/admin/archives"},
			{Label: "Modèles de convention", Href: "/admin/modeles"},
			{Label: "Messagerie", Href: "/admin/messagerie"},
			{Label: "ProConnect", Href: "/admin/proconnect"},
		}})
	}
	markCurrent(items, path)
	return items
}

// markCurrent marks the link whose address is the longest prefix of path (whole segments:
// /reunions/12 is under /reunions, /chartes/couverture is its own link and not the
// charter's), and the group that holds it.
func markCurrent(items []navItem, path string) {
	under := func(href string) bool {
		return href == path || (href != "/" && strings.HasPrefix(path, href+"/"))
	}
	best, group, link := "", -1, -1
	for i, it := range items {
		if it.Href != "" && under(it.Href) && len(it.Href) > len(best) {
			best, group, link = it.Href, i, -1
		}
		for j, ch := range it.Children {
			if under(ch.Href) && len(ch.Href) > len(best) {
				best, group, link = ch.Href, i, j
			}
		}
	}
	if group < 0 {
		return
	}
	items[group].Current = true
	if link >= 0 {
		items[group].Children[link].Current = true
	}
}

// isHTMX reports whether the request comes from htmx, which swaps a fragment of the page.
func isHTMX(c echo.Context) bool {
	return c.Request().Header.Get("HX-Request") == "true"
}

// render writes a whole page: the layout around the page's "content".
func (s *Server) render(c echo.Context, status int, page, title string, breadcrumb []crumb, data any) error {
	u, signedIn := currentUser(c)
	pd := pageData{
		Title:      title,
		Path:       c.Request().URL.Path,
		Nav:        navigation(c.Request().URL.Path, u, signedIn),
		Breadcrumb: breadcrumb,
		Demo:       s.cfg.Demo,
		CSRF:       csrfToken(c),
		Academie:   s.academie(c),
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
