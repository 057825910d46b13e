package models_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// finWorld holds plans of the 93 (a groupement Bobigny + Bondy with fixed shares, Est
// Ensemble's members by pupils) and of the 94 (Créteil alone).
type finWorld struct {
	actors             map[string]models.Actor
	groupement, ee, cr models.FinancementRow
}

func newFinWorld(t *testing.T, s *models.Store) finWorld {
	t.Helper()
	w := finWorld{actors: worldActors(t, s)}
	var err error
	ctx := t.Context()
	if w.groupement, err = s.CreateFinancement(ctx, w.actors["ia93"], models.FinancementInput{Titre: "Groupement Bobigny-Bondy",
		Portage: models.PortageGroupement, Departement: "93", Communes: "93008 : 60 ; 93010 : 40", Cle: models.CleParts}); err != nil {
		t.Fatal(err)
	}
	if w.ee, err = s.CreateFinancement(ctx, w.actors["pilote"], models.FinancementInput{Titre: "Est Ensemble",
		Portage: models.PortageIntercommunalite, Departement: "93", EPCI: "200057875", Cle: models.CleEleves}); err != nil {
		t.Fatal(err)
	}
	if w.cr, err = s.CreateFinancement(ctx, w.actors["pilote"], models.FinancementInput{Titre: "Créteil",
		Portage: models.PortageCommune, Departement: "94", Commune: "94028"}); err != nil {
		t.Fatal(err)
	}
	return w
}

func line(annee, financeur, prevu, realise string) models.LigneInput {
	return models.LigneInput{Annee: annee, TypeAnnee: "scolaire", Financeur: financeur, Nature: "investissement", Prevu: prevu, Realise: realise}
}

func TestFinancementSharesAndTotals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newFinWorld(t, s)
		ctx, ia := t.Context(), w.actors["ia93"]
		// 3 × 0,10 € = 0,30 €; an actual amount of 0 is saved as 0.
		for range 3 {
			if _, err := s.AddLigne(ctx, ia, w.groupement.ID, line("2012", "etat", "0,10", "0")); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.AddLigne(ctx, ia, w.groupement.ID, line("2013", "commune", "1 000,01", "")); err != nil {
			t.Fatal(err)
		}
		p, err := s.GetFinancementPlan(ctx, ia.Scope, w.groupement.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total.Prevu != 100031 || p.PrevuCentimes != 100031 || !p.Total.Known || p.Total.Realise != 0 {
			t.Errorf("totaux : %+v", p.Total)
		}
		for _, l := range p.Lignes {
			if l.Annee == 2012 && (l.RealiseCentimes == nil || *l.RealiseCentimes != 0 || l.PrevuCentimes != 10) {
				t.Errorf("ligne 2012 : %+v", l)
			}
			if l.Annee == 2013 && l.RealiseCentimes != nil {
				t.Errorf("réalisé vide enregistré : %v", *l.RealiseCentimes)
			}
		}
		if len(p.ByYear) != 2 || p.ByYear[0].Prevu != 30 || p.ByYear[0].Label != "2012-2013" || p.ByYear[1].Prevu != 100001 {
			t.Errorf("par année : %+v", p.ByYear)
		}
		if len(p.Funders) != 2 || p.Funders[0].Value != "commune" || p.ByFunder[1].Percent != "0\u202f%" || p.ByFunder[0].Percent != "100\u202f%" {
			t.Errorf("financeurs : %+v %+v", p.Funders, p.ByFunder)
		}
		// Parts 60 / 40 of 1 000,31 €: 600,19 (600,186 rounded up, largest remainder) and 400,12.
		if len(p.CommunesDetail) != 2 {
			t.Fatalf("communes : %+v", p.CommunesDetail)
		}
		got := map[string]int64{}
		for _, c := range p.CommunesDetail {
			got[c.CodeINSEE] = c.SharePrevu
		}
		if got["93008"] != 60019 || got["93010"] != 40012 {
			t.Errorf("parts : %v", got)
		}
		if p.CoutEleve == nil || p.NbEleves == 0 || p.CostBasis != "écoles des communes du plan" {
			t.Errorf("coût par élève : %v %d %q", p.CoutEleve, p.NbEleves, p.CostBasis)
		}
		// Est Ensemble: every member of the 93, split by pupils, shares adding up to the total.
		if _, err := s.AddLigne(ctx, w.actors["pilote"], w.ee.ID, line("2014", "epci", "999 999,99", "")); err != nil {
			t.Fatal(err)
		}
		ee, err := s.GetFinancementPlan(ctx, models.AcademieScope(), w.ee.ID)
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		for _, c := range ee.CommunesDetail {
			sum += c.SharePrevu
		}
		if len(ee.CommunesDetail) != 9 || sum != 99999999 {
			t.Errorf("Est Ensemble : %d communes, parts %d", len(ee.CommunesDetail), sum)
		}
	})
}

func TestFinancementScopeAndWriteRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newFinWorld(t, s)
		ctx := t.Context()
		l94, err := s.AddLigne(ctx, w.actors["pilote"], w.cr.ID, line("2012", "commune", "100", ""))
		if err != nil {
			t.Fatal(err)
		}
		l93, err := s.AddLigne(ctx, w.actors["ia93"], w.groupement.ID, line("2012", "commune", "100", ""))
		if err != nil {
			t.Fatal(err)
		}
		financementScopeOfIA93(t, s, w, l94)
		financementWritesOfReferent(t, s, w, l93, l94)
	})
}

// financementScopeOfIA93 checks the IA 93 neither reads nor writes the plan of the 94 (its
// line l94), and what each role lists.
func financementScopeOfIA93(t *testing.T, s *models.Store, w finWorld, l94 models.FinancementLigne) {
	t.Helper()
	ctx, ia93 := t.Context(), w.actors["ia93"]
	if _, err := s.GetFinancement(ctx, ia93.Scope, w.cr.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("IA 93 lit un plan du 94 : %v", err)
	}
	if _, err := s.UpdateFinancement(ctx, ia93, w.cr.ID, w.cr.Version, models.FinancementInput{Titre: "x", Portage: "commune", Departement: "93", Commune: "93008"}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("IA 93 modifie un plan du 94 : %v", err)
	}
	if _, err := s.AddLigne(ctx, ia93, w.cr.ID, line("2012", "etat", "1", "")); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("IA 93 ajoute une ligne au 94 : %v", err)
	}
	if err := s.SetActualAmount(ctx, ia93, w.cr.ID, l94.ID, l94.Version, "5"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("IA 93 saisit un réalisé du 94 : %v", err)
	}
	if err := s.SetActualAmount(ctx, ia93, w.groupement.ID, l94.ID, l94.Version, "5"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("IA 93 saisit un réalisé du 94 par un plan du 93 : %v", err)
	}
	if err := s.ArchiveFinancement(ctx, ia93, w.cr.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("IA 93 archive un plan du 94 : %v", err)
	}
	if _, err := s.CreateFinancement(ctx, ia93, models.FinancementInput{Titre: "x", Portage: "commune", Departement: "94", Commune: "94028"}); fieldsOf(t, err)["departement"] == "" {
		t.Errorf("IA 93 crée un plan du 94 : %v", err)
	}
	for name, want := range map[string]int64{"ia93": 2, "pilote": 3, "amif": 3, "lecteur": 3, "bobigny": 2, "ia77": 0} {
		page, err := s.ListFinancements(ctx, w.actors[name].Scope, models.FinancementFilter{}, models.PageRequest{})
		if err != nil || page.Total != want {
			t.Errorf("%s voit %d plans (%v), attendu %d", name, page.Total, err, want)
		}
	}
	lines, err := s.FinancementLignesOf(ctx, ia93.Scope, []int64{w.cr.ID, w.groupement.ID})
	if err != nil || len(lines[w.cr.ID]) != 0 || len(lines[w.groupement.ID]) != 1 {
		t.Errorf("lignes vues de l'IA 93 : %v %v", lines, err)
	}
}

// financementWritesOfReferent checks the référent of Bobigny writes the actual amounts of
// Bobigny's own plan only: the groupement Bobigny-Bondy (its line l93) is shared, its
// amounts are the pilotes' and the IA's; the 94's plan (its line l94) is out of scope; read
// roles write nothing.
func financementWritesOfReferent(t *testing.T, s *models.Store, w finWorld, l93, l94 models.FinancementLigne) {
	t.Helper()
	ctx, ia93 := t.Context(), w.actors["ia93"]
	bob := w.actors["bobigny"]
	if err := s.SetActualAmount(ctx, bob, w.groupement.ID, l93.ID, l93.Version, "80,5"); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("référent, montant réalisé d'un plan partagé : %v", err)
	}
	own, err := s.CreateFinancement(ctx, ia93, models.FinancementInput{Titre: "Bobigny seule", Portage: models.PortageCommune, Departement: "93", Commune: "93008"})
	if err != nil {
		t.Fatal(err)
	}
	lown, err := s.AddLigne(ctx, ia93, own.ID, line("2012", "commune", "100", ""))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetActualAmount(ctx, bob, own.ID, lown.ID, lown.Version, "80,5"); err != nil {
		t.Errorf("référent, montant réalisé de sa commune : %v", err)
	}
	if got, _ := s.GetLigne(ctx, bob.Scope, own.ID, lown.ID); got.RealiseCentimes == nil || *got.RealiseCentimes != 8050 {
		t.Errorf("réalisé non enregistré : %+v", got)
	}
	if _, err := s.UpdateLigne(ctx, bob, w.groupement.ID, l93.ID, l93.Version, line("2012", "commune", "1", "")); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("référent modifie une ligne : %v", err)
	}
	if _, err := s.AddLigne(ctx, bob, w.groupement.ID, line("2012", "commune", "1", "")); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("référent ajoute une ligne : %v", err)
	}
	if err := s.DeleteLigne(ctx, bob, w.groupement.ID, l93.ID); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("référent supprime une ligne : %v", err)
	}
	if _, err := s.UpdateFinancement(ctx, bob, w.groupement.ID, w.groupement.Version, models.FinancementInput{}); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("référent modifie le plan : %v", err)
	}
	if err := s.SetActualAmount(ctx, bob, w.cr.ID, l94.ID, l94.Version, "1"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("référent de Bobigny sur Créteil : %v", err)
	}
	for _, name := range []string{"amif", "lecteur"} {
		if err := s.SetActualAmount(ctx, w.actors[name], w.groupement.ID, l93.ID, l93.Version, "1"); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s saisit un réalisé : %v", name, err)
		}
		if err := s.ArchiveFinancement(ctx, w.actors[name], w.groupement.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s archive : %v", name, err)
		}
	}
	if err := s.SetActualAmount(ctx, bob, own.ID, lown.ID, lown.Version+1, "-3"); fieldsOf(t, err)["realise-"+finID(lown.ID)] == "" {
		t.Errorf("réalisé négatif : %v", err)
	}
}

