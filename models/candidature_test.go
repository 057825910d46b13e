package models_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// pilotWave inserts a live pilot wave of the académie and returns its id.
func pilotWave(t *testing.T, s *models.Store) int64 {
	t.Helper()
	v := models.Vague{Nom: "Sites pilotes 2012", AnneeScolaire: "2011-2012", Pilote: true, Version: 1}
	if err := models.RawDB(s).Omit("ID").Create(&v).Error; err != nil {
		t.Fatal(err)
	}
	return v.ID
}

// testCampagne creates a campaign of the académie with the default criteria.
func testCampagne(t *testing.T, s *models.Store, who map[string]models.Actor, vague int64) models.CampagneRow {
	t.Helper()
	c, err := s.CreateCampagne(t.Context(), who["pilote"], models.CampagneInput{Nom: "Sites pilotes 2012",
		AnneeScolaire: "2011-2012", DateOuverture: "01/06/2011", DateCloture: "30/09/2011", VagueID: vague})
	if err != nil {
		t.Fatalf("campagne : %v", err)
	}
	if len(c.Criteres) != 6 || c.PoidsTotal() != 100 {
		t.Fatalf("critères par défaut : %+v", c.Criteres)
	}
	return c
}

func propose(t *testing.T, s *models.Store, a models.Actor, camp int64, titre string, communes []string, ecoles ...string) models.CandidatureRow {
	t.Helper()
	c, err := s.CreateCandidature(t.Context(), a, models.CandidatureInput{CampagneID: camp, Titre: titre, Communes: communes, Ecoles: ecoles})
	if err != nil {
		t.Fatalf("candidature %s : %v", titre, err)
	}
	return c
}

// score gives the notes, in the order of the criteria ("" leaves one unscored).
func score(t *testing.T, s *models.Store, a models.Actor, c models.CandidatureRow, camp models.CampagneRow, notes ...string) models.CandidatureRow {
	t.Helper()
	in := make([]models.NoteInput, len(notes))
	for i, n := range notes {
		in[i] = models.NoteInput{CritereID: camp.Criteres[i].ID, Note: n, Commentaire: "vu"}
		if n == "" {
			in[i].Commentaire = ""
		}
	}
	row, err := s.ScoreCandidature(t.Context(), a, c.ID, c.Version, in)
	if err != nil {
		t.Fatalf("notes de %s : %v", c.Titre, err)
	}
	return row
}

func TestCandidatureScoresAndRanks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		camp := testCampagne(t, s, who, 0)
		a := propose(t, s, who["ia93"], camp.ID, "Montreuil", []string{"93048"})
		b := propose(t, s, who["pilote"], camp.ID, "Créteil", []string{"94028"})
		c := propose(t, s, who["ia93"], camp.ID, "Bobigny", []string{"93008"})
		d := propose(t, s, who["pilote"], camp.ID, "Fontenay", []string{"94033"})
		// A: 5×20 + 4×20 + 3×15 + 2×15 + 1×15 + 0×15 = 270 / 100 = 2,7.
		a = score(t, s, who["ia93"], a, camp, "5", "4", "3", "2", "1", "0")
		if a.Score.Points != 270 || a.Score.Poids != 100 || a.Score.Label() != "2,7 / 5" || !a.Score.Complete() {
			t.Fatalf("score de A : %+v %s", a.Score, a.Score.Label())
		}
		score(t, s, who["pilote"], b, camp, "3", "3", "3", "3", "3", "3")
		// C: one criterion only (3 × 20 / 20): 3,0, incomplète, ties with B.
		c = score(t, s, who["ia93"], c, camp, "3", "", "", "", "", "")
		if c.Score.Label() != "3,0 / 5" || c.Score.Complete() || c.Score.Status() != "incomplète (1 critère sur 6)" {
			t.Fatalf("score de C : %+v %q", c.Score, c.Score.Status())
		}
		rows, err := s.CampagneCandidatures(t.Context(), who["pilote"].Scope, camp.ID)
		if err != nil || len(rows) != 4 {
			t.Fatalf("classement : %d, %v", len(rows), err)
		}
		want := map[string][2]int{"Créteil": {1, 1}, "Bobigny": {1, 1}, "Montreuil": {3, 2}, "Fontenay": {0, 0}}
		for _, r := range rows {
			if w := want[r.Titre]; r.Rangs.Academie != w[0] || r.Rangs.Departement != w[1] {
				t.Errorf("%s : rangs %+v, attendus %v", r.Titre, r.Rangs, w)
			}
		}
		if rows[3].Titre != "Fontenay" || rows[2].Titre != "Montreuil" || rows[0].Rangs.AcademieLabel() != "1 / 3" {
			t.Fatalf("ordre : %s %s %s %s", rows[0].Titre, rows[1].Titre, rows[2].Titre, rows[3].Titre)
		}
		// A note out of 0..5 is refused beside its field; nothing changes.
		_, err = s.ScoreCandidature(t.Context(), who["pilote"], d.ID, d.Version, []models.NoteInput{{CritereID: camp.Criteres[0].ID, Note: "6"}})
		var verr *models.ValidationError
		if !errors.As(err, &verr) || verr.Errors[0].Field == "" {
			t.Fatalf("note 6 : %v", err)
		}
		// A stale version is a conflict.
		if _, err := s.ScoreCandidature(t.Context(), who["ia93"], a.ID, 1, nil); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("version périmée : %v", err)
		}
	})
}

