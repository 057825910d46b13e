package app_test

import (
	"encoding/json"
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

// orgFixture is the world with a few organisations.
type orgFixture struct {
	*world
	ids map[string]int64
}

func newOrgFixture(t *testing.T, s *models.Store) orgFixture {
	t.Helper()
	fx := orgFixture{world: newWorld(t, s, app.Config{}), ids: map[string]int64{}}
	for name, in := range map[string]models.OrganisationInput{
		"rectorat":    {Kind: models.OrgRectorat, Nom: "Rectorat de l'académie de Créteil", SiteWeb: "https://www.ac-creteil.fr"},
		"dsden93":     {Kind: models.OrgDSDEN, Nom: "DSDEN de la Seine-Saint-Denis", Departement: "93"},
		"bobigny":     {Kind: models.OrgCommune, Commune: "93008", Adresse: "Hôtel de ville\n31 avenue Salvador Allende"},
		"melun":       {Kind: models.OrgCommune, Commune: "77288"},
		"creteil":     {Kind: models.OrgCommune, Commune: "94028"},
		"estensemble": {Kind: models.OrgEPCI, EPCI: "200057875"},
	} {
		fx.ids[name] = must(s.CreateOrganisation(t.Context(), fx.sys, in)).ID
	}
	return fx
}

// path returns the page of a fixture organisation, with an optional suffix ("/modifier").
func (fx orgFixture) path(name, suffix string) string {
	return "/organisations/" + strconv.FormatInt(fx.ids[name], 10) + suffix
}

// orgForm is a filled organisation form.
func orgForm(kind, nom string, extra ...string) url.Values {
	return withFields(url.Values{"type": {kind}, "nom": {nom}}, extra...)
}

// orgEvents returns the audit actions of an organisation, newest first.
func orgEvents(t *testing.T, s *models.Store, id int64) []string {
	t.Helper()
	return historyActions(t, s, "organisation", id)
}

// listedNames returns the names in the organisations table of a page, in order.
func listedNames(d *goquery.Document) []string {
	var out []string
	d.Find("#tableau-organisations tbody tr").Each(func(_ int, tr *goquery.Selection) {
		out = append(out, strings.TrimSpace(tr.Find("td").First().Text()))
	})
	return out
}

func TestOrganisationPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newOrgFixture(t, s)
		orgPagesOfPilote(t, fx)
		orgPagesOfIA(t, fx)

		// A référent sees their commune and their EPCI, not the DSDEN.
		d := page(t, fx.clients["referent93"].get("/organisations"), "liste référent", http.StatusOK)
		if got := listedNames(d); !slices.Equal(got, []string{"Bobigny", "Est Ensemble", "Rectorat de l'académie de Créteil"}) {
			t.Errorf("liste du référent de Bobigny : %v", got)
		}
	})
}

