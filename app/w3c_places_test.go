package app_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestW3CPlacesAndAdminPages: the pages of the fields that choose a place by name (account
// form, list of chosen communes, errors), the confirmation step of a convention's end, the
// signatures form, and the circonscriptions' administration pass the W3C validator.
func TestW3CPlacesAndAdminPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w3c := newW3CPages(t)
		fx := newConvFixture(t, s)
		ia := fx.clients["ia93"]
		signed := fx.locale(t, "CRE-93-2012-015")
		fx.toSignature(t, ia, signed)
		fx.signedParties(t, ia, signed)
		fx.move(t, ia, signed, http.StatusSeeOther, "vers", "signee")
		draft := fx.locale(t, "CRE-93-2012-016")
		if rec := ia.post(fx.path(draft, "/parties"), url.Values{"organisation": {idStr(fx.rectorat)}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("partie : %d", rec.Code)
		}
		add := func(what string, rec *httptest.ResponseRecorder, want int) {
			t.Helper()
			if rec.Code != want {
				t.Fatalf("%s : %d, attendu %d", what, rec.Code, want)
			}
			w3c.add(what, rec.Body.Bytes())
		}
		for _, p := range []string{fx.path(signed, "/statut/resiliee"), fx.path(draft, ""), fx.path(draft, "/annexe"), fx.path(signed, "?fait=signatures")} {
			rec := ia.get(p)
			add(p, rec, http.StatusOK)
		}
		rec := ia.post(fx.path(signed, "/statut"), url.Values{"vers": {"resiliee"}})
		add("résiliation refusée", rec, http.StatusUnprocessableEntity)
		rec = ia.post(fx.path(draft, "/parties"), url.Values{"commune": {"Créteil"}})
		add("commune partie refusée", rec, http.StatusUnprocessableEntity)
		rec = ia.post(fx.path(draft, "/annexe"), url.Values{"_tout": {"1"}})
		add("tout sélectionner", rec, http.StatusOK)
		rec = ia.post("/conventions", url.Values{"type": {"locale"}, "departement": {"93"}, "communes": {"93008", "pantin", "Créteil"}, "epci": {"zzz"}})
		add("convention, communes refusées", rec, http.StatusUnprocessableEntity)
		rec = ia.get("/conventions?commune=" + url.QueryEscape("Bobigny (93008)"))
		add("registre filtré par nom", rec, http.StatusOK)

		adm := fx.clients["admin"]
		rec = adm.get("/admin/utilisateurs/nouveau")
		add("nouveau compte", rec, http.StatusOK)
		rec = adm.post("/admin/utilisateurs", userForm("Marc", "marc@ville.fr", "referent_commune", "communes", "Marolles-en-Brie"))
		add("compte refusé", rec, http.StatusUnprocessableEntity)
		id := createdID(t, adm.post("/admin/utilisateurs", url.Values{"nom": {"Rémi"}, "email": {"remi@ville.fr"}, "role": {"referent_commune"},
			"communes": {"93008", "93055"}}))
		rec = adm.get("/admin/utilisateurs/" + idStr(id) + "/modifier")
		add("compte de référent", rec, http.StatusOK)
		code := "0930999" + string(models.UAICheckLetter("0930999"))
		if rec := adm.post("/admin/circonscriptions", url.Values{"departement": {"93"}, "code": {code}, "nom": {"Circonscription de Bobigny"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("circonscription : %d", rec.Code)
		}
		if rec := adm.post("/admin/circonscriptions/"+code+"/ecoles", url.Values{"communes": {"93008"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("affectation : %d", rec.Code)
		}
		for _, p := range []string{"/admin/circonscriptions", "/admin/circonscriptions?departement=94", "/admin/circonscriptions/nouveau", "/admin/circonscriptions/" + code} {
			rec := adm.get(p)
			add(p, rec, http.StatusOK)
		}
		rec = adm.post("/admin/circonscriptions", url.Values{"departement": {"93"}, "code": {"0930999X"}})
		add("circonscription refusée", rec, http.StatusUnprocessableEntity)
		rec = adm.post("/admin/circonscriptions/"+code+"/ecoles", url.Values{"uai": {"12"}, "communes": {"Créteil"}})
		add("affectation refusée", rec, http.StatusUnprocessableEntity)
		w3c.check()
	})
}
