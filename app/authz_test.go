package app

// The authorization matrix as code (issue 3, "Authorization matrix as code"): the route
// table s.table() is the one place that says who may call a route. This internal test
// checks that it is complete (every route of the router is in the table and every line of
// the table is routed), then calls every route of the table as every role and checks the
// answer against the route's access level. It reads the table, so routes added later are
// tested without touching this file.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/labstack/echo/v4"
)

// matrixCaller is one column of the matrix: anonymous (in == nil) or an account of a role.
type matrixCaller struct {
	name string
	in   *models.UserInput
	id   int64
	csrf string // the caller's CSRF token (cookie value and form field)
}

func matrixCallers() []*matrixCaller {
	acc := func(name, email string, role models.Role, mod func(*models.UserInput)) *matrixCaller {
		in := models.UserInput{Email: email, Nom: "Matrice " + name, Role: role}
		if mod != nil {
			mod(&in)
		}
		return &matrixCaller{name: name, in: &in}
	}
	return []*matrixCaller{
		{name: "anonyme"},
		acc("admin", "m.admin@ac-creteil.fr", models.RoleAdmin, nil),
		acc("pilote", "m.pilote@ac-creteil.fr", models.RolePilote, nil),
		acc("ia77", "m.ia77@ac-creteil.fr", models.RoleIA, func(in *models.UserInput) { in.Departement = "77" }),
		acc("ia93", "m.ia93@ac-creteil.fr", models.RoleIA, func(in *models.UserInput) { in.Departement = "93" }),
		acc("ia94", "m.ia94@ac-creteil.fr", models.RoleIA, func(in *models.UserInput) { in.Departement = "94" }),
		acc("ien", "m.ien@ac-creteil.fr", models.RoleIEN, func(in *models.UserInput) { in.Circonscription = "0940920P" }),
		acc("amif", "m.amif@ac-creteil.fr", models.RoleAMIF, nil),
		acc("referent", "m.referent@ac-creteil.fr", models.RoleReferent, func(in *models.UserInput) { in.Communes = []string{"93008"} }),
		acc("lecteur", "m.lecteur@ac-creteil.fr", models.RoleLecteur, nil),
	}
}

// matrixServer builds the real server, with the real router, on store.
func matrixServer(t *testing.T, store *models.Store, cfg Config) *Server {
	t.Helper()
	v := SharedViews(t)
	cfg.Addr = "127.0.0.1:0"
	return New(cfg, store, v, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// TestRouteTableIsComplete: every route the router knows is a line of the table, and every
// line of the table is routed once. echo's own "route not found" entries (one per group
// with middleware, and the final 404) and the static assets are not product routes.
func TestRouteTableIsComplete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, store *models.Store) {
		s := matrixServer(t, store, Config{})
		table := map[string]access{}
		for _, r := range s.table() {
			key := r.method + " " + r.path
			if _, dup := table[key]; dup {
				t.Errorf("route en double dans la table : %s", key)
			}
			table[key] = r.access
		}
		routed := map[string]bool{}
		for _, r := range s.Echo().Routes() {
			if r.Method == echo.RouteNotFound || r.Path == "/static" || strings.HasPrefix(r.Path, "/static/") {
				continue
			}
			key := r.Method + " " + r.Path
			routed[key] = true
			if _, ok := table[key]; !ok {
				t.Errorf("route servie mais absente de la table des droits : %s", key)
			}
		}
		for key := range table {
			if !routed[key] {
				t.Errorf("ligne de la table jamais routée : %s", key)
			}
		}
		if len(table) < 30 {
			t.Errorf("table suspecte : %d routes", len(table))
		}
	})
}

