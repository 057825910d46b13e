package app_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// formClient plays a browser: it keeps its cookies (session, CSRF) between requests and
// sends the CSRF token of the last page it read with every POST, in the form field _csrf,
// as the pages' forms do.
type formClient struct {
	t    *testing.T
	h    http.Handler
	jar  map[string]string
	csrf string
}

// newFormClient starts a client with a "pilotage_session=..." cookie ("" for anonymous).
func newFormClient(t *testing.T, h http.Handler, session string) *formClient {
	fc := &formClient{t: t, h: h, jar: map[string]string{}}
	if name, value, ok := strings.Cut(session, "="); ok {
		fc.jar[name] = value
	}
	return fc
}

func (fc *formClient) do(req *http.Request) *httptest.ResponseRecorder {
	fc.t.Helper()
	for name, value := range fc.jar {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	rec := httptest.NewRecorder()
	fc.h.ServeHTTP(rec, req)
	if token := formCSRF(rec.Body.String()); token != "" {
		fc.csrf = token
	}
	for _, ck := range rec.Result().Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(fc.jar, ck.Name)
		} else {
			fc.jar[ck.Name] = ck.Value
		}
	}
	return rec
}

func (fc *formClient) get(path string) *httptest.ResponseRecorder {
	fc.t.Helper()
	return fc.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// token returns the CSRF token of the client's forms, read from a page first when the
// client has none: a page that has forms for a signed-in client, the login page otherwise.
func (fc *formClient) token() string {
	fc.t.Helper()
	if fc.csrf == "" {
		page := "/connexion"
		if _, ok := fc.jar["pilotage_session"]; ok {
			page = "/mon-compte"
		} else if _, ok := fc.jar["__Host-pilotage_session"]; ok {
			page = "/mon-compte"
		}
		fc.get(page)
	}
	if fc.csrf == "" {
		fc.t.Fatal("pas de jeton _csrf après un GET")
	}
	return fc.csrf
}

// post sends a form with the CSRF token, fetched first by a GET when the client has none.
func (fc *formClient) post(path string, form url.Values) *httptest.ResponseRecorder {
	fc.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", fc.token())
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return fc.do(req)
}

// adminFixture is the world with its two administrators named for short: admin, and
// admin2 for another administrator's concurrent edits.
type adminFixture struct {
	*world
	admin, admin2 *formClient
	adminUser     models.User
}

func newAdminFixture(t *testing.T, s *models.Store, cfg app.Config) adminFixture {
	t.Helper()
	w := newWorld(t, s, cfg)
	return adminFixture{world: w, admin: w.clients["admin"], admin2: w.clients["admin2"],
		adminUser: must(s.GetUser(t.Context(), w.actors["admin"].UserID))}
}

// userForm is a filled account form.
func userForm(nom, email, role string, extra ...string) url.Values {
	return withFields(url.Values{"nom": {nom}, "email": {email}, "role": {role}}, extra...)
}

// createdID returns the id of the account a creation redirected to.
func createdID(t *testing.T, rec *httptest.ResponseRecorder) int64 {
	t.Helper()
	return createdAt(t, rec, "/admin/utilisateurs/")
}

// createdAt checks that a creation redirected (303) to the new record's page, under prefix
// ("/contacts/"), and returns the record's id.
func createdAt(t *testing.T, rec *httptest.ResponseRecorder, prefix string) int64 {
	t.Helper()
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("création : statut %d, attendu 303\n%s", rec.Code, rec.Body.String())
	}
	return idAfter(t, rec.Header().Get("Location"), prefix)
}

// idAfter returns the id that follows prefix in the path loc ("/conventions/12?fait=creation").
func idAfter(t *testing.T, loc, prefix string) int64 {
	t.Helper()
	path, _, _ := strings.Cut(strings.TrimPrefix(loc, prefix), "?")
	id, err := strconv.ParseInt(path, 10, 64)
	if err != nil {
		t.Fatalf("redirection inattendue %q", loc)
	}
	return id
}

// auditActions returns the actions recorded on an account, newest first.
func auditActions(t *testing.T, s *models.Store, id int64) []string {
	t.Helper()
	return historyActions(t, s, "utilisateur", id)
}

// historyActions returns the audit actions recorded on a record of entity, newest first.
func historyActions(t *testing.T, s *models.Store, entity string, id int64) []string {
	t.Helper()
	return historyActionsOf(t, s, entity, strconv.FormatInt(id, 10))
}

