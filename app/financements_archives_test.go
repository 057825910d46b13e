package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestFinancementArchives: an archived plan leaves the list for the archives of its
// département, where the IA restores it; another département's IA sees nothing of it.
func TestFinancementArchives(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newFinFixture(t, s)
		ia93, ia94 := fx.clients["ia93"], fx.clients["ia94"]
		id := idStr(fx.p93.ID)
		if rec := ia93.post("/financements/"+id+"/archiver", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("archivage : %d", rec.Code)
		}
		d := doc(t, ia93.get("/financements/archives"))
		if rows(d, "#tableau-archives") != 1 || !strings.Contains(d.Find("#tableau-archives").Text(), "Groupement Bobigny-Bondy") {
			t.Fatalf("archives de l'IA 93 : %s", d.Find("main").Text())
		}
		if d := doc(t, ia94.get("/financements/archives")); d.Find("#tableau-archives").Length() != 0 {
			t.Error("l'IA 94 voit le plan archivé du 93")
		}
		if rec := ia94.post("/financements/"+id+"/restaurer", nil); rec.Code != http.StatusNotFound {
			t.Errorf("restauration par l'IA 94 : %d", rec.Code)
		}
		if rec := fx.clients["lecteur"].post("/financements/"+id+"/restaurer", nil); rec.Code != http.StatusForbidden {
			t.Errorf("restauration par le lecteur : %d", rec.Code)
		}
		pages := newW3CPagesOrNil(t)
		pages.add("/financements/archives", ia93.get("/financements/archives").Body.Bytes())
		if rec := ia93.post("/financements/"+id+"/restaurer", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("restauration : %d", rec.Code)
		}
		if rec := ia93.get("/financements/" + id); rec.Code != http.StatusOK {
			t.Errorf("plan restauré : %d", rec.Code)
		}
		empty := ia93.get("/financements/archives")
		if doc(t, empty).Find("#aucune-archive").Length() != 1 {
			t.Error("archives non vides après la restauration")
		}
		pages.add("/financements/archives (vide)", empty.Body.Bytes())
		pages.check()
	})
}
