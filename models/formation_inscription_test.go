package models_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// openSession creates an open session of capacity in the IEN's circonscription (0940920P,
// Villejuif) on 09/01/2027, or in the 93 for the municipal agents without circonscription.
func openSession(t *testing.T, s *models.Store, pilote models.Actor, dep, capacity string) models.FormationRow {
	t.Helper()
	ctx := t.Context()
	plan, err := s.CreatePlanFormation(ctx, pilote, models.PlanFormationInput{AnneeScolaire: "2026-2027", Departement: dep})
	if err != nil {
		t.Fatal(err)
	}
	in := models.FormationInput{PlanID: plan.ID, ModuleID: 1, Public: "enseignants", Circonscription: "0940920P",
		Lieu: "École Pasteur, Villejuif", Date: "09/01/2027", HeureDebut: "14h30", DureeMinutes: "180", Capacite: capacity, Statut: "ouverte"}
	if dep == "93" {
		in.Public, in.Circonscription, in.Lieu = "agents_municipaux", "", "Mairie de Bobigny"
	}
	f, err := s.CreateFormation(ctx, pilote, in)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestInscriptionCapacityRace: 20 concurrent registrations for the last seat leave exactly
// one registered and 19 waiting; cancelling the registered one promotes the first waiting.
func TestInscriptionCapacityRace(t *testing.T) {
	clock := &clockAt{t: time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)}
	eachAt(t, clock, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		ctx, ien := t.Context(), who["ien"]
		f := openSession(t, s, who["pilote"], "94", "20")
		if _, err := s.Register(ctx, ien, f.ID, models.InscriptionInput{Kind: "ecole", UAI: "0940354Z", Effectif: "19"}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.Register(ctx, ien, f.ID, models.InscriptionInput{Kind: "participant", Nom: "Enseignant " + string(rune('A'+i))})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		rows, err := s.ListInscriptions(ctx, ien, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		var seat, first models.InscriptionRow
		for _, r := range rows {
			count[r.Statut]++
			if r.Kind == "participant" && r.Statut == "inscrit" {
				seat = r
			}
			if r.Rang == 1 {
				first = r
			}
		}
		got, err := s.GetFormation(ctx, ien.Scope, f.ID)
		if count["inscrit"] != 2 || count["attente"] != 19 || err != nil || got.Inscrits != 20 || got.Statut != "complete" {
			t.Fatalf("après la course : %v, session %d/%d %s, %v", count, got.Inscrits, got.Capacite, got.Statut, err)
		}
		if err := s.CancelInscription(ctx, ien, seat.ID); err != nil {
			t.Fatal(err)
		}
		rows, _ = s.ListInscriptions(ctx, ien, f.ID)
		got, _ = s.GetFormation(ctx, ien.Scope, f.ID)
		promoted := false
		for _, r := range rows {
			promoted = promoted || (r.ID == first.ID && r.Statut == "inscrit")
		}
		if !promoted || got.Inscrits != 20 || got.Statut != "complete" {
			t.Fatalf("promotion du premier en attente %d : %+v, session %d %s", first.ID, rows, got.Inscrits, got.Statut)
		}
	})
}

// TestInscriptionRules: French field errors, the IEN's circonscription, the référent's
// commune, masking for the lecteur and the AMIF with the consultation logged, attendance
// on the day only, erasure.
func TestInscriptionRules(t *testing.T) {
	clock := &clockAt{t: time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)}
	eachAt(t, clock, func(t *testing.T, s *models.Store) {
		clock.t = time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)
		who := worldActors(t, s)
		ctx, ien := t.Context(), who["ien"]
		f := openSession(t, s, who["pilote"], "94", "3")
		_, err := s.Register(ctx, ien, f.ID, models.InscriptionInput{Kind: "participant", Email: "pas-une-adresse", UAI: "0930180R"})
		if k := fieldsOf(t, err); k["nom"] == "" || k["email"] == "" || k["uai"] == "" {
			t.Fatalf("participant invalide : %v", err)
		}
		_, err = s.Register(ctx, ien, f.ID, models.InscriptionInput{Kind: "ecole", UAI: "0940354Z", Effectif: "0"})
		if k := fieldsOf(t, err); k["effectif"] == "" {
			t.Fatalf("effectif nul : %v", err)
		}
		if _, err := s.Register(ctx, who["ia93"], f.ID, models.InscriptionInput{Kind: "participant", Nom: "X"}); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("IA 93 inscrit au 94 : %v", err)
		}
		p, err := s.Register(ctx, ien, f.ID, models.InscriptionInput{Kind: "participant", Nom: "Camille Durand", Fonction: "Directrice", UAI: "0940354Z"})
		if err != nil || p.Statut != "inscrit" {
			t.Fatalf("participant : %+v %v", p, err)
		}
		for _, name := range []string{"lecteur", "amif"} {
			rows, err := s.ListInscriptions(ctx, who[name], f.ID)
			if err != nil || len(rows) != 1 || rows[0].Nom != "" || rows[0].Fonction != "" || !rows[0].Masked {
				t.Fatalf("%s voit : %+v %v", name, rows, err)
			}
		}
		if rows, err := s.ListInscriptions(ctx, ien, f.ID); err != nil || rows[0].Nom != "Camille Durand" {
			t.Fatalf("IEN : %+v %v", rows, err)
		}
		evs, err := s.History(ctx, models.SystemActor("test"), "inscription", itoa64(p.ID))
		if err != nil || len(evs) == 0 || strings.Contains(evs[len(evs)-1].Changes, "Durand") {
			t.Fatalf("journal de l'inscription : %+v %v", evs, err)
		}
		// Attendance: not before the day.
		marks := map[int64]models.Attendance{p.ID: {Presence: "present"}}
		if err := s.SetAttendance(ctx, ien, f.ID, marks, false); fieldsOf(t, err)["session"] == "" {
			t.Fatalf("présence avant le jour : %v", err)
		}
		clock.t = time.Date(2027, 1, 9, 18, 0, 0, 0, time.UTC)
		if err := s.SetAttendance(ctx, ien, f.ID, map[int64]models.Attendance{p.ID: {Presence: "peut-être"}}, false); fieldsOf(t, err)["presence-"+itoa64(p.ID)] == "" {
			t.Fatalf("présence inconnue : %v", err)
		}
		if err := s.SetAttendance(ctx, ien, f.ID, marks, true); err != nil {
			t.Fatal(err)
		}
		got, _ := s.GetFormation(ctx, ien.Scope, f.ID)
		rows, _ := s.ListInscriptions(ctx, ien, f.ID)
		if got.Statut != "tenue" || rows[0].Presence != "present" {
			t.Fatalf("présence : %s %+v", got.Statut, rows)
		}
		clock.t = time.Date(2027, 1, 12, 9, 0, 0, 0, time.UTC)
		if n, err := s.PurgeInscriptions(ctx, who["admin"], 24*time.Hour, true); n != 1 || err != nil {
			t.Fatalf("purge à blanc : %d %v", n, err)
		}
		if n, err := s.PurgeInscriptions(ctx, who["admin"], 365*24*time.Hour, false); n != 0 || err != nil {
			t.Fatalf("purge d'un an : %d %v", n, err)
		}
		if err := s.EraseParticipant(ctx, ien, p.ID); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("IEN efface : %v", err)
		}
		if err := s.EraseParticipant(ctx, who["admin"], p.ID); err != nil {
			t.Fatal(err)
		}
		rows, _ = s.ListInscriptions(ctx, ien, f.ID)
		if rows[0].Nom != "" || !rows[0].Erased() || rows[0].Label() != "Personne effacée" {
			t.Fatalf("effacement : %+v", rows[0])
		}
	})
}

