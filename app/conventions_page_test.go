package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestCommunePartyCreatedOnTheFly: a commune chosen by name becomes a party; its
// organisation is created in the same transaction (audited) when it has none, and reused
// when it has one. A commune outside the IA's scope, or a commune and an organisation at
// once, are refused with the message next to the field.
func TestCommunePartyCreatedOnTheFly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx, ia, id := newLocaleFixture(t, s)
		orgsOf := func(code string) []models.OrganisationRow {
			p, err := s.ListOrganisations(t.Context(), models.AcademieScope(), models.OrganisationFilter{Kind: models.OrgCommune, Q: code}, models.PageRequest{})
			if err != nil {
				t.Fatal(err)
			}
			return p.Items
		}
		if len(orgsOf("93010")) != 0 {
			t.Fatal("Bondy a déjà un organisme")
		}
		rec := ia.post(fx.path(id, "/parties"), url.Values{"commune": {"bondy"}, "signataire": {"Le maire"}, "fonction": {"Maire"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("partie Bondy : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		orgs := orgsOf("93010")
		if len(orgs) != 1 || orgs[0].Nom != "Bondy" {
			t.Fatalf("organisme de Bondy : %+v", orgs)
		}
		if got := historyActions(t, s, "organisation", orgs[0].ID); len(got) != 1 || got[0] != "creation" {
			t.Errorf("création de l'organisme non journalisée : %v", got)
		}
		// Bobigny has its organisation: it is the one taken.
		if rec := ia.post(fx.path(id, "/parties"), url.Values{"commune": {"Bobigny (93008)"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("partie Bobigny : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		if got := orgsOf("93008"); len(got) != 1 || got[0].ID != fx.bobigny {
			t.Errorf("organismes de Bobigny : %+v", got)
		}
		cv, _ := s.GetConvention(t.Context(), models.AcademieScope(), id)
		if len(cv.Parties) != 2 || cv.Parties[0].OrganisationID != orgs[0].ID || cv.Parties[0].SignataireNom != "Le maire" || cv.Parties[1].OrganisationID != fx.bobigny {
			t.Errorf("parties : %+v", cv.Parties)
		}
		for _, c := range []struct {
			form url.Values
			msg  string
		}{
			{url.Values{"commune": {"Créteil"}}, "Aucune commune de votre périmètre"},
			{url.Values{"commune": {"94028"}}, "Commune hors de votre périmètre : Créteil (94028)."},
			{url.Values{"commune": {"pantin"}, "organisation": {idStr(fx.rectorat)}}, "pas les deux"},
			{url.Values{"commune": {"93008"}}, "déjà partie"},
		} {
			rec := ia.post(fx.path(id, "/parties"), c.form)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("%v : %d", c.form, rec.Code)
				continue
			}
			d := doc(t, rec)
			if msg := d.Find("#partie-commune-erreur").Text(); !strings.Contains(msg, c.msg) {
				t.Errorf("%v : message %q", c.form, msg)
			}
			if _, open := d.Find("#section-parties").Attr("open"); !open {
				t.Errorf("%v : section des parties repliée", c.form)
			}
		}
		if len(orgsOf("94028")) != 0 {
			t.Error("organisme de Créteil créé malgré le refus")
		}
	})
}

// TestAnnexSelectAll: the annex offers "Tout sélectionner", a checkbox for JavaScript and a
// button without it, which shows the form again with every école checked and saves nothing.
func TestAnnexSelectAll(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx, ia, id := newLocaleFixture(t, s)
		d := doc(t, ia.get(fx.path(id, "/annexe")))
		if d.Find(`#annexe-toutes[data-check-all="annexe-ecoles"]`).Length() != 1 || d.Find(`#bouton-tout-selectionner[name="_tout"]`).Length() != 1 {
			t.Fatal("« Tout sélectionner » absent")
		}
		total := d.Find(`#annexe-ecoles input[name="ecoles"]`).Length()
		if total < 2 || d.Find(`#annexe-ecoles input[name="ecoles"]:checked`).Length() != 0 {
			t.Fatalf("%d écoles", total)
		}
		rec := ia.post(fx.path(id, "/annexe"), url.Values{"_tout": {"1"}})
		d = doc(t, rec)
		if rec.Code != http.StatusOK || d.Find(`#annexe-ecoles input[name="ecoles"]:checked`).Length() != total {
			t.Errorf("tout sélectionner : %d, %d cochées sur %d", rec.Code, d.Find(`#annexe-ecoles input[name="ecoles"]:checked`).Length(), total)
		}
		if cv, _ := s.GetConvention(t.Context(), models.AcademieScope(), id); len(cv.Ecoles) != 0 {
			t.Error("« Tout sélectionner » a enregistré l'annexe")
		}
		form := url.Values{}
		d.Find(`#annexe-ecoles input[name="ecoles"]:checked`).Each(func(_ int, b *goquery.Selection) {
			v, _ := b.Attr("value")
			form.Add("ecoles", v)
		})
		if rec := ia.post(fx.path(id, "/annexe"), form); rec.Code != http.StatusSeeOther {
			t.Fatalf("enregistrement : %d", rec.Code)
		}
		if cv, _ := s.GetConvention(t.Context(), models.AcademieScope(), id); len(cv.Ecoles) != total {
			t.Errorf("annexe : %d écoles, attendu %d", len(cv.Ecoles), total)
		}
	})
}

// TestSignaturesInOneForm: every party's signatory and signature day are saved by one form,
// one audit event per party changed; an invalid line saves nothing; a stale page gets 409;
// a signed convention's signature day can be corrected, not cleared.
func TestSignaturesInOneForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx, ia, id := newLocaleFixture(t, s)
		for _, org := range []int64{fx.rectorat, fx.bobigny} {
			if rec := ia.post(fx.path(id, "/parties"), url.Values{"organisation": {idStr(org)}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("partie : %d", rec.Code)
			}
		}
		cv, _ := s.GetConvention(t.Context(), models.AcademieScope(), id)
		r, b := idStr(cv.Parties[0].ID), idStr(cv.Parties[1].ID)
		d := doc(t, ia.get(fx.path(id, "")))
		if d.Find("#formulaire-signatures #partie-"+r+"-date").Length() != 1 || d.Find("#formulaire-signatures #partie-"+b+"-signataire").Length() != 1 ||
			d.Find("#formulaire-signatures #bouton-signatures").Length() != 1 {
			t.Fatal("formulaire des signatures incomplet")
		}
		before := len(historyActions(t, s, "convention", id))
		form := url.Values{"version": {idStr(int64(cv.Version))},
			"signataire-" + r: {"Le recteur"}, "fonction-" + r: {"Recteur"}, "date_signature-" + r: {"02/04/2012"},
			"signataire-" + b: {"Le maire"}, "fonction-" + b: {"Maire"}, "date_signature-" + b: {"31/02/2012"}}
		rec := ia.post(fx.path(id, "/signatures"), form)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("date invalide : %d", rec.Code)
		}
		d = doc(t, rec)
		if d.Find("#partie-"+b+"-date-erreur").Length() != 1 {
			t.Error("erreur de date absente")
		}
		if v, _ := d.Find("#partie-" + r + "-signataire").Attr("value"); v != "Le recteur" {
			t.Errorf("saisie non reprise : %q", v)
		}
		if cv2, _ := s.GetConvention(t.Context(), models.AcademieScope(), id); cv2.Parties[0].SignataireNom != "" {
			t.Error("une ligne refusée a laissé enregistrer l'autre")
		}
		form.Set("date_signature-"+b, "03/04/2012")
		if rec := ia.post(fx.path(id, "/signatures"), form); rec.Code != http.StatusSeeOther {
			t.Fatalf("signatures : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		cv, _ = s.GetConvention(t.Context(), models.AcademieScope(), id)
		if !cv.Parties[0].Signed() || !cv.Parties[1].Signed() || cv.Parties[1].SignataireFonction != "Maire" {
			t.Errorf("parties : %+v", cv.Parties)
		}
		if got := len(historyActions(t, s, "convention", id)); got != before+2 {
			t.Errorf("%d événements, attendu %d (un par partie)", got, before+2)
		}
		// The same page posted again: stale.
		if rec := ia.post(fx.path(id, "/signatures"), form); rec.Code != http.StatusConflict || doc(t, rec).Find("#signatures-conflit").Length() != 1 {
			t.Errorf("page périmée : %d", rec.Code)
		}
		// Unchanged: nothing written.
		form.Set("version", idStr(int64(cv.Version)))
		if rec := ia.post(fx.path(id, "/signatures"), form); rec.Code != http.StatusSeeOther {
			t.Fatalf("sans changement : %d", rec.Code)
		}
		if got := len(historyActions(t, s, "convention", id)); got != before+2 {
			t.Errorf("sans changement : %d événements", got)
		}
		fx.toSignature(t, ia, id)
		fx.move(t, ia, id, http.StatusSeeOther, "vers", "signee")
		cv, _ = s.GetConvention(t.Context(), models.AcademieScope(), id)
		form.Set("version", idStr(int64(cv.Version)))
		form.Set("date_signature-"+r, "")
		if rec := ia.post(fx.path(id, "/signatures"), form); rec.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(doc(t, rec).Find("#partie-"+r+"-date-erreur").Text(), "pas effacée") {
			t.Errorf("date effacée après signature : %d", rec.Code)
		}
		if rec := fx.clients["lecteur"].post(fx.path(id, "/signatures"), form); rec.Code != http.StatusForbidden && rec.Code != http.StatusNotFound {
			t.Errorf("lecteur : %d", rec.Code)
		}
	})
}

