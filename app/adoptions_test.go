package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func adoptionForm(version string, kv ...string) url.Values {
	return withFields(url.Values{"charte": {version}, "deliberation_ref": {"DEL-2012-01"}, "deliberation_date": {"12/01/2012"}}, kv...)
}

func TestAdoptionPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newWorld(t, s, app.Config{})
		rec := fx.clients["pilote"].post("/chartes", charteForm("statut", "adoptee"))
		v := charteCreatedID(t, rec.Header().Get("Location"))
		for _, tc := range []struct {
			who, commune string
			status       int
		}{
			{"amif", "77288", http.StatusSeeOther}, {"ia93", "93010", http.StatusSeeOther}, {"ia93", "77001", http.StatusForbidden},
			{"referent93", "93008", http.StatusSeeOther}, {"referent93", "93010", http.StatusForbidden}, {"lecteur", "93008", http.StatusForbidden},
		} {
			if r := fx.clients[tc.who].post("/adoptions", adoptionForm(v, "commune", tc.commune)); r.Code != tc.status {
				t.Errorf("%s pour %s : %d, attendu %d", tc.who, tc.commune, r.Code, tc.status)
			}
		}
		if r := fx.clients["lecteur"].get("/adoptions/nouveau"); r.Code != http.StatusForbidden || doc(t, r).Find("#formulaire-ferme").Length() != 1 {
			t.Errorf("formulaire du lecteur : %d", r.Code)
		}
		// Validation next to the fields.
		for name, tc := range map[string]struct {
			form  url.Values
			field string
		}{
			"date impossible": {adoptionForm(v, "commune", "93008", "deliberation_date", "31/02/2012"), "adoption-deliberation-date-erreur"},
			"date future":     {adoptionForm(v, "commune", "93008", "deliberation_date", "01/01/2099"), "adoption-deliberation-date-erreur"},
			"sans commune":    {adoptionForm(v), "adoption-commune-erreur"},
		} {
			r := fx.clients["pilote"].post("/adoptions", tc.form)
			if r.Code != http.StatusUnprocessableEntity || doc(t, r).Find("#"+tc.field).Length() != 1 {
				t.Errorf("%s : %d", name, r.Code)
			}
		}
		// Scope: IA 93 sees the 93 adoptions, not Melun's, and cannot open it by id.
		var api struct {
			Total int `json:"total"`
			Items []struct {
				ID        int64  `json:"id"`
				CodeINSEE string `json:"code_insee"`
			} `json:"items"`
		}
		if err := json.Unmarshal(fx.clients["pilote"].get("/api/v1/adoptions?commune=77288").Body.Bytes(), &api); err != nil || api.Total != 1 {
			t.Fatalf("API filtrée : %v %+v", err, api)
		}
		melun := api.Items[0].ID
		ia := fx.clients["ia93"]
		path := "/adoptions/" + strconv.FormatInt(melun, 10)
		if r := ia.get(path + "/modifier"); r.Code != http.StatusNotFound {
			t.Errorf("IA 93 ouvre l'adoption de Melun : %d", r.Code)
		}
		if r := ia.post(path, adoptionForm(v, "commune", "77288", "version", "1")); r.Code != http.StatusNotFound {
			t.Errorf("IA 93 modifie l'adoption de Melun : %d", r.Code)
		}
		if r := ia.post(path+"/archiver", nil); r.Code != http.StatusNotFound {
			t.Errorf("IA 93 archive l'adoption de Melun : %d", r.Code)
		}
		list := ia.get("/adoptions")
		if n := rows(doc(t, list), "#tableau-adoptions"); n != 2 || strings.Contains(list.Body.String(), "Melun") {
			t.Errorf("IA 93 voit %d adoptions", n)
		}
		// Lost update and archive by the pilote.
		p := fx.clients["pilote"]
		if r := p.post(path, adoptionForm(v, "commune", "77288", "deliberation_ref", "DEL-2", "version", "1")); r.Code != http.StatusSeeOther {
			t.Fatalf("modification : %d", r.Code)
		}
		if r := p.post(path, adoptionForm(v, "commune", "77288", "deliberation_ref", "DEL-3", "version", "1")); r.Code != http.StatusConflict {
			t.Errorf("modification périmée : %d", r.Code)
		}
		if r := p.post(path+"/archiver", nil); r.Code != http.StatusSeeOther {
			t.Errorf("archivage : %d", r.Code)
		} else if d := doc(t, p.get(r.Header().Get("Location"))); d.Find("#confirmation").Length() != 1 {
			t.Error("pas de confirmation après l'archivage")
		}
		x := p.get("/adoptions.csv")
		if x.Code != http.StatusOK || strings.Contains(x.Body.String(), "77288") || !strings.Contains(x.Body.String(), "93008") {
			t.Errorf("export CSV : %d", x.Code)
		}
	})
}