// TestAuthorizationMatrix calls every route of the table as every role (anonymous, admin,
// pilote académique, IA 77/93/94, IEN, AMIF, référent commune, lecteur) and checks:
//   - probe and public routes never answer 401 or 403 (except a failed login, 401, on
//     POST /connexion);
//   - signedIn and api routes send the anonymous caller to /connexion (303, pages asked by
//     GET) or answer 401 (API, POST), and let every role through;
//   - admin routes let only the admin through: 403 for every other role.
//
// No route may answer 5xx. POST routes are sent with a valid CSRF token, so that the
// answer is the route's access rule and not the CSRF check. Every request of a signed-in
// caller opens a new session, so that a logout or a password change on one route does not
// sign the caller out of the next ones.
//
// The access of a route is the HTTP layer's: the matrix runs on one engine (Quickest); what
// each role reads and writes is the scope matrix's, on both.
func TestAuthorizationMatrix(t *testing.T) {
	e := dbtest.Quickest()
	t.Run(e.Name, func(t *testing.T) {
		store := e.Open(t, true)
		s := matrixServer(t, store, Config{LoginRate: 1e6})
		h := s.Handler()
		callers := matrixCallers()
		fx := matrixAccounts(t, store, callers)
		matrixAnonymousCSRF(t, h, callers)
		routes := s.table()
		cells, failed := matrixCells(t, store, h, routes, callers, fx)
		apiProblems := matrixTokenProblems(t, store, h, routes, callers, fx)

		table := matrixTable(routes, callers, cells)
		t.Logf("matrice routes × rôles (%d routes, %d appelants) :\n%s", len(routes), len(callers), table)
		if failed {
			t.Errorf("la matrice des droits n'est pas respectée (cellules marquées « ! ») :\n%s\nlégende : 303c = redirection vers /connexion, ! = inattendu ; détails :\n%s",
				table, matrixProblems(routes, callers, cells))
		}
		for _, p := range apiProblems {
			t.Error(p)
		}
	})
}

// matrixAccounts creates the callers' accounts, and the rows that the :id of a route
// designates: an account that is none of the callers (an admin route may disable or
// archive it), and an API token.
func matrixAccounts(t *testing.T, store *models.Store, callers []*matrixCaller) matrixFixtures {
	t.Helper()
	ctx, sys := context.Background(), models.SystemActor("test")
	for _, c := range callers {
		if c.in == nil {
			continue
		}
		u, err := store.CreateUser(ctx, sys, *c.in)
		if err != nil {
			t.Fatalf("compte %s : %v", c.name, err)
		}
		c.id = u.ID
	}
	target, err := store.CreateUser(ctx, sys, models.UserInput{Email: "m.cible@ac-creteil.fr", Nom: "Cible", Role: models.RoleLecteur})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateAPIToken(ctx, sys, target.ID, "cible"); err != nil {
		t.Fatal(err)
	}
	tokens, err := store.ListAPITokens(ctx, target.ID)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("jeton cible : %v %d", err, len(tokens))
	}
	return matrixFixtures{userID: target.ID, tokenID: tokens[0].ID}
}

// matrixAnonymousCSRF gives the anonymous caller its CSRF token: it first GETs a page, as a
// browser would, to receive its CSRF cookie; the token of a signed-in caller is derived
// from each session (matrixDo).
func matrixAnonymousCSRF(t *testing.T, h http.Handler, callers []*matrixCaller) {
	t.Helper()
	for _, c := range callers {
		if c.in != nil {
			continue
		}
		rec := matrixDo(h, http.MethodGet, "/connexion", "", "")
		for _, ck := range rec.Result().Cookies() {
			if ck.Name == "pilotage_csrf" {
				c.csrf = ck.Value
			}
		}
		if c.csrf == "" {
			t.Fatalf("%s : pas de cookie pilotage_csrf sur /connexion (%d)", c.name, rec.Code)
		}
	}
}