// orgPagesOfPilote checks the pilote's list, record and forms.
func orgPagesOfPilote(t *testing.T, fx orgFixture) {
	t.Helper()
	pilote := fx.clients["pilote"]
	d := page(t, pilote.get("/organisations"), "/organisations", http.StatusOK)
	if got := listedNames(d); !slices.Equal(got, []string{"Bobigny", "Créteil", "DSDEN de la Seine-Saint-Denis", "Est Ensemble", "Melun", "Rectorat de l'académie de Créteil"}) {
		t.Errorf("liste du pilote : %v", got)
	}
	if d.Find("#lien-nouvel-organisme").Length() != 1 || d.Find("#lien-archives").Length() != 1 || d.Find("#resultats a[download]").Length() != 2 {
		t.Error("liste du pilote : bouton « Nouvel organisme », lien des archives ou exports absents")
	}
	if d.Find(`nav#menu-principal a[href="/organisations"][aria-current]`).Length() != 1 {
		t.Error("rubrique « Organisations » absente ou non marquée comme courante")
	}

	d = page(t, pilote.get(fx.path("bobigny", "")), "fiche", http.StatusOK)
	fiche := d.Find("#fiche-organisme").Text()
	for _, want := range []string{"Commune", "Bobigny (93008)", "93 — Seine-Saint-Denis", "Hôtel de ville", "31 avenue Salvador Allende"} {
		if !strings.Contains(fiche, want) {
			t.Errorf("fiche de Bobigny sans %q", want)
		}
	}
	if d.Find("#adresse br").Length() != 1 || d.Find("#lien-modifier").Length() != 1 || d.Find("#bouton-archiver").Length() != 1 {
		t.Error("fiche du pilote : adresse sur deux lignes, « Modifier » ou « Archiver » absents")
	}
	if !strings.Contains(d.Find("#historique").Parent().Text(), "Création") {
		t.Error("fiche sans historique de création")
	}
	d = page(t, pilote.get("/organisations/nouveau"), "nouveau", http.StatusOK)
	for _, id := range []string{"nom", "type", "departement", "commune", "epci", "adresse", "site-web"} {
		if d.Find("#organisation-"+id).Length() != 1 {
			t.Errorf("formulaire sans champ #organisation-%s", id)
		}
	}
	if d.Find(`#organisation-type option`).Length() != 12 || d.Find(`#organisation-epci option[value="200057875"]`).Length() != 1 {
		t.Error("formulaire : types ou EPCI absents des listes")
	}
	d = page(t, pilote.get(fx.path("bobigny", "/modifier")), "modifier", http.StatusOK)
	if v, _ := d.Find("#organisation-commune").Attr("value"); v != "Bobigny (93008)" {
		t.Errorf("formulaire de modification : commune %q", v)
	}
	if v, _ := d.Find(`input[name="version"]`).Attr("value"); v != "1" {
		t.Errorf("formulaire de modification : version %q", v)
	}
	if d.Find(`#organisation-type option[value="commune"][selected]`).Length() != 1 || d.Find("#organisation-adresse").Text() != "Hôtel de ville\n31 avenue Salvador Allende" {
		t.Error("formulaire de modification : type ou adresse non repris")
	}
}

// orgPagesOfIA checks an IA-DASEN sees the shared organisations and their département's,
// other ids are 404, and writes only what the role allows.
func orgPagesOfIA(t *testing.T, fx orgFixture) {
	t.Helper()
	ia := fx.clients["ia93"]
	d := page(t, ia.get("/organisations"), "liste IA 93", http.StatusOK)
	if got := listedNames(d); !slices.Equal(got, []string{"Bobigny", "DSDEN de la Seine-Saint-Denis", "Est Ensemble", "Rectorat de l'académie de Créteil"}) {
		t.Errorf("liste de l'IA 93 : %v", got)
	}
	if d.Find("#lien-nouvel-organisme").Length() != 1 || d.Find("#lien-archives").Length() != 0 {
		t.Error("liste de l'IA 93 : boutons attendus « Nouvel organisme » seul")
	}
	for _, name := range []string{"melun", "creteil"} {
		for _, rec := range []*httptest.ResponseRecorder{
			ia.get(fx.path(name, "")), ia.get(fx.path(name, "/modifier")),
			ia.post(fx.path(name, ""), orgForm("commune", "Pris", "commune", "93008", "version", "1")),
			ia.post(fx.path(name, "/archiver"), nil),
		} {
			if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "Page introuvable") {
				t.Errorf("IA 93 sur %s : %d, attendu 404", name, rec.Code)
			}
		}
	}
	d = page(t, ia.get(fx.path("rectorat", "")), "rectorat vu de l'IA", http.StatusOK)
	if d.Find("#lien-modifier").Length() != 0 || d.Find("#bouton-archiver").Length() != 0 {
		t.Error("l'IA 93 voit « Modifier » ou « Archiver » sur le rectorat")
	}
	page(t, ia.get(fx.path("rectorat", "/modifier")), "modifier le rectorat", http.StatusForbidden)
	d = page(t, ia.get(fx.path("bobigny", "")), "Bobigny vu de l'IA", http.StatusOK)
	if d.Find("#lien-modifier").Length() != 1 || d.Find("#bouton-archiver").Length() != 0 {
		t.Error("l'IA 93 doit pouvoir modifier Bobigny, pas l'archiver")
	}
	if rec := ia.post(fx.path("bobigny", "/archiver"), nil); rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "Accès refusé") {
		t.Errorf("IA 93 archive Bobigny : %d", rec.Code)
	}
	d = page(t, ia.get("/organisations/nouveau"), "nouveau IA", http.StatusOK)
	if got := d.Find("#organisation-type option[value]").Length(); got != 4 || d.Find(`#organisation-departement option[value="77"]`).Length() != 0 {
		t.Errorf("formulaire de l'IA 93 : %d types, départements %q", got, d.Find("#organisation-departement").Text())
	}
	d = page(t, ia.get("/organisations/archives"), "archives IA", http.StatusOK)
	if d.Find("#archives-reservees").Length() != 1 || d.Find("#tableau-archives").Length() != 0 {
		t.Error("archives visibles par l'IA 93")
	}
}

