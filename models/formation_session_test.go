package models_test

import (
	"errors"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// formationAt is a valid session of the plan in the IEN's circonscription.
func formationAt(plan int64, date string) models.FormationInput {
	return models.FormationInput{PlanID: plan, ModuleID: 1, Public: "enseignants", Circonscription: "0940920P",
		Lieu: "École Paul Bert, Villejuif", Date: date, HeureDebut: "14h30", DureeMinutes: "180", Capacite: "2"}
}

// TestFormationSessionWrites: French field errors, the IEN's circonscription, the cancel
// bumping the calendar sequence, the capacity kept above the seats taken.
func TestFormationSessionWrites(t *testing.T) {
	clock := &clockAt{t: time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)}
	eachAt(t, clock, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		ctx := t.Context()
		plan, err := s.CreatePlanFormation(ctx, who["pilote"], models.PlanFormationInput{AnneeScolaire: "2026-2027", Departement: "94"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreatePlanFormation(ctx, who["ia93"], models.PlanFormationInput{AnneeScolaire: "2026-2027", Departement: "94"}); !errors.Is(err, models.ErrForbidden) && fieldsOf(t, err)["annee_scolaire"] == "" {
			t.Fatalf("IA 93, plan du 94 : %v", err)
		}
		_, err = s.CreateFormation(ctx, who["ien"], models.FormationInput{PlanID: plan.ID, ADistance: true, Lien: "http://x",
			Date: "31/02/2027", HeureDebut: "25h", DureeMinutes: "0", Capacite: "abc", Circonscription: "0930001X"})
		f := fieldsOf(t, err)
		for _, k := range []string{"module", "public", "date", "heure_debut", "duree_minutes", "capacite", "lien", "circonscription"} {
			if f[k] == "" {
				t.Errorf("champ %s sans erreur : %v", k, err)
			}
		}
		in := formationAt(plan.ID, "09/01/2027")
		in.Circonscription = "0941397H"
		if _, err := s.CreateFormation(ctx, who["ien"], in); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("IEN, autre circonscription : %v", err)
		}
		in.Circonscription = ""
		if _, err := s.CreateFormation(ctx, who["ien"], in); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("IEN, session du département : %v", err)
		}
		row, err := s.CreateFormation(ctx, who["ien"], formationAt(plan.ID, "09/01/2027"))
		if err != nil {
			t.Fatal(err)
		}
		if row.DepartementCode != "94" || row.HeureDebut != "14:30" || row.PlacesRestantes() != 2 || row.ModuleLibelle == "" {
			t.Fatalf("session : %+v", row)
		}
		if _, err := s.GetFormation(ctx, who["ia93"].Scope, row.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("IA 93 lit la session du 94 : %v", err)
		}
		if warn, err := s.FormationWarnings(ctx, row.Formation); err != nil || len(warn) == 0 {
			t.Fatalf("samedi sans alerte : %v %v", warn, err)
		}
		in = formationAt(plan.ID, "09/01/2027")
		in.Lieu, in.Statut = "Mairie de Villejuif", "tenue"
		if _, err := s.UpdateFormation(ctx, who["ien"], row.ID, row.Version, in); fieldsOf(t, err)["statut"] == "" {
			t.Fatalf("planifiée → tenue : %v", err)
		}
		in.Statut = "ouverte"
		upd, err := s.UpdateFormation(ctx, who["ien"], row.ID, row.Version, in)
		if err != nil || upd.Sequence != 1 || upd.Statut != "ouverte" {
			t.Fatalf("changement de lieu : %+v %v", upd, err)
		}
		if _, err := s.CancelFormation(ctx, who["ien"], row.ID, row.Version); err == nil {
			t.Fatal("version périmée acceptée")
		}
		cancelled, err := s.CancelFormation(ctx, who["ien"], upd.ID, upd.Version)
		if err != nil || cancelled.Statut != "annulee" || cancelled.Sequence != 2 {
			t.Fatalf("annulation : %+v %v", cancelled, err)
		}
		page, err := s.ListFormations(ctx, who["ien"].Scope, models.FormationFilter{Statut: "annulee", Q: "villejuif"}, models.PageRequest{})
		if err != nil || page.Total != 1 {
			t.Fatalf("liste : %+v %v", page, err)
		}
	})
}