// matrixCells calls every route as every caller, each request in a new session, and
// returns the answers, and whether one of them is unexpected.
func matrixCells(t *testing.T, store *models.Store, h http.Handler, routes []route, callers []*matrixCaller, fx matrixFixtures) ([][]matrixCell, bool) {
	t.Helper()
	session := func(c *matrixCaller) string {
		if c.in == nil {
			return ""
		}
		token, err := store.CreateSession(context.Background(), c.id, "192.0.2.1", "matrice")
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	cells := make([][]matrixCell, len(routes))
	failed := false
	for i, r := range routes {
		path := fx.fill(r.method, r.path)
		for _, c := range callers {
			rec := matrixDo(h, r.method, path, session(c), c.csrf)
			cell := matrixCell{status: rec.Code, location: rec.Header().Get(echo.HeaderLocation)}
			cell.problem = matrixCheck(r, c, cell)
			if cell.problem != "" {
				failed = true
			}
			cells[i] = append(cells[i], cell)
		}
	}
	return cells, failed
}

// matrixTokenProblems calls the routes with personal tokens: the JSON API answers every
// role's token and refuses a bogus one; anywhere else a token leaves the caller anonymous.
func matrixTokenProblems(t *testing.T, store *models.Store, h http.Handler, routes []route, callers []*matrixCaller, fx matrixFixtures) []string {
	t.Helper()
	ctx, sys := context.Background(), models.SystemActor("test")
	var err error
	var apiProblems []string
	for _, c := range callers {
		bearer := "pe1_inconnu"
		if c.in != nil {
			if bearer, err = store.CreateAPIToken(ctx, sys, c.id, "matrice"); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range routes {
			req := httptest.NewRequest(r.method, fx.fill(r.method, r.path), nil)
			req.Header.Set(echo.HeaderAuthorization, "Bearer "+bearer)
			rec := httptest.NewRecorder()
			if r.access == signedIn || r.access == admin {
				// A token opens the API only: anywhere else the caller is anonymous.
				if r.method != http.MethodGet || c.in == nil {
					continue
				}
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/connexion") {
					apiProblems = append(apiProblems, fmt.Sprintf("%s %s avec le jeton de %s : %d, attendu 303 vers /connexion", r.method, r.path, c.name, rec.Code))
				}
				continue
			}
			if r.access != api {
				continue
			}
			h.ServeHTTP(rec, req)
			switch {
			case c.in == nil && rec.Code != http.StatusUnauthorized:
				apiProblems = append(apiProblems, fmt.Sprintf("%s %s avec un jeton inconnu : %d, attendu 401", r.method, r.path, rec.Code))
			case c.in != nil && rec.Code != http.StatusOK:
				apiProblems = append(apiProblems, fmt.Sprintf("%s %s avec le jeton de %s : %d, attendu 200", r.method, r.path, c.name, rec.Code))
			}
		}
	}
	return apiProblems
}

// matrixFixtures fills a route's parameters with rows that exist in the test database.
type matrixFixtures struct {
	userID, tokenID int64
}

func (fx matrixFixtures) fill(method, path string) string {
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		switch {
		case seg == "*":
			segs[i] = "x"
		case strings.HasPrefix(seg, ":"):
			segs[i] = fx.param(seg[1:], path)
		}
	}
	return strings.Join(segs, "/")
}

func (fx matrixFixtures) param(name, path string) string {
	switch name {
	case "code":
		if strings.Contains(path, "commune") {
			return "93008" // Bobigny
		}
		return "93"
	case "uai":
		return "0930388S"
	case "siren":
		return "200057875"
	case "token":
		return "inconnu"
	case "id":
		if strings.Contains(path, "jeton") {
			return strconv.FormatInt(fx.tokenID, 10)
		}
		return strconv.FormatInt(fx.userID, 10)
	}
	return "1"
}

