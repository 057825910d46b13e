package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func TestActionPagesScopeValidationAndStatus(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newDecFixture(t, s)
		a77 := fx.action(t, fx.i77, models.ActionInput{ReunionID: fx.r77.ID, Titre: "Recenser les écoles", Echeance: "2012-04-01"})
		ia93 := fx.clients["ia93"]
		for _, path := range []string{"/actions/" + idStr(a77.ID), "/actions/" + idStr(a77.ID) + "/modifier"} {
			if rec := ia93.get(path); rec.Code != http.StatusNotFound {
				t.Errorf("IA 93 %s : %d, attendu 404", path, rec.Code)
			}
		}
		if rec := ia93.post("/actions/"+idStr(a77.ID)+"/statut", url.Values{"statut": {"faite"}, "version": {"1"}}); rec.Code != http.StatusNotFound {
			t.Errorf("IA 93 change le statut d'une action du 77 : %d", rec.Code)
		}
		ia77 := fx.clients["ia77"]
		show := doc(t, ia77.get("/actions/"+idStr(a77.ID)))
		if show.Find("#badge-retard").Length() != 1 {
			t.Errorf("action échue en 2012 non signalée en retard")
		}
		// Bad date: the French message next to the field, the typed values kept.
		path := "/actions/" + idStr(a77.ID)
		rec := ia77.post(path, url.Values{"reunion": {idStr(fx.r77.ID)}, "titre": {"<b>Recenser</b>"}, "echeance": {"31/02/2012"}, "version": {"1"}})
		refusedField(t, rec, "action-echeance", "JJ/MM/AAAA", "31/02/2012")
		// Zero value: clearing the due date.
		if rec := ia77.post(path, url.Values{"reunion": {idStr(fx.r77.ID)}, "titre": {"Recenser les écoles"}, "echeance": {""}, "version": {"1"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("effacer l'échéance : %d", rec.Code)
		}
		if cur, _ := s.GetAction(t.Context(), models.AcademieScope(), a77.ID); cur.Echeance != nil || cur.Version != 2 {
			t.Errorf("échéance non effacée : %+v", cur)
		}
		// Quick status change with a stale version: 409; with the current one: done.
		if rec := ia77.post(path+"/statut", url.Values{"statut": {"faite"}, "version": {"1"}}); rec.Code != http.StatusConflict {
			t.Errorf("statut avec une version périmée : %d", rec.Code)
		}
		if rec := ia77.post(path+"/statut", url.Values{"statut": {"faite"}, "version": {"2"}}); rec.Code != http.StatusSeeOther {
			t.Errorf("changement de statut : %d", rec.Code)
		}
		if cur, _ := s.GetAction(t.Context(), models.AcademieScope(), a77.ID); cur.Statut != models.ActionFaite {
			t.Errorf("statut : %q", cur.Statut)
		}
		// A read-only role: form closed (403, with the explanation), POST refused.
		lecteur := fx.clients["lecteur"]
		if rec := lecteur.get("/actions/nouveau"); rec.Code != http.StatusForbidden || doc(t, rec).Find("#formulaire-ferme").Length() != 1 {
			t.Errorf("lecteur sur le formulaire : %d", rec.Code)
		}
		aAcad := fx.action(t, fx.pilote, models.ActionInput{ReunionID: fx.rAcad.ID, Titre: "Relancer"})
		if rec := lecteur.post("/actions/"+idStr(aAcad.ID)+"/statut", url.Values{"statut": {"faite"}, "version": {"1"}}); rec.Code != http.StatusForbidden {
			t.Errorf("le lecteur change un statut : %d", rec.Code)
		}
	})
}

func TestMyActionsPreparationAndAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newDecFixture(t, s)
		mine := fx.responsable("pilote")
		d := fx.decision(t, fx.pilote, fx.rAcad.ID, "Adopter la charte", "93")
		late := fx.action(t, fx.pilote, models.ActionInput{DecisionID: d.ID, Titre: "Envoyer la charte", Echeance: "01/04/2012", Responsable: mine})
		fx.action(t, fx.pilote, models.ActionInput{ReunionID: fx.rAcad.ID, Titre: "Bilan", Echeance: "01/04/2099", Responsable: mine})
		fx.action(t, fx.pilote, models.ActionInput{ReunionID: fx.rAcad.ID, Titre: "Autre", Responsable: fx.responsable("pilote2")})
		fx.action(t, fx.i77, models.ActionInput{ReunionID: fx.r77.ID, Titre: "Du 77", Echeance: "01/04/2012"})

		p := fx.clients["pilote"]
		page := doc(t, p.get("/mes-actions"))
		var titles []string
		page.Find("#tableau-mes-actions tbody tr td:first-child a").Each(func(_ int, a *goquery.Selection) { titles = append(titles, a.Text()) })
		if strings.Join(titles, "|") != "Envoyer la charte|Bilan" {
			t.Errorf("Mes actions : %v", titles)
		}
		if page.Find("#tableau-mes-actions tbody tr:first-child .fr-badge--error").Text() != "En retard" {
			t.Errorf("badge « En retard » absent de Mes actions")
		}
		if n := rows(doc(t, p.get("/actions?retard=1")), "#tableau-actions"); n != 2 {
			t.Errorf("actions en retard : %d, attendu 2", n)
		}
		if n := rows(doc(t, fx.clients["ia93"].get("/actions")), "#tableau-actions"); n != 3 {
			t.Errorf("l'IA 93 voit %d actions, attendu 3 (académiques)", n)
		}

		prep := p.get("/instances/" + idStr(fx.acad.ID) + "/preparer")
		if prep.Code != http.StatusOK {
			t.Fatalf("préparer : %d", prep.Code)
		}
		pd := doc(t, prep)
		if rows(pd, "#tableau-decisions") != 1 || rows(pd, "#tableau-actions") != 3 || pd.Find("#tableau-actions .fr-badge--error").Length() != 1 {
			t.Errorf("page de préparation : %d décisions, %d actions", rows(pd, "#tableau-decisions"), rows(pd, "#tableau-actions"))
		}
		if pd.Find("ul.no-print #lien-export").Length() != 1 {
			t.Errorf("boutons imprimés")
		}
		if rec := fx.clients["ia93"].get("/instances/" + idStr(fx.b77.ID) + "/preparer"); rec.Code != http.StatusNotFound {
			t.Errorf("IA 93 prépare une réunion du 77 : %d", rec.Code)
		}
		rec := p.get("/instances/" + idStr(fx.acad.ID) + "/preparer.xlsx")
		if rec.Code != http.StatusOK {
			t.Fatalf("export de préparation : %d", rec.Code)
		}
		_, data := readXLSX(t, "préparation", rec.Body.Bytes())
		if len(data) != 4 || data[0][0] != "Décision" || data[1][0] != "Action" || data[1][1] != idStr(late.ID) || data[1][6] != "oui" {
			t.Errorf("export de préparation : %q", data)
		}

		var body struct {
			Total int64
			Items []struct {
				ID       int64
				EnRetard bool `json:"en_retard"`
			}
		}
		rec = p.get("/api/v1/actions?retard=1")
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Total != 2 || !body.Items[0].EnRetard {
			t.Errorf("API : %s (%v)", rec.Body.String(), err)
		}
	})
}

// TestActionArchivesPages: archiving offers "Annuler l'archivage"; /actions/archives lists
// the archived actions the caller may restore (none outside its scope, an explanation for
// the roles that write no body); restoring answers 404 outside the scope, 403 without the
// right, and brings the action back.
func TestActionArchivesPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newDecFixture(t, s)
		a77 := fx.action(t, fx.i77, models.ActionInput{ReunionID: fx.r77.ID, Titre: "Recenser les écoles"})
		aAcad := fx.action(t, fx.pilote, models.ActionInput{ReunionID: fx.rAcad.ID, Titre: "Relancer"})
		ia77, ia93, lecteur, pilote := fx.clients["ia77"], fx.clients["ia93"], fx.clients["lecteur"], fx.clients["pilote"]
		path := "/actions/" + idStr(a77.ID)
		rec := ia77.post(path+"/archiver", nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/actions?fait=archivage&id="+idStr(a77.ID) {
			t.Fatalf("archivage : %d %q", rec.Code, rec.Header().Get("Location"))
		}
		if d := doc(t, ia77.get(rec.Header().Get("Location"))); d.Find("#archivage #bouton-restaurer").Length() != 1 || d.Find("#lien-archives").Length() != 1 {
			t.Errorf("pas d'« Annuler l'archivage » ni de lien vers les archives")
		}
		if rec := pilote.post("/actions/"+idStr(aAcad.ID)+"/archiver", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("archivage académique : %d", rec.Code)
		}
		if rec := ia77.get(path); rec.Code != http.StatusNotFound {
			t.Errorf("action archivée visible : %d", rec.Code)
		}
		d := doc(t, ia77.get("/actions/archives"))
		if rows(d, "#tableau-archives") != 1 || !strings.Contains(d.Find("#tableau-archives").Text(), "Recenser les écoles") {
			t.Errorf("archives de l'IA 77 : %d lignes", rows(d, "#tableau-archives"))
		}
		if d := doc(t, ia93.get("/actions/archives")); rows(d, "#tableau-archives") != 0 || d.Find("#aucune-archive").Length() != 1 {
			t.Errorf("l'IA 93 voit des archives qui ne sont pas les siennes")
		}
		if d := doc(t, lecteur.get("/actions/archives")); d.Find("#archives-reservees").Length() != 1 || rows(d, "#tableau-archives") != 0 {
			t.Errorf("lecteur : archives non réservées")
		}
		if rec := ia93.post(path+"/restaurer", nil); rec.Code != http.StatusNotFound {
			t.Errorf("IA 93 restaure une action du 77 : %d", rec.Code)
		}
		if rec := lecteur.post("/actions/"+idStr(aAcad.ID)+"/restaurer", nil); rec.Code != http.StatusForbidden {
			t.Errorf("le lecteur restaure une action : %d", rec.Code)
		}
		rec = ia77.post(path+"/restaurer", nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != path+"?fait=restauration" {
			t.Fatalf("restauration : %d %q", rec.Code, rec.Header().Get("Location"))
		}
		if rec := ia77.get(path + "?fait=restauration"); rec.Code != http.StatusOK || !strings.Contains(doc(t, rec).Text(), "L'action a été restaurée.") {
			t.Errorf("action restaurée : %d", rec.Code)
		}
		if rec := ia77.post(path+"/restaurer", nil); rec.Code != http.StatusNotFound {
			t.Errorf("restaurer une action vivante : %d", rec.Code)
		}
		hist, err := s.History(t.Context(), models.SystemActor("test"), "action", idStr(a77.ID))
		if err != nil || len(hist) != 3 || hist[0].Action != "restauration" || hist[1].Action != "archivage" {
			t.Errorf("journal : %d événements (%v)", len(hist), err)
		}
	})
}