func TestOrganisationReadOnlyRole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newOrgFixture(t, s)
		lecteur := fx.clients["lecteur"]
		d := page(t, lecteur.get("/organisations"), "liste lecteur", http.StatusOK)
		if d.Find("#lien-nouvel-organisme").Length() != 0 || d.Find("#lien-archives").Length() != 0 || len(listedNames(d)) != 6 {
			t.Error("liste du lecteur : boutons d'écriture affichés ou organismes manquants")
		}
		d = page(t, lecteur.get(fx.path("bobigny", "")), "fiche lecteur", http.StatusOK)
		if d.Find("#lien-modifier, #bouton-archiver, #lien-nouveau-contact").Length() != 0 {
			t.Error("fiche du lecteur : boutons d'écriture affichés")
		}
		d = page(t, lecteur.get("/organisations/nouveau"), "nouveau lecteur", http.StatusForbidden)
		if d.Find("#formulaire-ferme").Length() != 1 || d.Find("form[method=post]").Length() != 1 { // the logout form only
			t.Error("le lecteur reçoit un formulaire de création")
		}
		valid := orgForm("autre", "Organisme du lecteur")
		for path, form := range map[string]url.Values{
			"/organisations":                 valid,
			fx.path("rectorat", ""):          orgForm("rectorat", "Pris", "version", "1"),
			fx.path("rectorat", "/archiver"): nil,
		} {
			rec := lecteur.post(path, form)
			if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "ne permet") && !strings.Contains(rec.Body.String(), "Accès refusé") {
				t.Errorf("POST %s par le lecteur : %d, attendu 403 avec un message", path, rec.Code)
			}
		}
		if rec := lecteur.post(fx.path("rectorat", "/restaurer"), nil); rec.Code != http.StatusNotFound {
			t.Errorf("restauration par le lecteur : %d", rec.Code)
		}
		p, err := s.ListOrganisations(t.Context(), models.AcademieScope(), models.OrganisationFilter{}, models.PageRequest{})
		if err != nil || p.Total != 6 {
			t.Errorf("%d organismes après les refus (%v)", p.Total, err)
		}
		if got := orgEvents(t, s, fx.ids["rectorat"]); !slices.Equal(got, []string{"creation"}) {
			t.Errorf("rectorat : événements %v", got)
		}
	})
}

func TestOrganisationListFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newOrgFixture(t, s)
		pilote := fx.clients["pilote"]
		cases := []struct {
			url  string
			want []string
		}{
			{"/organisations?type=commune", []string{"Bobigny", "Créteil", "Melun"}},
			{"/organisations?departement=93", []string{"Bobigny", "DSDEN de la Seine-Saint-Denis", "Est Ensemble"}},
			{"/organisations?q=CRETEIL", []string{"Créteil", "Rectorat de l'académie de Créteil"}},
			{"/organisations?q=77288", []string{"Melun"}},
			{"/organisations?sort=-nom&type=commune", []string{"Melun", "Créteil", "Bobigny"}},
			{"/organisations?sort=type", []string{"Rectorat de l'académie de Créteil", "DSDEN de la Seine-Saint-Denis", "Bobigny", "Créteil", "Melun", "Est Ensemble"}},
			{"/organisations?per_page=2&page=3", []string{"Melun", "Rectorat de l'académie de Créteil"}},
			{"/organisations?q=%3Cscript%3E", nil},
		}
		for _, c := range cases {
			d := page(t, pilote.get(c.url), c.url, http.StatusOK)
			if got := listedNames(d); !slices.Equal(got, c.want) {
				t.Errorf("%s : %v, attendu %v", c.url, got, c.want)
			}
		}
		d := doc(t, pilote.get("/organisations?departement=93&sort=-nom"))
		export, _ := d.Find("#resultats a[download]").First().Attr("href")
		if export != "/organisations.xlsx?departement=93&sort=-nom" {
			t.Errorf("lien d'export %q", export)
		}
		for url, field := range map[string]string{"/organisations?type=mairie": "filtre-type", "/organisations?sort=nom%3Bdrop": "",
			"/organisations?departement=xx": "filtre-departement", "/organisations?q=%FF": "filtre-q"} {
			rec := pilote.get(url)
			d := page(t, rec, url, http.StatusBadRequest)
			if field != "" && d.Find("#"+field+"-erreur").Length() != 1 {
				t.Errorf("%s : pas de message à côté de #%s", url, field)
			}
		}
		rec := pilote.do(htmxRequest("/organisations?type=epci"))
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "<html") || !strings.Contains(rec.Body.String(), "Est Ensemble") {
			t.Errorf("fragment htmx : %d %q", rec.Code, rec.Body.String())
		}
	})
}

func TestOrganisationFormErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newOrgFixture(t, s)
		pilote := fx.clients["pilote"]
		long := strings.Repeat("é", 10000)
		cases := []struct {
			name  string
			form  url.Values
			field string // id of the field whose error is shown
			msg   string
			kept  string // value the field must keep, "" to skip
		}{
			{"nom vide", orgForm("autre", "   "), "organisation-nom", "Le nom est obligatoire", ""},
			{"type absent", orgForm("", "Organisme"), "organisation-type", "Choisissez le type", ""},
			{"type inconnu", orgForm("mairie", "Organisme"), "organisation-type", "inconnu", ""},
			{"site javascript:", orgForm("autre", "Organisme", "site_web", "javascript:alert(1)"), "organisation-site-web", "https://", "javascript:alert(1)"},
			{"nom de 10 000 caractères", orgForm("autre", long), "organisation-nom", "200 caractères", long},
			{"nom en UTF-8 invalide", orgForm("autre", "Mairie \xff\xfe"), "organisation-nom", "caractères invalides", ""},
			{"nom avec NUL", orgForm("autre", "Mairie \x00"), "organisation-nom", "caractères invalides", ""},
			{"commune inconnue", orgForm("commune", "", "commune", "99999"), "organisation-commune", "inconnue", "99999"},
			{"commune déjà prise", orgForm("commune", "", "commune", "93008"), "organisation-commune", "existe déjà", "93008"},
			{"DSDEN sans département", orgForm("dsden", "DSDEN"), "organisation-departement", "département", ""},
			{"EPCI inconnu", orgForm("epci", "", "epci", "' OR 1=1 --"), "organisation-epci", "EPCI", ""},
			{"adresse trop longue", orgForm("autre", "Organisme", "adresse", long), "organisation-adresse", "500 caractères", ""},
		}
		for _, c := range cases {
			d := page(t, pilote.post("/organisations", c.form), c.name, http.StatusUnprocessableEntity)
			if got := d.Find("#" + c.field + "-erreur").Text(); !strings.Contains(got, c.msg) {
				t.Errorf("%s : message %q à côté de #%s, attendu %q", c.name, got, c.field, c.msg)
			}
			if desc, _ := d.Find("#" + c.field).Attr("aria-describedby"); !slices.Contains(strings.Fields(desc), c.field+"-erreur") {
				t.Errorf("%s : champ non relié à son message (%q)", c.name, desc)
			}
			if v, _ := d.Find("#" + c.field).Attr("value"); c.kept != "" && v != c.kept {
				t.Errorf("%s : valeur saisie non reprise (%.30q)", c.name, v)
			}
			if d.Find("#organisation-adresse").Text() != c.form.Get("adresse") {
				t.Errorf("%s : adresse saisie non reprise", c.name)
			}
			if d.Find(`a[href^="javascript"], img[onerror], script:not([src])`).Length() != 0 {
				t.Errorf("%s : saisie interprétée", c.name)
			}
		}
		if p, _ := s.ListOrganisations(t.Context(), models.AcademieScope(), models.OrganisationFilter{}, models.PageRequest{}); p.Total != 6 {
			t.Errorf("%d organismes après des formulaires refusés, attendu 6", p.Total)
		}

		// Hostile names are stored as typed and always shown escaped.
		for i, nom := range []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`} {
			rec := pilote.post("/organisations", orgForm("editeur_ent", nom, "site_web", "https://exemple.fr/?a=1&c="+strconv.Itoa(i)))
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("création de %q : %d", nom, rec.Code)
			}
			show, _, _ := strings.Cut(rec.Header().Get("Location"), "?")
			showsEscaped(t, pilote, nom, show, show+"/modifier", "/organisations")
		}
	})
}

func TestOrganisationCreateAndRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newOrgFixture(t, s)
		// AMIF creates a commune's organisation; its name and département come from the reference data.
		rec := fx.clients["amif"].post("/organisations", orgForm("commune", "", "commune", "93048", "departement", "77",
			"adresse", "Place Jean Jaurès\r\n93100 Montreuil", "site_web", "https://www.montreuil.fr", "id", "1", "archived_at", "2020-01-01"))
		if rec.Code != http.StatusSeeOther || !strings.HasSuffix(rec.Header().Get("Location"), "?fait=creation") {
			t.Fatalf("création par l'AMIF : %d %q\n%s", rec.Code, rec.Header().Get("Location"), rec.Body.String())
		}
		loc := rec.Header().Get("Location")
		d := page(t, fx.clients["amif"].get(loc), loc, http.StatusOK)
		if h1 := d.Find("h1").Text(); !strings.Contains(h1, "Montreuil") || !strings.Contains(d.Text(), "L'organisme a été créé.") {
			t.Errorf("fiche créée : %q", h1)
		}
		if !strings.Contains(d.Find("#fiche-organisme").Text(), "93 — Seine-Saint-Denis") {
			t.Error("le département de la commune n'est pas celui du référentiel")
		}
		// The write rule refuses what the role may not write: 403, the form kept with a message.
		for who, form := range map[string]url.Values{
			"ia93":       orgForm("commune", "", "commune", "77001"),
			"amif":       orgForm("rectorat", "Rectorat bis"),
			"referent93": orgForm("epci", "", "epci", "200057875"),
		} {
			rec := fx.clients[who].post("/organisations", form)
			d := page(t, rec, who, http.StatusForbidden)
			if !strings.Contains(d.Find("#refus").Text(), "Rien n'a été enregistré") || d.Find("#organisation-nom").Length() != 1 {
				t.Errorf("%s : refus sans message ou sans formulaire", who)
			}
		}
		// An IA-DASEN may not move their commune into another département.
		rec = fx.clients["ia93"].post(fx.path("bobigny", ""), orgForm("commune", "Bobigny", "commune", "77288", "version", "1"))
		d = page(t, rec, "déplacement", http.StatusForbidden)
		if v, _ := d.Find("#organisation-commune").Attr("value"); v != "77288" || d.Find("#refus").Length() != 1 {
			t.Errorf("refus de l'IA 93 : valeur %q", v)
		}
		if got := orgEvents(t, s, fx.ids["bobigny"]); !slices.Equal(got, []string{"creation"}) {
			t.Errorf("Bobigny : événements %v", got)
		}
	})
}

func TestOrganisationLostUpdate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newOrgFixture(t, s)
		first, second := fx.clients["pilote"], fx.clients["pilote2"]
		edit, action := fx.path("bobigny", "/modifier"), fx.path("bobigny", "")
		version := func(fc *formClient) string {
			d := page(t, fc.get(edit), edit, http.StatusOK)
			v, _ := d.Find(`input[name="version"]`).Attr("value")
			return v
		}
		v1, v2 := version(first), version(second)
		if v1 == "" || v1 != v2 {
			t.Fatalf("versions %q et %q", v1, v2)
		}
		rec := first.post(action, orgForm("commune", "Ville de Bobigny", "commune", "93008", "site_web", "https://www.bobigny.fr",
			"adresse", "Hôtel de ville\n31 avenue Salvador Allende", "version", v1))
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != action+"?fait=modification" {
			t.Fatalf("première modification : %d %q", rec.Code, rec.Header().Get("Location"))
		}
		d := page(t, second.post(action, orgForm("commune", "Mairie de Bobigny", "commune", "93008", "adresse", "Autre adresse", "version", v2)),
			"conflit", http.StatusConflict)
		if got := d.Find("#conflit").Text(); !strings.Contains(got, "Modifié entre-temps par Compte pilote") {
			t.Errorf("conflit : %q", got)
		}
		table := d.Find("#tableau-conflit").Text()
		for _, want := range []string{"Ville de Bobigny", "Mairie de Bobigny", "https://www.bobigny.fr", "Autre adresse"} {
			if !strings.Contains(table, want) {
				t.Errorf("tableau du conflit sans %q", want)
			}
		}
		if v, _ := d.Find("#organisation-nom").Attr("value"); v != "Ville de Bobigny" {
			t.Errorf("le formulaire du conflit montre %q, attendu les valeurs actuelles", v)
		}
		if v, _ := d.Find(`input[name="version"]`).Attr("value"); v != "2" {
			t.Errorf("le formulaire du conflit porte la version %q", v)
		}
		o, err := s.GetOrganisation(t.Context(), models.AcademieScope(), fx.ids["bobigny"])
		if err != nil || o.Nom != "Ville de Bobigny" || o.SiteWeb != "https://www.bobigny.fr" || !strings.HasPrefix(o.Adresse, "Hôtel de ville") {
			t.Errorf("base après le conflit : %+v, %v", o, err)
		}
		if got := orgEvents(t, s, fx.ids["bobigny"]); !slices.Equal(got, []string{"modification", "creation"}) {
			t.Errorf("événements %v, attendu une seule modification", got)
		}
		// A forged or missing version never overwrites.
		for _, v := range []string{"", "abc", "999", "-1"} {
			if rec := second.post(action, orgForm("commune", "Forgé", "commune", "93008", "version", v)); rec.Code != http.StatusConflict {
				t.Errorf("version %q : statut %d", v, rec.Code)
			}
		}
		// Clearing the site and the address is saved (zero values persist).
		rec = second.post(action, orgForm("commune", "Ville de Bobigny", "commune", "93008", "site_web", "", "adresse", "", "version", "2"))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("effacement : %d", rec.Code)
		}
		if o, _ := s.GetOrganisation(t.Context(), models.AcademieScope(), fx.ids["bobigny"]); o.SiteWeb != "" || o.Adresse != "" || o.Version != 3 {
			t.Errorf("valeurs effacées non enregistrées : %+v", o)
		}
	})
}

func TestOrganisationArchiveRestore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newOrgFixture(t, s)
		pilote, id := fx.clients["pilote"], fx.ids["bobigny"]
		rec := pilote.post(fx.path("bobigny", "/archiver"), nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/organisations/archives?fait=archivage" {
			t.Fatalf("archivage : %d %q", rec.Code, rec.Header().Get("Location"))
		}
		d := page(t, pilote.get("/organisations/archives?fait=archivage"), "archives", http.StatusOK)
		if !strings.Contains(d.Find("#tableau-archives").Text(), "Bobigny") || d.Find(`form[action="`+fx.path("bobigny", "/restaurer")+`"]`).Length() != 1 {
			t.Error("archives : Bobigny ou son bouton « Restaurer » absent")
		}
		// Gone from the list, the page, the export and the API.
		if slices.Contains(listedNames(doc(t, pilote.get("/organisations"))), "Bobigny") {
			t.Error("organisme archivé dans la liste")
		}
		if rec := pilote.get(fx.path("bobigny", "")); rec.Code != http.StatusNotFound {
			t.Errorf("fiche d'un organisme archivé : %d", rec.Code)
		}
		_, data := readCSV(t, "export", pilote.get("/organisations.csv").Body.Bytes())
		if len(data) != 5 {
			t.Errorf("export : %d lignes après archivage, attendu 5", len(data))
		}
		var api apiAnswer
		if err := json.Unmarshal(pilote.get("/api/v1/organisations?q=bobigny").Body.Bytes(), &api); err != nil || api.Total != 0 {
			t.Errorf("API après archivage : %+v, %v", api, err)
		}
		// The commune takes a new organisation; the old one cannot come back beside it.
		created := pilote.post("/organisations", orgForm("commune", "", "commune", "93008"))
		if created.Code != http.StatusSeeOther {
			t.Fatalf("nouvel organisme pour Bobigny : %d", created.Code)
		}
		d = page(t, pilote.post(fx.path("bobigny", "/restaurer"), nil), "restauration refusée", http.StatusUnprocessableEntity)
		if !strings.Contains(d.Find("#refus").Text(), "archivez-le") {
			t.Errorf("restauration refusée : %q", d.Find("#refus").Text())
		}
		newID, _, _ := strings.Cut(strings.TrimPrefix(created.Header().Get("Location"), "/organisations/"), "?")
		if rec := pilote.post("/organisations/"+newID+"/archiver", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("archivage du nouvel organisme : %d", rec.Code)
		}
		rec = fx.clients["ia93"].post(fx.path("bobigny", "/restaurer"), nil)
		if rec.Code != http.StatusNotFound {
			t.Errorf("restauration par l'IA 93 : %d, attendu 404", rec.Code)
		}
		rec = pilote.post(fx.path("bobigny", "/restaurer"), nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != fx.path("bobigny", "?fait=restauration") {
			t.Fatalf("restauration : %d %q", rec.Code, rec.Header().Get("Location"))
		}
		d = page(t, pilote.get(fx.path("bobigny", "?fait=restauration")), "restauré", http.StatusOK)
		if !strings.Contains(d.Text(), "L'organisme a été restauré") {
			t.Error("confirmation de restauration absente")
		}
		if got := orgEvents(t, s, id); !slices.Equal(got, []string{"restauration", "archivage", "creation"}) {
			t.Errorf("événements %v", got)
		}
	})
}

// TestOrganisationExportEqualsList reads the exports back: exactly the rows of the filtered
// list, in its order, within the caller's scope.
func TestOrganisationExportEqualsList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newOrgFixture(t, s)
		for _, c := range []struct {
			who, query string
			rows       int
		}{
			{"pilote", "?sort=-nom", 6},
			{"pilote", "?departement=93&sort=type", 3},
			{"pilote", "?type=commune&q=e", 2},
			{"ia93", "", 4},
			{"referent93", "?sort=-modification", 3},
		} {
			fc := fx.clients[c.who]
			var onScreen []string
			doc(t, fc.get("/organisations"+c.query)).Find("#tableau-organisations tbody tr td:first-child a").Each(func(_ int, a *goquery.Selection) {
				href, _ := a.Attr("href")
				onScreen = append(onScreen, strings.TrimPrefix(href, "/organisations/"))
			})
			for _, ext := range []string{".xlsx", ".csv"} {
				rec := fc.get("/organisations" + ext + c.query)
				if rec.Code != http.StatusOK {
					t.Fatalf("%s%s : %d", ext, c.query, rec.Code)
				}
				var header []string
				var data [][]string
				if ext == ".xlsx" {
					header, data = readXLSX(t, c.query, rec.Body.Bytes())
				} else {
					header, data = readCSV(t, c.query, rec.Body.Bytes())
				}
				var ids []string
				for _, row := range data {
					ids = append(ids, row[0])
				}
				if len(header) != 11 || header[0] != "Identifiant" || header[1] != "Organisme" || !slices.Equal(ids, onScreen) || len(ids) != c.rows {
					t.Errorf("%s %s%s : export %v, écran %v (en-tête %v)", c.who, ext, c.query, ids, onScreen, header)
				}
			}
		}
		_, data := readXLSX(t, "bobigny", fx.clients["pilote"].get("/organisations.xlsx?q=93008").Body.Bytes())
		if len(data) != 1 || data[0][1] != "Bobigny" || data[0][2] != "Commune" || data[0][3] != "93" || data[0][4] != "93008" ||
			data[0][8] != "Hôtel de ville\n31 avenue Salvador Allende" {
			t.Errorf("ligne de Bobigny : %q", data)
		}
		if rec := fx.clients["pilote"].get("/organisations.xlsx?type=mairie"); rec.Code != http.StatusBadRequest {
			t.Errorf("export avec un filtre invalide : %d", rec.Code)
		}
	})
}

func TestOrganisationAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newOrgFixture(t, s)
		var got apiAnswer
		rec := fx.clients["pilote"].get("/api/v1/organisations?type=commune&sort=-nom&per_page=2")
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("API : %d %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.Total != 3 || got.Page != 1 || got.PerPage != 2 || len(got.Items) != 2 || got.Items[0]["nom"] != "Melun" ||
			got.Items[0]["type"] != "commune" || got.Items[0]["code_insee"] != "77288" || got.Items[0]["departement"] != "77" {
			t.Errorf("API : %+v", got)
		}
		for _, key := range []string{"id", "nom", "type", "type_libelle", "adresse", "site_web", "modifiee_le", "version"} {
			if _, ok := got.Items[0][key]; !ok {
				t.Errorf("API : clé %q absente", key)
			}
		}
		got = apiAnswer{}
		if err := json.Unmarshal(fx.clients["ia93"].get("/api/v1/organisations").Body.Bytes(), &got); err != nil || got.Total != 4 {
			t.Errorf("API de l'IA 93 : %d organismes, %v", got.Total, err)
		}
		rec = fx.clients["pilote"].get("/api/v1/organisations?type=mairie&departement=xx")
		var fail struct {
			Fields map[string]string `json:"fields"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &fail); rec.Code != http.StatusBadRequest || err != nil || fail.Fields["type"] == "" || fail.Fields["departement"] == "" {
			t.Errorf("API avec filtres invalides : %d %s", rec.Code, rec.Body.String())
		}
	})
}