func TestFinancementValidationConflictArchive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newFinWorld(t, s)
		ctx, p := t.Context(), w.actors["pilote"]
		for _, c := range []struct {
			in    models.FinancementInput
			field string
		}{
			{models.FinancementInput{Portage: "commune", Departement: "93", Commune: "93008"}, "titre"},
			{models.FinancementInput{Titre: "x", Portage: "commune", Departement: "93", Commune: "94028"}, "commune"},
			{models.FinancementInput{Titre: "x", Portage: "groupement", Departement: "93", Communes: "93008", Cle: "eleves"}, "communes"},
			{models.FinancementInput{Titre: "x", Portage: "groupement", Departement: "93", Communes: "93008 : 60 ; 93010 : 30", Cle: "parts"}, "communes"},
			{models.FinancementInput{Titre: "x", Portage: "groupement", Departement: "93", Communes: "93008, 93010", Cle: "parts"}, "communes"},
			{models.FinancementInput{Titre: "x", Portage: "intercommunalite", Departement: "93", EPCI: "200057875", Communes: "93066", Cle: "eleves"}, "communes"},
			{models.FinancementInput{Titre: "x", Portage: "pirate", Departement: "93"}, "portage"},
			{models.FinancementInput{Titre: "x", Portage: "commune", Departement: "93", Commune: "93008", ConventionID: 999}, "convention"},
		} {
			if _, err := s.CreateFinancement(ctx, p, c.in); fieldsOf(t, err)[c.field] == "" {
				t.Errorf("%+v : pas d'erreur sur %s (%v)", c.in, c.field, err)
			}
		}
		for _, c := range []struct {
			in    models.LigneInput
			field string
		}{
			{line("2010", "etat", "1", ""), "annee"},
			{line("2012", "banque", "1", ""), "financeur"},
			{line("2012", "etat", "", ""), "prevu"},
			{line("2012", "etat", "-1", ""), "prevu"},
			{line("2012", "etat", "12,345", ""), "prevu"},
			{line("2012", "etat", "1", "abc"), "realise"},
		} {
			if _, err := s.AddLigne(ctx, p, w.cr.ID, c.in); fieldsOf(t, err)[c.field] == "" {
				t.Errorf("%+v : pas d'erreur sur %s (%v)", c.in, c.field, err)
			}
		}
		// Lost update: the second save of the same version is refused, with who changed it.
		in := models.FinancementInput{Titre: "Créteil, ENT", Portage: "commune", Departement: "94", Commune: "94028"}
		if _, err := s.UpdateFinancement(ctx, p, w.cr.ID, w.cr.Version, in); err != nil {
			t.Fatal(err)
		}
		in.Titre = "Écrasé"
		var ce *models.ConflictError
		if _, err := s.UpdateFinancement(ctx, w.actors["admin"], w.cr.ID, w.cr.Version, in); !errors.As(err, &ce) || !strings.HasPrefix(ce.By, "Compte pilote") {
			t.Errorf("mise à jour perdue : %v", err)
		}
		l, err := s.AddLigne(ctx, p, w.cr.ID, line("2012", "etat", "5", ""))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateLigne(ctx, p, w.cr.ID, l.ID, l.Version, line("2012", "etat", "6", "")); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateLigne(ctx, p, w.cr.ID, l.ID, l.Version, line("2012", "etat", "7", "")); !errors.As(err, &ce) {
			t.Errorf("ligne, mise à jour perdue : %v", err)
		}
		if err := s.ArchiveFinancement(ctx, p, w.cr.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetFinancement(ctx, p.Scope, w.cr.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("plan archivé encore visible : %v", err)
		}
		if err := s.RestoreFinancement(ctx, p, w.cr.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteLigne(ctx, p, w.cr.ID, l.ID); err != nil {
			t.Fatal(err)
		}
		events, err := s.History(ctx, models.SystemActor("test"), "financement", finID(w.cr.ID))
		if err != nil || len(events) != 7 {
			t.Errorf("historique : %d événements (%v), attendu 7", len(events), err)
		}
	})
}

func finID(n int64) string { return strconv.FormatInt(n, 10) }