// TestActionOwnerStatutPage: the account responsible for an action whose body it does not
// write (a lecteur) gets the status form, and only it, and may close the action; another
// such account gets neither and is refused (403).
func TestActionOwnerStatutPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newDecFixture(t, s)
		a := fx.action(t, fx.pilote, models.ActionInput{ReunionID: fx.rAcad.ID, Titre: "Relire la charte", Responsable: fx.responsable("lecteur")})
		lecteur, ia93 := fx.clients["lecteur"], fx.clients["ia93"]
		path := "/actions/" + idStr(a.ID)
		d := doc(t, lecteur.get(path))
		if d.Find("#formulaire-statut").Length() != 1 || d.Find("#statut-responsable").Length() != 1 ||
			d.Find("#lien-modifier").Length() != 0 || d.Find("#bouton-archiver").Length() != 0 {
			t.Errorf("page du responsable : formulaire de statut seul attendu")
		}
		if d := doc(t, ia93.get(path)); d.Find("#formulaire-statut").Length() != 0 {
			t.Errorf("l'IA 93 se voit proposer le changement de statut")
		}
		if d := doc(t, fx.clients["pilote2"].get(path)); d.Find("#formulaire-statut").Length() != 1 || d.Find("#statut-responsable").Length() != 0 || d.Find("#lien-modifier").Length() != 1 {
			t.Errorf("page d'un pilote")
		}
		if rec := ia93.post(path+"/statut", url.Values{"statut": {"faite"}, "version": {"1"}}); rec.Code != http.StatusForbidden {
			t.Errorf("un autre compte change le statut : %d", rec.Code)
		}
		if rec := lecteur.post(path, url.Values{"reunion": {idStr(fx.rAcad.ID)}, "titre": {"Autre chose"}, "version": {"1"}}); rec.Code != http.StatusForbidden {
			t.Errorf("le responsable modifie le texte : %d", rec.Code)
		}
		if rec := lecteur.get(path + "/modifier"); rec.Code != http.StatusForbidden || doc(t, rec).Find("#formulaire-ferme").Length() != 1 {
			t.Errorf("formulaire de modification ouvert au responsable : %d", rec.Code)
		}
		if rec := lecteur.post(path+"/archiver", nil); rec.Code != http.StatusForbidden {
			t.Errorf("le responsable archive : %d", rec.Code)
		}
		if rec := lecteur.post(path+"/statut", url.Values{"statut": {"faite"}, "version": {"1"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("le responsable ferme son action : %d", rec.Code)
		}
		cur, err := s.GetAction(t.Context(), models.AcademieScope(), a.ID)
		if err != nil || cur.Statut != models.ActionFaite || cur.Titre != "Relire la charte" {
			t.Errorf("action : %+v %v", cur, err)
		}
		if rec := lecteur.post(path+"/statut", url.Values{"statut": {"en_cours"}, "version": {"1"}}); rec.Code != http.StatusConflict {
			t.Errorf("version périmée : %d", rec.Code)
		}
	})
}