func TestCandidatureRetenuePutsEcolesInPilotWave(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		vague := pilotWave(t, s)
		camp := testCampagne(t, s, who, vague)
		montreuil := ecolesOf(t, s, "93048", 3)
		c := propose(t, s, who["ia93"], camp.ID, "Montreuil", []string{"93048"}, montreuil[0], montreuil[1])
		other := propose(t, s, who["ia93"], camp.ID, "Bobigny", []string{"93008"}, ecolesOf(t, s, "93008", 1)...)
		_ = other
		row, res, err := s.DecideCandidature(t.Context(), who["ia93"], c.ID, c.Version,
			models.DecisionCandidatureInput{Decision: "retenue", Date: "09/01/2012"})
		if err != nil || row.Decision != "retenue" || len(res.Created) != 2 {
			t.Fatalf("décision : %+v %+v %v", row.Candidature, res, err)
		}
		var deps []models.Deploiement
		models.RawDB(s).Order("uai").Find(&deps)
		if len(deps) != 2 || deps[0].UAI != montreuil[0] || deps[1].UAI != montreuil[1] {
			t.Fatalf("déploiements : %+v", deps)
		}
		for _, d := range deps {
			if d.Phase != "pilote" || d.VagueID == nil || *d.VagueID != vague || d.DatePhase.Format("02/01/2006") != "09/01/2012" {
				t.Fatalf("déploiement : %+v", d)
			}
		}
		var hist, events, candEvents int64
		models.RawDB(s).Table("deploiement_phases").Where("phase = 'pilote'").Count(&hist)
		models.RawDB(s).Table("audit_events").Where("entity = 'deploiement'").Count(&events)
		models.RawDB(s).Table("audit_events").Where("entity = 'candidature' AND entity_id = ? AND action = 'modification'", itoa64(c.ID)).Count(&candEvents)
		if hist != 2 || events != 2 || candEvents != 1 {
			t.Fatalf("historique %d, audit déploiements %d, audit candidature %d", hist, events, candEvents)
		}
		// An IA of the 77 cannot decide on a 93 candidature: it does not exist for them.
		if _, _, err := s.DecideCandidature(t.Context(), who["ia77"], other.ID, other.Version,
			models.DecisionCandidatureInput{Decision: "retenue", Date: "09/01/2012"}); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("IA 77 : %v", err)
		}
	})
}

func TestCandidatureReferentAndScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		camp := testCampagne(t, s, who, pilotWave(t, s))
		bob := who["bobigny"]
		c := propose(t, s, bob, camp.ID, "Bobigny", []string{"93008"})
		if _, err := s.CreateCandidature(t.Context(), bob, models.CandidatureInput{CampagneID: camp.ID, Titre: "Montreuil",
			Communes: []string{"93048"}}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("référent pour une autre commune : %v", err)
		}
		if _, err := s.ScoreCandidature(t.Context(), bob, c.ID, c.Version, nil); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("référent qui note : %v", err)
		}
		if _, _, err := s.DecideCandidature(t.Context(), bob, c.ID, c.Version,
			models.DecisionCandidatureInput{Decision: "retenue", Date: "09/01/2012"}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("référent qui décide : %v", err)
		}
		c, err := s.UpdateCandidature(t.Context(), bob, c.ID, c.Version, models.CandidatureInput{Titre: "Bobigny, ville pilote", Communes: []string{"93008"}})
		if err != nil || c.Titre != "Bobigny, ville pilote" {
			t.Fatalf("référent qui modifie : %v", err)
		}
		// École of another commune: refused beside the field.
		_, err = s.UpdateCandidature(t.Context(), bob, c.ID, c.Version, models.CandidatureInput{Titre: "x", Communes: []string{"93008"},
			Ecoles: ecolesOf(t, s, "93048", 1)})
		var verr *models.ValidationError
		if !errors.As(err, &verr) || verr.Errors[0].Field != "ecoles" {
			t.Fatalf("école d'une autre commune : %v", err)
		}
		cr := propose(t, s, who["pilote"], camp.ID, "Créteil", []string{"94028"})
		for _, name := range []string{"ia93", "ia77", "bobigny"} {
			if _, err := s.GetCandidature(t.Context(), who[name].Scope, cr.ID); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("%s lit Créteil : %v", name, err)
			}
			if _, err := s.ScoreCandidature(t.Context(), who[name], cr.ID, cr.Version, nil); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("%s note Créteil : %v", name, err)
			}
		}
		p, err := s.ListCandidatures(t.Context(), who["ia93"].Scope, models.CandidatureFilter{}, models.PageRequest{})
		if err != nil || p.Total != 1 || p.Items[0].ID != c.ID {
			t.Fatalf("liste de l'IA 93 : %+v, %v", p, err)
		}
		// After the decision the référent no longer edits.
		if _, _, err := s.DecideCandidature(t.Context(), who["ia93"], c.ID, c.Version,
			models.DecisionCandidatureInput{Decision: "refusee", Date: "15/12/2011"}); err != nil {
			t.Fatal(err)
		}
		c, _ = s.GetCandidature(t.Context(), bob.Scope, c.ID)
		if _, err := s.UpdateCandidature(t.Context(), bob, c.ID, c.Version, models.CandidatureInput{Titre: "y", Communes: []string{"93008"}}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("référent après décision : %v", err)
		}
	})
}

