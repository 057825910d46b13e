package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

type apiAnswer struct {
	Total   int              `json:"total"`
	Page    int              `json:"page"`
	PerPage int              `json:"per_page"`
	Items   []map[string]any `json:"items"`
}

func TestAPI(t *testing.T) {
	cases := []struct {
		url        string
		total      int
		items      int
		key, first string
	}{
		{"/api/v1/departements", 3, 3, "code", "77"},
		{"/api/v1/communes?departement=93", 39, 39, "code_insee", "93001"},
		{"/api/v1/communes?per_page=10&page=2", 593, 10, "", ""},
		{"/api/v1/communes?q=creteil", 1, 1, "nom", "Créteil"},
		{"/api/v1/ecoles?commune=93008&per_page=500", -1, -1, "code_insee", "93008"},
		{"/api/v1/ecoles?departement=93&ep=REP", 301, 50, "education_prioritaire", "REP"},
		{"/api/v1/ecoles?q=0930388S", 1, 1, "uai", "0930388S"},
		{"/api/v1/epci?type=EPT&sort=-population", 7, 7, "type", "EPT"},
		{"/api/v1/epci?per_page=1000", 31, 31, "", ""},
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		for _, c := range cases {
			rec, ok := getOK(t, h, c.url, "Content-Type", "application/json")
			if !ok {
				continue
			}
			var a apiAnswer
			if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
				t.Errorf("%s : %v", c.url, err)
				continue
			}
			if c.total >= 0 && a.Total != c.total {
				t.Errorf("%s : total %d, attendu %d", c.url, a.Total, c.total)
			}
			if c.items >= 0 && len(a.Items) != c.items {
				t.Errorf("%s : %d éléments, attendu %d", c.url, len(a.Items), c.items)
			}
			if c.key != "" && (len(a.Items) == 0 || a.Items[0][c.key] != c.first) {
				t.Errorf("%s : premier %s ≠ %q", c.url, c.key, c.first)
			}
		}
	})
}

func TestAPIErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		rec := get(t, h, "/api/v1/ecoles?commune=xyz&sort=nope")
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("statut %d", rec.Code)
		}
		var body struct {
			Error  string            `json:"error"`
			Fields map[string]string `json:"fields"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		if body.Fields["commune"] == "" || body.Fields["sort"] == "" || body.Error == "" {
			t.Errorf("réponse %s", rec.Body.String())
		}
		if rec := get(t, h, "/api/v1/nope"); rec.Code != http.StatusNotFound || !strings.Contains(rec.Header().Get("Content-Type"), "json") {
			t.Errorf("route inconnue : %d %s", rec.Code, rec.Header().Get("Content-Type"))
		}
	})
}