// matrixDo sends one request: the session cookie and the session's CSRF token when signed
// in, the CSRF cookie otherwise, and the CSRF form field for a state change.
func matrixDo(h http.Handler, method, path, sessionToken, csrf string) *httptest.ResponseRecorder {
	if sessionToken != "" {
		csrf = csrfMAC(sessionToken, csrfSessionLabel)
	}
	var body io.Reader
	if method != http.MethodGet && method != http.MethodHead {
		body = strings.NewReader(url.Values{"_csrf": {csrf}}.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if body != nil {
		req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
	}
	if sessionToken != "" {
		req.AddCookie(&http.Cookie{Name: "pilotage_session", Value: sessionToken})
	}
	if csrf != "" {
		req.AddCookie(&http.Cookie{Name: "pilotage_csrf", Value: csrf})
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

type matrixCell struct {
	status   int
	location string
	problem  string
}

func (c matrixCell) toLogin() bool {
	return c.status == http.StatusSeeOther && strings.HasPrefix(c.location, "/connexion")
}

func (c matrixCell) String() string {
	s := strconv.Itoa(c.status)
	if c.toLogin() {
		s += "c"
	}
	if c.problem != "" {
		s += "!"
	}
	return s
}

// matrixCheck returns what is wrong with a cell, "" when it is as expected.
func matrixCheck(r route, c *matrixCaller, cell matrixCell) string {
	if cell.status >= 500 {
		return fmt.Sprintf("erreur serveur %d", cell.status)
	}
	anonymous := c.in == nil
	page := r.method == http.MethodGet && r.access != api && !strings.HasPrefix(r.path, "/api/")
	switch r.access {
	case probe, public:
		if r.method == http.MethodPost && r.path == "/connexion" && cell.status == http.StatusUnauthorized {
			return "" // a failed login
		}
		if cell.status == http.StatusUnauthorized || cell.status == http.StatusForbidden {
			return fmt.Sprintf("route publique refusée (%d)", cell.status)
		}
		return ""
	case signedIn, api, admin:
		if anonymous {
			if page {
				if !cell.toLogin() {
					return fmt.Sprintf("anonyme : %d (Location %q), attendu 303 vers /connexion", cell.status, cell.location)
				}
			} else if cell.status != http.StatusUnauthorized {
				return fmt.Sprintf("anonyme : %d, attendu 401", cell.status)
			}
			return ""
		}
		if r.access == admin && c.in.Role != models.RoleAdmin {
			if cell.status != http.StatusForbidden {
				return fmt.Sprintf("%s sur une route d'administration : %d, attendu 403", c.name, cell.status)
			}
			return ""
		}
		if roles, ok := formUsers[r.method+" "+r.path]; ok && !slices.Contains(roles, c.name) {
			if cell.status != http.StatusForbidden {
				return fmt.Sprintf("%s sur un formulaire que son rôle n'utilise pas : %d, attendu 403", c.name, cell.status)
			}
			return ""
		}
		if cell.status == http.StatusUnauthorized || cell.status == http.StatusForbidden || cell.toLogin() {
			return fmt.Sprintf("%s refusé : %d (Location %q)", c.name, cell.status, cell.location)
		}
		return ""
	}
	return fmt.Sprintf("niveau d'accès inconnu %d", r.access)
}

// formUsers lists, per creation form, the roles that use it: the other signed-in roles get
// a 403 page that says why (the forms of existing records are checked by their own tests,
// the matrix's ids designating no record).
var formUsers = map[string][]string{
	"GET /organisations/nouveau": {"admin", "pilote", "ia77", "ia93", "ia94", "amif", "referent"},
	"GET /contacts/nouveau":      {"admin", "pilote", "ia77", "ia93", "ia94", "amif", "referent"},
	"GET /instances/nouveau":     {"admin", "pilote", "ia77", "ia93", "ia94", "amif"},
	"GET /reunions/nouveau":      {"admin", "pilote", "ia77", "ia93", "ia94", "amif"},
	"GET /decisions/nouveau":     {"admin", "pilote", "ia77", "ia93", "ia94", "amif"},
	"GET /actions/nouveau":       {"admin", "pilote", "ia77", "ia93", "ia94", "amif"},
	"GET /chartes/nouveau":       {"admin", "pilote"},
	"GET /adoptions/nouveau":     {"admin", "pilote", "ia77", "ia93", "ia94", "amif", "referent"},
	"GET /conventions/nouveau":   {"admin", "pilote", "ia77", "ia93", "ia94"},
	"GET /financements/nouveau":  {"admin", "pilote", "ia77", "ia93", "ia94"},

	// The bulk change of the deployments (app/deploiements_bulk.go): their writers.
	"POST /deploiements/modifier": {"admin", "pilote", "ia77", "ia93", "ia94", "ien"},
}

func accessName(a access) string {
	switch a {
	case probe:
		return "probe"
	case public:
		return "public"
	case signedIn:
		return "signedIn"
	case admin:
		return "admin"
	case api:
		return "api"
	}
	return "?" + strconv.Itoa(int(a))
}

// matrixTable prints the matrix, one line per route, one column per caller.
func matrixTable(routes []route, callers []*matrixCaller, cells [][]matrixCell) string {
	width := 0
	for _, r := range routes {
		width = max(width, len(r.method)+1+len(r.path))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s %-8s", width, "route", "accès")
	for _, c := range callers {
		fmt.Fprintf(&b, " %8s", c.name)
	}
	b.WriteByte('\n')
	for i, r := range routes {
		fmt.Fprintf(&b, "%-*s %-8s", width, r.method+" "+r.path, accessName(r.access))
		for _, cell := range cells[i] {
			fmt.Fprintf(&b, " %8s", cell)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func matrixProblems(routes []route, callers []*matrixCaller, cells [][]matrixCell) string {
	var out []string
	for i, r := range routes {
		for j, cell := range cells[i] {
			if cell.problem != "" {
				out = append(out, fmt.Sprintf("  %s %s (%s) en %s : %s", r.method, r.path, accessName(r.access), callers[j].name, cell.problem))
			}
		}
	}
	slices.Sort(out)
	return strings.Join(out, "\n")
}