// TestInscriptionReferent: a référent registers the municipal agents of their commune to
// the sessions open to them only.
func TestInscriptionReferent(t *testing.T) {
	clock := &clockAt{t: time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)}
	eachAt(t, clock, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		ctx, ref := t.Context(), who["bobigny"]
		f := openSession(t, s, who["pilote"], "93", "5")
		_, err := s.Register(ctx, ref, f.ID, models.InscriptionInput{Kind: "participant", Nom: "Agent", Commune: "93066"})
		if fieldsOf(t, err)["commune"] == "" {
			t.Fatalf("autre commune : %v", err)
		}
		if _, err := s.Register(ctx, ref, f.ID, models.InscriptionInput{Kind: "participant", Nom: "Agent de Bobigny", Commune: "93008"}); err != nil {
			t.Fatal(err)
		}
		ens := openSession(t, s, who["pilote"], "94", "5")
		if _, err := s.Register(ctx, ref, ens.ID, models.InscriptionInput{Kind: "participant", Nom: "X", Commune: "93008"}); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("session d'enseignants : %v", err)
		}
	})
}

// TestReferentReadsSessionsOpenToThem: the référent of Villejuif reads, lists and registers
// to a session of their circonscription open to municipal agents; a teachers' session of
// the same circonscription stays out of their reach (404), and the session out of the reach
// of the référent of Bobigny (93).
func TestReferentReadsSessionsOpenToThem(t *testing.T) {
	clock := &clockAt{t: time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)}
	eachAt(t, clock, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		ctx, pilote := t.Context(), who["pilote"]
		villejuif := actorOf(t, s, models.UserInput{Role: models.RoleReferent, Communes: []string{"94076"},
			Email: "villejuif@ac-creteil.fr", Nom: "Référent de Villejuif"})
		circo := "0940920P"
		plan, err := s.CreatePlanFormation(ctx, pilote, models.PlanFormationInput{AnneeScolaire: "2026-2027", Departement: "94"})
		if err != nil {
			t.Fatal(err)
		}
		session := func(public string) models.FormationRow {
			f, err := s.CreateFormation(ctx, pilote, models.FormationInput{PlanID: plan.ID, ModuleID: 1, Public: public,
				Circonscription: circo, Lieu: "Mairie", Date: "09/01/2027", HeureDebut: "9h", DureeMinutes: "120", Capacite: "10", Statut: "ouverte"})
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		agents, enseignants := session("agents_municipaux"), session("enseignants")
		if _, err := s.GetFormation(ctx, villejuif.Scope, agents.ID); err != nil {
			t.Errorf("session des agents : %v", err)
		}
		if _, err := s.GetFormation(ctx, villejuif.Scope, enseignants.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("session des enseignants : %v, attendu introuvable", err)
		}
		page, err := s.ListFormations(ctx, villejuif.Scope, models.FormationFilter{}, models.PageRequest{})
		if err != nil || len(page.Items) != 1 || page.Items[0].ID != agents.ID {
			t.Errorf("liste du référent : %+v (%v)", page.Items, err)
		}
		if ok, err := s.CanRegister(ctx, villejuif, agents.ID); !ok || err != nil {
			t.Errorf("inscription ouverte au référent : %v %v", ok, err)
		}
		if _, err := s.Register(ctx, villejuif, agents.ID, models.InscriptionInput{Kind: "participant", Nom: "Agent", Commune: "94076"}); err != nil {
			t.Errorf("inscription d'un agent : %v", err)
		}
		if ok, _ := s.CanRegister(ctx, who["bobigny"], agents.ID); ok {
			t.Error("le référent de Bobigny inscrit à une session du 94")
		}
		circo = ""
		departementale := session("enseignants")
		if _, err := s.GetFormation(ctx, who["bobigny"].Scope, departementale.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("session départementale du 94 lue par le référent de Bobigny : %v", err)
		}
		if _, err := s.GetFormation(ctx, villejuif.Scope, departementale.ID); err != nil {
			t.Errorf("session départementale du 94 pour le référent de Villejuif : %v", err)
		}
	})
}