// showsEscaped checks that each page answers 200 with text in its main content, escaped:
// the raw text is not in the HTML, and no element it could inject is there.
func showsEscaped(t *testing.T, c *formClient, text string, paths ...string) {
	t.Helper()
	for _, path := range paths {
		rec := c.get(path)
		d := page(t, rec, path, http.StatusOK)
		if strings.Contains(rec.Body.String(), text) || d.Find("img[onerror], script:not([src])").Length() != 0 {
			t.Errorf("%s : %q rendu sans échappement", path, text)
		}
		if !strings.Contains(d.Find("main").Text(), text) {
			t.Errorf("%s : %q absent", path, text)
		}
	}
}

// page checks the status of a page and the rules every page passes, and parses it.
func page(t *testing.T, rec *httptest.ResponseRecorder, url string, status int) *goquery.Document {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("%s : statut %d, attendu %d\n%s", url, rec.Code, status, rec.Body.String())
	}
	d := doc(t, rec)
	checkPageRules(t, url, d)
	return d
}

func TestAdminCreateUser(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newAdminFixture(t, s, app.Config{})
		d := page(t, fx.admin.get("/admin/utilisateurs/nouveau"), "/admin/utilisateurs/nouveau", http.StatusOK)
		for _, sel := range []string{"#compte-nom", "#compte-email", "#compte-role", "#compte-departement", "#compte-circonscription", "#compte-communes", "#compte-epci"} {
			if d.Find(sel).Length() != 1 {
				t.Errorf("champ %s absent du formulaire", sel)
			}
		}
		if d.Find(`#compte-departement option[value="93"]`).Length() != 1 || d.Find(`#compte-role option[value="ia_dasen"]`).Length() != 1 {
			t.Error("listes de choix incomplètes")
		}

		// Fields the role does not use are ignored.
		rec := fx.admin.post("/admin/utilisateurs", userForm("Inès Académie", "Ines.Academie@ac-creteil.fr", "ia_dasen",
			"departement", "93", "circonscription", "0930001A", "communes", "93008 93048", "epci", "200057875"))
		id := createdID(t, rec)
		u, err := s.FindUserByEmail(t.Context(), "ines.academie@ac-creteil.fr")
		if err != nil || u.ID != id || u.Role != models.RoleIA || u.CodeCirconscription != nil || u.EPCISiren != nil || len(u.Communes) != 0 {
			t.Fatalf("compte créé : %+v, %v", u, err)
		}
		scope, err := s.UserScope(t.Context(), u)
		if err != nil || scope.Kind != models.ScopeDepartement || !slices.Equal(scope.Departements, []string{"93"}) {
			t.Errorf("périmètre %+v, %v", scope, err)
		}
		if got := auditActions(t, s, id); !slices.Equal(got, []string{"creation"}) {
			t.Errorf("événements %v, attendu une création", got)
		}

		loc := rec.Header().Get("Location")
		d = page(t, fx.admin.get(loc), loc, http.StatusOK)
		if got := d.Find("#perimetre").Text(); !strings.Contains(got, "Seine-Saint-Denis") {
			t.Errorf("périmètre affiché %q", got)
		}
		if !strings.Contains(d.Find("#historique").Parent().Text(), "Création") || !strings.Contains(d.Text(), "Le compte a été créé") {
			t.Error("historique ou confirmation absents de la fiche")
		}

		d = page(t, fx.admin.get("/admin/utilisateurs"), "/admin/utilisateurs", http.StatusOK)
		if d.Find(`a[href="/admin/utilisateurs/nouveau"]`).Length() != 1 || d.Find(`a[href="/admin/utilisateurs/`+strconv.FormatInt(id, 10)+`"]`).Length() != 1 {
			t.Error("liste : lien « Nouveau compte » ou lien vers le compte absent")
		}
		if !strings.Contains(d.Find("#tableau-comptes").Text(), "IA-DASEN (département)") || !strings.Contains(d.Find("#tableau-comptes").Text(), "département 93") {
			t.Error("liste : rôle ou périmètre absent")
		}
	})
}

func TestAdminUserListFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newAdminFixture(t, s, app.Config{})
		circos, err := s.CirconscriptionChoices(t.Context(), models.AcademieScope(), "")
		if err != nil || len(circos) == 0 {
			t.Fatalf("circonscriptions : %v", err)
		}
		for i, r := range []models.Role{models.RoleIEN, models.RoleLecteur, models.RoleLecteur} {
			in := models.UserInput{Email: "compte" + strconv.Itoa(i) + "@ac-creteil.fr", Nom: "Dupont " + strconv.Itoa(i), Role: r}
			if r == models.RoleIEN {
				in.Circonscription = circos[0].Value
			}
			if _, err := s.CreateUser(t.Context(), models.SystemActor("test"), in); err != nil {
				t.Fatal(err)
			}
		}
		cases := []struct {
			query  string
			status int
			rows   int
		}{
			{"", http.StatusOK, worldAccounts + 3},
			{"?q=dupont", http.StatusOK, 3},
			{"?q=ADMIN2%40", http.StatusOK, 1},
			{"?role=lecteur", http.StatusOK, 3}, // the world's lecteur and two Dupont
			{"?q=dupont&role=ien", http.StatusOK, 1},
			{"?role=admin&per_page=1&page=2", http.StatusOK, 1},
			{"?q=%27+OR+1%3D1+--", http.StatusOK, 0},
			{"?role=roi", http.StatusBadRequest, 0},
			{"?page=abc", http.StatusBadRequest, 0},
		}
		for _, c := range cases {
			url := "/admin/utilisateurs" + c.query
			d := page(t, fx.admin.get(url), url, c.status)
			if got := rows(d, "#tableau-comptes"); got != c.rows {
				t.Errorf("%s : %d lignes, attendu %d", url, got, c.rows)
			}
		}
		d := page(t, fx.admin.get("/admin/utilisateurs?role=roi"), "?role=roi", http.StatusBadRequest)
		if d.Find("#filtre-role-erreur").Length() != 1 {
			t.Error("rôle inconnu : pas de message à côté du champ")
		}
		rec := fx.admin.do(htmxRequest("/admin/utilisateurs?q=dupont"))
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "<h1") || rows(doc(t, rec), "#tableau-comptes") != 3 {
			t.Errorf("fragment htmx : statut %d\n%s", rec.Code, rec.Body.String())
		}
	})
}

func TestAdminUserFormErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newAdminFixture(t, s, app.Config{})
		cases := []struct {
			name  string
			form  url.Values
			field string // id of the field whose error is shown
			msg   string
		}{
			{"adresse invalide", userForm("Jean Test", "pas-une-adresse", "pilote_academique"), "compte-email", "Adresse électronique invalide"},
			{"adresse hostile", userForm("Jean Test", `"><img src=x onerror=alert(1)>`, "pilote_academique"), "compte-email", "Adresse électronique invalide"},
			{"adresse déjà prise", userForm("Jean Test", "ADMIN2@ac-creteil.fr", "pilote_academique"), "compte-email", "existe déjà"},
			{"IA sans département", userForm("Jean Test", "jean@ac-creteil.fr", "ia_dasen"), "compte-departement", "Choisissez le département"},
			{"IEN sans circonscription", userForm("Jean Test", "jean@ac-creteil.fr", "ien"), "compte-circonscription", "circonscription"},
			{"référent sans commune", userForm("Jean Test", "jean@ac-creteil.fr", "referent_commune"), "compte-communes", "au moins une commune"},
			{"commune inconnue", userForm("Jean Test", "jean@ac-creteil.fr", "referent_commune", "communes", "93008, 99999"), "compte-communes", "99999"},
			{"communes en UTF-8 invalide", userForm("Jean Test", "jean@ac-creteil.fr", "referent_commune", "communes", "93008 \xff\xfe"), "compte-communes", "Caractères invalides"},
			{"rôle inconnu", userForm("Jean Test", "jean@ac-creteil.fr", "roi"), "compte-role", "Choisissez un rôle"},
			{"nom vide", userForm("   ", "jean@ac-creteil.fr", "lecteur"), "compte-nom", "obligatoire"},
			{"nom de 10 000 caractères", userForm(strings.Repeat("é", 10000), "jean@ac-creteil.fr", "lecteur"), "compte-nom", "100 caractères"},
			{"nom en UTF-8 invalide", userForm("Jean \xff\xfe Test", "jean@ac-creteil.fr", "lecteur"), "compte-nom", "caractères invalides"},
			{"nom avec NUL", userForm("Jean \x00 Test", "jean@ac-creteil.fr", "lecteur"), "compte-nom", "caractères invalides"},
		}
		for _, c := range cases {
			d := page(t, fx.admin.post("/admin/utilisateurs", c.form), c.name, http.StatusUnprocessableEntity)
			if got := d.Find("#" + c.field + "-erreur").Text(); !strings.Contains(got, c.msg) {
				t.Errorf("%s : message %q à côté de #%s, attendu %q", c.name, got, c.field, c.msg)
			}
			if desc, _ := d.Find("#" + c.field).Attr("aria-describedby"); !slices.Contains(strings.Fields(desc), c.field+"-erreur") {
				t.Errorf("%s : champ non relié à son message (%q)", c.name, desc)
			}
			if c.field == "compte-email" {
				if v, _ := d.Find("#compte-email").Attr("value"); v != c.form.Get("email") {
					t.Errorf("%s : valeur saisie %q non reprise (%q)", c.name, c.form.Get("email"), v)
				}
			}
			if d.Find("img[onerror], script:not([src])").Length() != 0 {
				t.Errorf("%s : saisie interprétée comme du HTML", c.name)
			}
		}
		if n, _ := s.ListUsers(t.Context(), models.SystemActor("test"), models.UserFilter{}, models.PageRequest{}); n.Total != int64(worldAccounts) {
			t.Errorf("%d comptes après des formulaires refusés, attendu %d", n.Total, worldAccounts)
		}

		// Hostile names are stored as they are and shown escaped.
		for _, nom := range []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`} {
			id := createdID(t, fx.admin.post("/admin/utilisateurs", userForm(nom, "hostile"+strconv.Itoa(len(nom))+"@ac-creteil.fr", "lecteur")))
			show := "/admin/utilisateurs/" + strconv.FormatInt(id, 10)
			showsEscaped(t, fx.admin, nom, show, show+"/modifier", "/admin/utilisateurs")
		}
	})
}

func TestAdminLostUpdate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newAdminFixture(t, s, app.Config{})
		id := createdID(t, fx.admin.post("/admin/utilisateurs", userForm("Agathe IA", "agathe@ac-creteil.fr", "ia_dasen", "departement", "77")))
		edit := "/admin/utilisateurs/" + strconv.FormatInt(id, 10) + "/modifier"
		version := func(fc *formClient) string {
			d := page(t, fc.get(edit), edit, http.StatusOK)
			if v, _ := d.Find("#compte-nom").Attr("value"); v != "Agathe IA" {
				t.Errorf("formulaire : nom %q", v)
			}
			v, _ := d.Find(`input[name="version"]`).Attr("value")
			return v
		}
		v1, v2 := version(fx.admin), version(fx.admin2)
		if v1 == "" || v1 != v2 {
			t.Fatalf("versions %q et %q", v1, v2)
		}
		action := "/admin/utilisateurs/" + strconv.FormatInt(id, 10)
		first := userForm("Agathe Première", "agathe@ac-creteil.fr", "ia_dasen", "departement", "93", "version", v1)
		if rec := fx.admin.post(action, first); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != action+"?fait=modification" {
			t.Fatalf("première modification : %d %q", rec.Code, rec.Header().Get("Location"))
		}
		second := userForm("Agathe Seconde", "agathe.seconde@ac-creteil.fr", "ia_dasen", "departement", "94", "version", v2)
		d := page(t, fx.admin2.post(action, second), "conflit", http.StatusConflict)
		if got := d.Find("#conflit").Text(); !strings.Contains(got, "Modifié entre-temps par Compte admin") {
			t.Errorf("conflit : %q, attendu l'auteur de la modification", got)
		}
		table := d.Find("#tableau-conflit").Text()
		for _, want := range []string{"Agathe Première", "Agathe Seconde", "agathe.seconde@ac-creteil.fr", "93", "94"} {
			if !strings.Contains(table, want) {
				t.Errorf("tableau du conflit sans %q", want)
			}
		}
		if v, _ := d.Find("#compte-nom").Attr("value"); v != "Agathe Première" {
			t.Errorf("le formulaire du conflit montre %q, attendu les valeurs actuelles", v)
		}
		u, err := s.GetUser(t.Context(), id)
		if err != nil || u.Nom != "Agathe Première" || u.Email != "agathe@ac-creteil.fr" || *u.DepartementCode != "93" {
			t.Errorf("base après le conflit : %+v, %v", u, err)
		}
		if got := auditActions(t, s, id); !slices.Equal(got, []string{"modification", "creation"}) {
			t.Errorf("événements %v, attendu une seule modification", got)
		}
		// A forged or missing version never overwrites.
		for _, v := range []string{"", "abc", "999"} {
			f := userForm("Forgé", "agathe@ac-creteil.fr", "ia_dasen", "departement", "93", "version", v)
			if rec := fx.admin2.post(action, f); rec.Code != http.StatusConflict {
				t.Errorf("version %q : statut %d", v, rec.Code)
			}
		}
		// Validation errors of an edit: 422 with the message next to the field.
		d = page(t, fx.admin2.post(action, userForm("", "agathe@ac-creteil.fr", "ia_dasen", "departement", "93", "version", strconv.Itoa(u.Version))),
			"modification invalide", http.StatusUnprocessableEntity)
		if !strings.Contains(d.Find("#compte-nom-erreur").Text(), "obligatoire") {
			t.Error("modification invalide : pas de message à côté du nom")
		}
		// The last administrator keeps the role.
		self := "/admin/utilisateurs/" + strconv.FormatInt(fx.adminUser.ID, 10)
		if err := s.SetUserActive(t.Context(), models.SystemActor("test"), mustFind(t, s, "admin2@ac-creteil.fr").ID, false); err != nil {
			t.Fatal(err)
		}
		d = page(t, fx.admin.post(self, userForm("Compte admin", "admin@ac-creteil.fr", "lecteur", "version", strconv.Itoa(fx.adminUser.Version))),
			"dernier administrateur", http.StatusUnprocessableEntity)
		if !strings.Contains(d.Find("#compte-role-erreur").Text(), "au moins un administrateur") {
			t.Errorf("dernier administrateur : %q", d.Find("#compte-role-erreur").Text())
		}
	})
}

func mustFind(t *testing.T, s *models.Store, email string) models.User {
	t.Helper()
	u, err := s.FindUserByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestAdminDisableUser(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newAdminFixture(t, s, app.Config{})
		user := newFormClient(t, fx.h, signIn(t, s, models.UserInput{Email: "paul@ac-creteil.fr", Nom: "Paul Pilote", Role: models.RolePilote}))
		if rec := user.get("/"); rec.Code != http.StatusOK {
			t.Fatalf("avant désactivation : %d", rec.Code)
		}
		id := strconv.FormatInt(mustFind(t, s, "paul@ac-creteil.fr").ID, 10)
		rec := fx.admin.post("/admin/utilisateurs/"+id+"/desactiver", nil)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("désactivation : %d", rec.Code)
		}
		d := page(t, fx.admin.get(rec.Header().Get("Location")), "fiche désactivée", http.StatusOK)
		if !strings.Contains(d.Text(), "Le compte est désactivé") || d.Find("#bouton-reactiver").Length() != 1 {
			t.Error("fiche : confirmation ou bouton « Réactiver » absent")
		}
		if rec := user.get("/"); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/connexion") {
			t.Errorf("session d'un compte désactivé : %d %q", rec.Code, rec.Header().Get("Location"))
		}
		if rec := fx.admin.post("/admin/utilisateurs/"+id+"/reactiver", nil); rec.Code != http.StatusSeeOther {
			t.Errorf("réactivation : %d", rec.Code)
		}
		if u := mustFind(t, s, "paul@ac-creteil.fr"); !u.Active {
			t.Error("compte non réactivé")
		}
		if got := auditActions(t, s, mustFind(t, s, "paul@ac-creteil.fr").ID); !slices.Equal(got[:2], []string{"reactivation", "desactivation"}) {
			t.Errorf("événements %v", got)
		}
		// An administrator cannot disable their own account.
		self := strconv.FormatInt(fx.adminUser.ID, 10)
		d = page(t, fx.admin.post("/admin/utilisateurs/"+self+"/desactiver", nil), "se désactiver", http.StatusUnprocessableEntity)
		if !strings.Contains(d.Find("#refus").Text(), "votre propre compte") {
			t.Errorf("refus : %q", d.Find("#refus").Text())
		}
		if rec := fx.admin.get("/admin/utilisateurs"); rec.Code != http.StatusOK {
			t.Errorf("l'administrateur a perdu sa session : %d", rec.Code)
		}
		if rec := fx.admin.post("/admin/utilisateurs/999999/desactiver", nil); rec.Code != http.StatusNotFound {
			t.Errorf("compte inexistant : %d", rec.Code)
		}
	})
}

func TestAdminPasswordLink(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newAdminFixture(t, s, app.Config{})
		id := createdID(t, fx.admin.post("/admin/utilisateurs", userForm("Irène IA", "irene@ac-creteil.fr", "ia_dasen", "departement", "93")))
		show := "/admin/utilisateurs/" + strconv.FormatInt(id, 10)
		d := page(t, fx.admin.post(show+"/lien", nil), "lien", http.StatusOK)
		// Without PILOTAGE_BASE_URL, a server listening on a loopback address (the tests'
		// 127.0.0.1:0) builds its links on that address, never on the request's Host.
		link := strings.TrimSpace(d.Find("#lien-mot-de-passe").Text())
		if !strings.HasPrefix(link, "http://127.0.0.1:0/mot-de-passe/") || !strings.Contains(d.Find("#lien-emis").Text(), "ne sera plus jamais affiché") {
			t.Fatalf("lien affiché %q", link)
		}
		token := strings.TrimPrefix(link, "http://127.0.0.1:0/mot-de-passe/")
		if rec := fx.admin.get(show); strings.Contains(rec.Body.String(), token) {
			t.Error("le lien est affiché une seconde fois")
		}
		evs, _ := s.History(t.Context(), models.SystemActor("test"), "utilisateur", strconv.FormatInt(id, 10))
		for _, ev := range evs {
			if strings.Contains(ev.Changes, token) {
				t.Error("le lien est copié dans le journal d'audit")
			}
		}

		path := strings.TrimPrefix(link, "http://127.0.0.1:0")
		irene := newFormClient(t, fx.h, "")
		page(t, irene.get(path), path, http.StatusOK)
		if rec := irene.post(path, url.Values{"password": {"court"}, "confirmation": {"court"}}); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("mot de passe trop court : %d", rec.Code)
		}
		pw := "une longue phrase de passe"
		rec := irene.post(path, url.Values{"password": {pw}, "confirmation": {pw}})
		if rec.Code != http.StatusSeeOther || irene.jar["pilotage_session"] == "" {
			t.Fatalf("choix du mot de passe : %d, session %q", rec.Code, irene.jar["pilotage_session"])
		}
		d = page(t, irene.get("/mon-compte"), "/mon-compte", http.StatusOK)
		if !strings.Contains(d.Find("#perimetre").Text(), "Seine-Saint-Denis") {
			t.Errorf("périmètre de l'IA : %q", d.Find("#perimetre").Text())
		}
		other := newFormClient(t, fx.h, "")
		if rec := other.get(path); rec.Code != http.StatusNotFound {
			t.Errorf("lien réutilisé (GET) : %d", rec.Code)
		}
		if rec := other.post(path, url.Values{"password": {"une autre phrase de passe"}, "confirmation": {"une autre phrase de passe"}}); rec.Code != http.StatusNotFound {
			t.Errorf("lien réutilisé (POST) : %d", rec.Code)
		}
		if _, err := s.Authenticate(t.Context(), "irene@ac-creteil.fr", pw, "192.0.2.9"); err != nil {
			t.Errorf("connexion avec le mot de passe choisi : %v", err)
		}

		// Behind a proxy, the configured public address makes the link.
		public := newAdminFixture(t, s, app.Config{BaseURL: "http://pilotage.example.org/"})
		d = page(t, public.admin.post(show+"/lien", nil), "lien", http.StatusOK)
		if link := d.Find("#lien-mot-de-passe").Text(); !strings.HasPrefix(link, "http://pilotage.example.org/mot-de-passe/mdp_") {
			t.Errorf("lien avec PILOTAGE_BASE_URL : %q", link)
		}
	})
}

func TestAdminArchiveRestore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newAdminFixture(t, s, app.Config{})
		id := createdID(t, fx.admin.post("/admin/utilisateurs", userForm("Léa Lectrice", "lea@partenaire.fr", "lecteur")))
		sid := strconv.FormatInt(id, 10)
		lea := newFormClient(t, fx.h, signIn(t, s, models.UserInput{Email: "lea@partenaire.fr"}))
		rec := fx.admin.post("/admin/utilisateurs/"+sid+"/archiver", nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/archives?fait=archivage" {
			t.Fatalf("archivage : %d %q", rec.Code, rec.Header().Get("Location"))
		}
		d := page(t, fx.admin.get("/admin/archives?fait=archivage"), "/admin/archives", http.StatusOK)
		if !strings.Contains(d.Find("#tableau-archives").Text(), "Léa Lectrice") || d.Find(`form[action="/admin/archives/utilisateurs/`+sid+`/restaurer"]`).Length() != 1 {
			t.Error("archives : compte ou bouton « Restaurer » absent")
		}
		if d := page(t, fx.admin.get("/admin/utilisateurs"), "/admin/utilisateurs", http.StatusOK); strings.Contains(d.Find("#tableau-comptes").Text(), "Léa") {
			t.Error("le compte archivé reste dans la liste des comptes")
		}
		if rec := fx.admin.get("/admin/utilisateurs/" + sid); rec.Code != http.StatusNotFound {
			t.Errorf("fiche d'un compte archivé : %d", rec.Code)
		}
		if rec := lea.get("/"); rec.Code != http.StatusSeeOther {
			t.Errorf("session d'un compte archivé : %d", rec.Code)
		}

		// The email is free for a new account; restoring the old one is then refused.
		newID := createdID(t, fx.admin.post("/admin/utilisateurs", userForm("Léa Nouvelle", "LEA@partenaire.fr", "lecteur")))
		d = page(t, fx.admin.post("/admin/archives/utilisateurs/"+sid+"/restaurer", nil), "restauration refusée", http.StatusUnprocessableEntity)
		if !strings.Contains(d.Find("#refus").Text(), "Un compte actif utilise déjà cette adresse") {
			t.Errorf("refus : %q", d.Find("#refus").Text())
		}
		if _, err := s.GetUser(t.Context(), id); err == nil {
			t.Error("restauration refusée mais compte restauré")
		}
		if rec := fx.admin.post("/admin/utilisateurs/"+strconv.FormatInt(newID, 10)+"/archiver", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("archivage du nouveau compte : %d", rec.Code)
		}
		rec = fx.admin.post("/admin/archives/utilisateurs/"+sid+"/restaurer", nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/utilisateurs/"+sid+"?fait=restauration" {
			t.Fatalf("restauration : %d %q", rec.Code, rec.Header().Get("Location"))
		}
		d = page(t, fx.admin.get(rec.Header().Get("Location")), "fiche restaurée", http.StatusOK)
		if !strings.Contains(d.Text(), "Le compte a été restauré") || !strings.Contains(d.Find("#historique").Parent().Text(), "Restauration") {
			t.Error("fiche restaurée : confirmation ou historique absent")
		}
		if got := auditActions(t, s, id); !slices.Equal(got, []string{"restauration", "archivage", "creation"}) {
			t.Errorf("événements %v", got)
		}
		if rec := fx.admin.post("/admin/archives/utilisateurs/"+sid+"/restaurer", nil); rec.Code != http.StatusNotFound {
			t.Errorf("restaurer un compte vivant : %d", rec.Code)
		}
		// An administrator cannot archive their own account.
		d = page(t, fx.admin.post("/admin/utilisateurs/"+strconv.FormatInt(fx.adminUser.ID, 10)+"/archiver", nil), "s'archiver", http.StatusUnprocessableEntity)
		if !strings.Contains(d.Find("#refus").Text(), "votre propre compte") {
			t.Errorf("refus : %q", d.Find("#refus").Text())
		}
	})
}

func TestAdminLogins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newAdminFixture(t, s, app.Config{})
		ctx := t.Context()
		u := mustFind(t, s, "admin2@ac-creteil.fr")
		if err := s.SetPasswordDirect(ctx, models.SystemActor("test"), u.ID, "la phrase de passe de Bob"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, "admin2@ac-creteil.fr", "mauvais mot de passe", "198.51.100.7"); err == nil {
			t.Fatal("mauvais mot de passe accepté")
		}
		if _, err := s.Authenticate(ctx, "admin2@ac-creteil.fr", "la phrase de passe de Bob", "198.51.100.8"); err != nil {
			t.Fatal(err)
		}
		d := page(t, fx.admin.get("/admin/connexions"), "/admin/connexions", http.StatusOK)
		table := d.Find("#tableau-connexions")
		if rows(d, "#tableau-connexions") != 2 || table.Find(".fr-badge--success").Length() != 1 || table.Find(".fr-badge--error").Length() != 1 {
			t.Errorf("historique : %q", table.Text())
		}
		for _, want := range []string{"admin2@ac-creteil.fr", "Compte admin2", "198.51.100.7", "Réussie", "Échec"} {
			if !strings.Contains(table.Text(), want) {
				t.Errorf("historique sans %q", want)
			}
		}
		d = page(t, fx.admin.get("/admin/connexions?per_page=1&page=2"), "page 2", http.StatusOK)
		if rows(d, "#tableau-connexions") != 1 || !strings.Contains(d.Find("#tableau-connexions").Text(), "198.51.100.7") {
			t.Error("page 2 : attendu la plus ancienne tentative")
		}
		if rec := fx.admin.get("/admin/connexions?page=abc"); rec.Code != http.StatusBadRequest {
			t.Errorf("page invalide : %d", rec.Code)
		}
	})
}

// TestAdminRoutesForbidden calls every /admin route of the router as a pilote académique
// (403) and anonymously (login page or 401), with a valid CSRF token; nothing changes.
func TestAdminRoutesForbidden(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		v := app.SharedViews(t)
		srv := app.New(app.Config{Addr: "127.0.0.1:0", LoginRate: 1000}, s, v, slog.New(slog.NewTextHandler(io.Discard, nil)))
		target, err := s.CreateUser(t.Context(), models.SystemActor("test"), models.UserInput{Email: "cible@ac-creteil.fr", Nom: "Cible", Role: models.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(t.Context(), models.SystemActor("test"), models.UserInput{Email: "autre@ac-creteil.fr", Nom: "Autre", Role: models.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		pilote := newFormClient(t, srv.Handler(), signIn(t, s, models.UserInput{Email: "pilote@ac-creteil.fr", Nom: "Pilote", Role: models.RolePilote}))
		anonymous := newFormClient(t, srv.Handler(), "")
		n := 0
		for _, r := range srv.Echo().Routes() {
			if !strings.HasPrefix(r.Path, "/admin") || (r.Method != http.MethodGet && r.Method != http.MethodPost) {
				continue
			}
			n++
			path := strings.ReplaceAll(r.Path, ":id", strconv.FormatInt(target.ID, 10))
			form := userForm("Pirate", "cible@ac-creteil.fr", "lecteur", "version", strconv.Itoa(target.Version))
			if r.Method == http.MethodGet {
				if rec := pilote.get(path); rec.Code != http.StatusForbidden {
					t.Errorf("pilote GET %s : %d, attendu 403", path, rec.Code)
				}
				if rec := anonymous.get(path); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/connexion") {
					t.Errorf("anonyme GET %s : %d %q", path, rec.Code, rec.Header().Get("Location"))
				}
				continue
			}
			if rec := pilote.post(path, form); rec.Code != http.StatusForbidden || strings.Contains(rec.Body.String(), "Formulaire expiré") {
				t.Errorf("pilote POST %s : %d, attendu 403 (rôle, pas CSRF)", path, rec.Code)
			}
			if rec := anonymous.post(path, form); rec.Code != http.StatusUnauthorized {
				t.Errorf("anonyme POST %s : %d, attendu 401", path, rec.Code)
			}
		}
		if n < 13 {
			t.Errorf("%d routes /admin seulement", n)
		}
		got, err := s.GetUser(t.Context(), target.ID)
		if err != nil || got.Version != target.Version || !got.Active || got.Nom != "Cible" {
			t.Errorf("la cible a changé : %+v, %v", got, err)
		}
		if acts := auditActions(t, s, target.ID); !slices.Equal(acts, []string{"creation"}) {
			t.Errorf("événements %v", acts)
		}
	})
}

// TestAdminPagesW3C runs the W3C Nu HTML checker on every kind of administration page
// (see TestW3CValidation for when it runs).
func TestAdminPagesW3C(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w3c := newW3CPages(t)
		fx := newAdminFixture(t, s, app.Config{})
		id := createdID(t, fx.admin.post("/admin/utilisateurs", userForm("Rémi Référent", "remi@ville.fr", "referent_commune", "communes", "93008 93048")))
		show := "/admin/utilisateurs/" + strconv.FormatInt(id, 10)
		archived := createdID(t, fx.admin.post("/admin/utilisateurs", userForm("Ancien", "ancien@ac-creteil.fr", "lecteur")))
		fx.admin.post("/admin/utilisateurs/"+strconv.FormatInt(archived, 10)+"/archiver", nil)
		if _, err := s.Authenticate(t.Context(), "admin2@ac-creteil.fr", "faux", "192.0.2.3"); err == nil {
			t.Fatal("connexion acceptée")
		}
		fx.admin.post(show, userForm("Rémi R.", "remi@ville.fr", "referent_commune", "communes", "93008", "version", "1"))
		pages := map[string]*httptest.ResponseRecorder{
			"liste":            fx.admin.get("/admin/utilisateurs"),
			"liste invalide":   fx.admin.get("/admin/utilisateurs?role=roi"),
			"nouveau":          fx.admin.get("/admin/utilisateurs/nouveau"),
			"création refusée": fx.admin.post("/admin/utilisateurs", userForm("", "x", "ia_dasen")),
			"fiche":            fx.admin.get(show + "?fait=modification"),
			"lien":             fx.admin.post(show+"/lien", nil),
			"modifier":         fx.admin.get(show + "/modifier"),
			"conflit":          fx.admin2.post(show, userForm("Rémi", "remi@ville.fr", "ien", "version", "1")),
			"refus":            fx.admin.post("/admin/utilisateurs/"+strconv.FormatInt(fx.adminUser.ID, 10)+"/desactiver", nil),
			"archives":         fx.admin.get("/admin/archives?fait=archivage"),
			"connexions":       fx.admin.get("/admin/connexions"),
		}
		for name, rec := range pages {
			if rec.Code >= 500 || rec.Code == http.StatusSeeOther {
				t.Fatalf("%s : statut %d", name, rec.Code)
			}
			checkPageRules(t, name, doc(t, rec))
			w3c.add(name, rec.Body.Bytes())
		}
		w3c.check()
	})
}