func TestCandidatureDocument(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		camp := testCampagne(t, s, who, 0)
		c := propose(t, s, who["bobigny"], camp.ID, "Bobigny", []string{"93008"})
		d, err := s.AddDocument(t.Context(), who["bobigny"], models.DocumentCandidature, c.ID, "dossier.pdf", "Dossier", bytes.NewReader(seeds.PDF("Dossier")))
		if err != nil {
			t.Fatalf("document : %v", err)
		}
		docs, err := s.ListDocuments(t.Context(), who["ia93"].Scope, models.DocumentCandidature, c.ID)
		if err != nil || len(docs) != 1 || docs[0].ID != d.ID {
			t.Fatalf("documents : %+v, %v", docs, err)
		}
		if _, err := s.ListDocuments(t.Context(), who["ia77"].Scope, models.DocumentCandidature, c.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("IA 77 : %v", err)
		}
	})
}

// TestCampagneCriteresEdit: removing a criterion removes its scores and the score follows;
// retaining a candidature of a campaign without pilot wave is refused beside the decision.
func TestCampagneCriteresEdit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		camp := testCampagne(t, s, who, 0)
		c := propose(t, s, who["ia93"], camp.ID, "Montreuil", []string{"93048"})
		c = score(t, s, who["ia93"], c, camp, "5", "0", "", "", "", "")
		if c.Score.Label() != "2,5 / 5" {
			t.Fatalf("score : %s", c.Score.Label())
		}
		crit := []models.CritereInput{{ID: camp.Criteres[0].ID, Libelle: "Équipement", Poids: "30"}, {Libelle: "Nouveau", Poids: "10"}}
		camp2, err := s.UpdateCampagne(t.Context(), who["pilote"], camp.ID, camp.Version, models.CampagneInput{Nom: camp.Nom,
			AnneeScolaire: camp.AnneeScolaire, Statut: "ouverte", Criteres: crit})
		if err != nil || len(camp2.Criteres) != 2 || camp2.Criteres[0].ID != camp.Criteres[0].ID || camp2.PoidsTotal() != 40 {
			t.Fatalf("critères : %+v, %v", camp2.Criteres, err)
		}
		c, _ = s.GetCandidature(t.Context(), who["pilote"].Scope, c.ID)
		if c.Score.Label() != "5,0 / 5" || c.Score.Status() != "incomplète (1 critère sur 2)" {
			t.Fatalf("score après retrait : %s %s", c.Score.Label(), c.Score.Status())
		}
		_, _, err = s.DecideCandidature(t.Context(), who["ia93"], c.ID, c.Version, models.DecisionCandidatureInput{Decision: "retenue", Date: "09/01/2012"})
		var verr *models.ValidationError
		if !errors.As(err, &verr) || verr.Errors[0].Field != "decision" {
			t.Fatalf("retenue sans vague pilote : %v", err)
		}
		if _, err := s.UpdateCampagne(t.Context(), who["ia93"], camp.ID, camp2.Version, models.CampagneInput{Nom: "x",
			AnneeScolaire: "2011-2012", Criteres: crit}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("campagne de l'académie modifiée par l'IA 93 : %v", err)
		}
	})
}