// TestConventionPageSectionsAndConfirmation: the page keeps its summary visible and folds
// the rest in sections (the one the last action concerns open), its wide tables scroll
// with the keyboard, and "Résilier" / "Déclarer échue" lead to a confirmation step that
// explains the consequences.
func TestConventionPageSectionsAndConfirmation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx, ia, id := newLocaleFixture(t, s)
		d := doc(t, ia.get(fx.path(id, "")))
		for _, sel := range []string{"#fiche-convention", "#workflow"} {
			if d.Find(sel).Length() != 1 || d.Find(sel).ParentsFiltered("details").Length() != 0 {
				t.Errorf("%s : absent ou replié", sel)
			}
		}
		for _, sec := range []string{"informations", "parties", "communes", "avenants", "financements", "documents", "chronologie", "historique"} {
			sel := d.Find("details#section-" + sec)
			if sel.Length() != 1 || sel.Find("summary").Length() == 0 {
				t.Errorf("section %s absente", sec)
			} else if _, open := sel.Attr("open"); open {
				t.Errorf("section %s ouverte sans raison", sec)
			}
		}
		if _, open := doc(t, ia.get(fx.path(id, "?fait=annexe"))).Find("#section-communes").Attr("open"); !open {
			t.Error("après l'annexe, la section des communes est repliée")
		}
		signed := fx.locale(t, "CRE-93-2012-015")
		fx.toSignature(t, ia, signed)
		fx.signedParties(t, ia, signed)
		fx.move(t, ia, signed, http.StatusSeeOther, "vers", "signee")
		d = doc(t, ia.get(fx.path(signed, "")))
		if d.Find("#tableau-parties .fr-table__container[tabindex='0'][role='region']").Length() != 1 {
			t.Error("tableau des parties : conteneur défilant sans focus clavier")
		}
		if d.Find("form#transition-resiliee").Length() != 0 || d.Find(`a#lien-resiliee[href="/conventions/`+idStr(signed)+`/statut/resiliee"]`).Length() != 1 {
			t.Error("« Résilier » n'est pas derrière une confirmation")
		}
		if d.Find("form#transition-en_vigueur").Length() != 1 {
			t.Error("« Déclarer en vigueur » n'est plus un formulaire")
		}
		rec := ia.get(fx.path(signed, "/statut/resiliee"))
		d = page(t, rec, "confirmation", http.StatusOK)
		if !strings.Contains(d.Find("#consequences").Text(), "définitif") || d.Find("form#transition-resiliee textarea[name=motif]").Length() != 1 {
			t.Error("page de confirmation sans conséquences ni motif")
		}
		rec = ia.post(fx.path(signed, "/statut"), url.Values{"vers": {"resiliee"}, "date": {"01/01/2013"}})
		if rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#consequences").Length() != 1 ||
			doc(t, rec).Find("#transition-resiliee-motif-erreur").Length() != 1 {
			t.Errorf("résiliation sans motif : %d", rec.Code)
		}
		for _, c := range []struct {
			client *formClient
			path   string
			want   int
		}{
			{ia, fx.path(id, "/statut/resiliee"), http.StatusNotFound},   // a draft is not terminated
			{ia, fx.path(signed, "/statut/signee"), http.StatusNotFound}, // not a move that ends it
			{ia, fx.path(signed, "/statut/echue"), http.StatusNotFound},  // signed, not in force
			{fx.clients["lecteur"], fx.path(signed, "/statut/resiliee"), http.StatusForbidden},
			{fx.clients["ia94"], fx.path(signed, "/statut/resiliee"), http.StatusNotFound},
		} {
			if rec := c.client.get(c.path); rec.Code != c.want {
				t.Errorf("%s : %d, attendu %d", c.path, rec.Code, c.want)
			}
		}
		if rec := ia.post(fx.path(signed, "/statut"), url.Values{"vers": {"resiliee"}, "date": {"01/01/2013"}, "motif": {"Fin du projet"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("résiliation : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		if cv, _ := s.GetConvention(t.Context(), models.AcademieScope(), signed); cv.Statut != models.StatutResiliee {
			t.Errorf("statut %s", cv.Statut)
		}
	})
}