// TestOrganisationPagesW3C runs the W3C Nu HTML checker on every kind of organisation page
// (see TestW3CValidation for when it runs).
func TestOrganisationPagesW3C(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w3c := newW3CPages(t)
		fx := newOrgFixture(t, s)
		pilote, ia := fx.clients["pilote"], fx.clients["ia93"]
		pilote.post(fx.path("melun", "/archiver"), nil)
		pilote.post(fx.path("bobigny", ""), orgForm("commune", "Ville de Bobigny", "commune", "93008", "version", "1"))
		pages := map[string]*httptest.ResponseRecorder{
			"liste":               pilote.get("/organisations?departement=93&sort=-nom"),
			"liste invalide":      pilote.get("/organisations?type=mairie"),
			"fiche":               pilote.get(fx.path("bobigny", "?fait=modification")),
			"fiche partagée":      ia.get(fx.path("rectorat", "")),
			"nouveau":             pilote.get("/organisations/nouveau"),
			"nouveau fermé":       fx.clients["lecteur"].get("/organisations/nouveau"),
			"création invalide":   pilote.post("/organisations", orgForm("autre", "", "site_web", "javascript:alert(1)", "adresse", "a\nb")),
			"création refusée":    ia.post("/organisations", orgForm("rectorat", "Rectorat bis")),
			"modifier":            pilote.get(fx.path("bobigny", "/modifier")),
			"conflit":             fx.clients["pilote2"].post(fx.path("bobigny", ""), orgForm("commune", "Mairie", "commune", "93008", "version", "1")),
			"modification fermée": ia.get(fx.path("rectorat", "/modifier")),
			"archives":            pilote.get("/organisations/archives?fait=archivage"),
			"archives réservées":  ia.get("/organisations/archives"),
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
