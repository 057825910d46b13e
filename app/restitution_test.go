package app_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestRestitutionPage: the page lists the files and offers the download to the pilote; the
// ZIP holds every CSV file, datapackage.json and README.md; an IA-DASEN (one département)
// reads the page without the link and is refused the ZIP.
func TestRestitutionPage(t *testing.T) {
	dbtest.EachDemo(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		d := doc(t, get(t, h, "/restitution"))
		if n := d.Find("#tableau-restitution tbody tr").Length(); n != len(models.RestitutionTables()) {
			t.Errorf("%d fichiers présentés, %d attendus", n, len(models.RestitutionTables()))
		}
		if d.Find(`a[href="/restitution.zip"]`).Length() != 1 {
			t.Error("pas de lien de téléchargement pour le pilote")
		}
		rec := get(t, h, "/restitution.zip")
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/zip" ||
			!strings.Contains(rec.Header().Get("Content-Disposition"), `filename="pilotage-ent-1d-creteil-`) {
			t.Fatalf("zip : %d %v", rec.Code, rec.Header())
		}
		z, err := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, f := range z.File {
			names[f.Name] = true
		}
		for _, tb := range models.RestitutionTables() {
			if !names[tb.Name+".csv"] {
				t.Errorf("%s.csv absent de l'archive", tb.Name)
			}
		}
		f, err := z.Open("deploiements.csv")
		if err != nil || !names["datapackage.json"] || !names["README.md"] {
			t.Fatalf("archive : %v %v", err, names)
		}
		head, _ := io.ReadAll(f)
		if !strings.HasPrefix(string(head), "uai,ecole,code_insee,") || strings.Count(string(head), "\n") < 10 {
			t.Errorf("deploiements.csv : %.200s", head)
		}
		ia := signIn(t, s, models.UserInput{Email: "ia93.restitution@ac-creteil.fr", Nom: "IA 93", Role: models.RoleIA, Departement: "93"})
		d = doc(t, get(t, h, "/restitution", "Cookie: "+ia))
		if d.Find(`a[href="/restitution.zip"]`).Length() != 0 || !strings.Contains(d.Find(".fr-alert").Text(), "périmètre est l'académie") {
			t.Error("IA-DASEN : le lien de téléchargement ne devrait pas être offert")
		}
		if rec := get(t, h, "/restitution.zip", "Cookie: "+ia); rec.Code != http.StatusForbidden {
			t.Errorf("IA-DASEN : zip %d, attendu 403", rec.Code)
		}
	})
}
