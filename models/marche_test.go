package models_test

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/ac-creteil/pilotage/views/fr"
)

// marcheSolution creates a vendor and its ENT solution; it returns their ids.
func marcheSolution(t *testing.T, s *models.Store, nom string) (int64, int64) {
	t.Helper()
	sys := models.SystemActor("test")
	org, err := s.CreateOrganisation(t.Context(), sys, models.OrganisationInput{Nom: nom, Kind: models.OrgEditeurENT})
	if err != nil {
		t.Fatal(err)
	}
	sol, err := s.CreateSolution(t.Context(), sys, models.SolutionInput{Produit: "ENT " + nom, Editeur: idText(org.ID)})
	if err != nil {
		t.Fatal(err)
	}
	return org.ID, sol.ID
}

func idText(id int64) string { return strconv.FormatInt(id, 10) }

// groupement93 creates the groupement of Bobigny (coordinator), Montreuil and Bondy.
func groupement93(t *testing.T, s *models.Store, a models.Actor) models.MarcheRow {
	t.Helper()
	m, err := s.CreateMarche(t.Context(), a, models.MarcheInput{Objet: "ENT des écoles du groupement", Acheteur: "groupement",
		Coordinateur: "93008", Communes: []string{"93048", "93010"}, Procedure: "ao_ouvert",
		MontantEstime: "1 234 567,89", DateLimite: "15/03/2013"})
	if err != nil {
		t.Fatalf("groupement : %v", err)
	}
	return m
}

func TestMarcheChecksAndScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		ctx := t.Context()
		for name, tc := range map[string]struct {
			in    models.MarcheInput
			field string
		}{
			"sans coordonnateur": {models.MarcheInput{Objet: "X", Acheteur: "groupement", Communes: []string{"93008", "93048"}, Procedure: "mapa"}, "coordinateur"},
			"deux départements":  {models.MarcheInput{Objet: "X", Acheteur: "groupement", Coordinateur: "93008", Communes: []string{"94028"}, Procedure: "mapa"}, "communes"},
			"commune seule":      {models.MarcheInput{Objet: "X", Acheteur: "commune", Communes: []string{"93008", "93048"}, Procedure: "mapa"}, "communes"},
			"montant ambigu":     {models.MarcheInput{Objet: "X", Acheteur: "commune", Communes: []string{"93008"}, Procedure: "mapa", MontantEstime: "12,345"}, "montant_estime"},
			"procédure":          {models.MarcheInput{Objet: "X", Acheteur: "commune", Communes: []string{"93008"}, Procedure: "troc"}, "procedure"},
			"objet":              {models.MarcheInput{Acheteur: "commune", Communes: []string{"93008"}, Procedure: "mapa"}, "objet"},
		} {
			if _, err := s.CreateMarche(ctx, who["ia93"], tc.in); fieldOf(err) != tc.field {
				t.Errorf("%s : %v, attendu une erreur sur %s", name, err, tc.field)
			}
		}
		for _, a := range []string{"ia77", "bobigny", "amif", "lecteur"} {
			if _, err := s.CreateMarche(ctx, who[a], models.MarcheInput{Objet: "X", Acheteur: "commune",
				Communes: []string{"93008"}, Procedure: "mapa"}); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("%s crée un marché du 93 : %v", a, err)
			}
		}
		m := groupement93(t, s, who["ia93"])
		if m.DepartementCode != "93" || m.Statut != "en_preparation" || *m.MontantEstime != 123456789 ||
			len(m.Membres) != 3 || m.Membres[0].CodeINSEE != "93008" || !m.Membres[0].Coordinateur {
			t.Fatalf("groupement : %+v", m)
		}
		for a, n := range map[string]int{"admin": 1, "pilote": 1, "ia93": 1, "ia77": 0, "amif": 1, "lecteur": 1, "bobigny": 1, "estensemble": 1, "zero": 0} {
			p, err := s.ListMarches(ctx, who[a].Scope, models.MarcheFilter{}, models.PageRequest{})
			if err != nil || len(p.Items) != n {
				t.Errorf("%s lit %d marché(s) (%v), attendu %d", a, len(p.Items), err, n)
			}
		}
		if _, err := s.GetMarche(ctx, who["ia77"].Scope, m.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ia77 lit le marché du 93 : %v", err)
		}
		for f, n := range map[models.MarcheFilter]int{{Departement: "93"}: 1, {Departement: "77"}: 0, {Acheteur: "groupement"}: 1,
			{Acheteur: "commune"}: 0, {Commune: "93010"}: 1, {Commune: "93066"}: 0, {Statut: "publie"}: 0, {Q: "groupement"}: 1} {
			p, err := s.ListMarches(ctx, who["pilote"].Scope, f, models.PageRequest{})
			if err != nil || len(p.Items) != n {
				t.Errorf("filtre %+v : %d (%v), attendu %d", f, len(p.Items), err, n)
			}
		}
		// Adhesions: a référent records their own commune's, never another member's.
		m, err := s.RecordAdhesion(ctx, who["bobigny"], m.ID, m.Version, models.AdhesionInput{Commune: "93008", Date: "12/02/2013", Ref: "DCM-2013-12"})
		if err != nil || m.Membres[0].DeliberationRef != "DCM-2013-12" {
			t.Fatalf("adhésion de Bobigny : %v %+v", err, m.Membres)
		}
		if _, err := s.RecordAdhesion(ctx, who["bobigny"], m.ID, m.Version, models.AdhesionInput{Commune: "93048", Date: "12/02/2013"}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("Bobigny enregistre l'adhésion de Montreuil : %v", err)
		}
		if _, err := s.RecordAdhesion(ctx, who["bobigny"], m.ID, m.Version-1, models.AdhesionInput{Commune: "93008", Date: "13/02/2013"}); !errors.Is(err, models.ErrConflict) {
			t.Errorf("adhésion sur une version périmée : %v", err)
		}
		if _, err := s.RecordAdhesion(ctx, who["ia93"], m.ID, m.Version, models.AdhesionInput{Commune: "93048", Date: "31/02/2013"}); fieldOf(err) != "date" {
			t.Errorf("date impossible : %v", err)
		}
	})
}

func TestMarcheTransitionsAndAward(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		ctx := t.Context()
		ia := who["ia93"]
		vendor, sol := marcheSolution(t, s, "Éditeur A")
		_, other := marcheSolution(t, s, "Éditeur B")
		m := groupement93(t, s, ia)
		m = must(s.AddLot(ctx, ia, m.ID, m.Version, models.LotInput{Numero: "1", Intitule: "Plateforme ENT", MontantEstime: "900 000"}))
		m = must(s.AddLot(ctx, ia, m.ID, m.Version, models.LotInput{Numero: "2", Intitule: "Formation", MontantEstime: "50 000,50"}))
		if _, err := s.AddLot(ctx, ia, m.ID, m.Version, models.LotInput{Numero: "2", Intitule: "Doublon"}); fieldOf(err) != "numero" {
			t.Errorf("lot en double : %v", err)
		}
		lot1 := m.Lots[0].ID
		if _, err := s.AddOffre(ctx, ia, m.ID, m.Version, models.OffreInput{LotID: lot1, Soumissionnaire: "X", Montant: "1"}); fieldOf(err) != "statut" {
			t.Errorf("offre avant publication : %v", err)
		}
		if _, err := s.ChangeMarcheStatut(ctx, ia, m.ID, m.Version, models.StatutMarcheInput{Statut: "en_analyse"}); fieldOf(err) != "statut" {
			t.Errorf("saut de statut : %v", err)
		}
		if _, err := s.ChangeMarcheStatut(ctx, who["bobigny"], m.ID, m.Version, models.StatutMarcheInput{Statut: "publie"}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("un référent publie : %v", err)
		}
		m = must(s.ChangeMarcheStatut(ctx, ia, m.ID, m.Version, models.StatutMarcheInput{Statut: "publie", Date: "01/02/2013"}))
		if m.DatePublication == nil || m.DatePublication.Format("2006-01-02") != "2013-02-01" {
			t.Errorf("date de publication : %v", m.DatePublication)
		}
		m = must(s.AddOffre(ctx, ia, m.ID, m.Version, models.OffreInput{LotID: lot1, SoumissionnaireID: vendor, SolutionID: sol, Montant: "850 000,10"}))
		m = must(s.AddOffre(ctx, ia, m.ID, m.Version, models.OffreInput{LotID: lot1, Soumissionnaire: "Éditeur C", Montant: "910 000"}))
		if len(m.Lots[0].Offres) != 2 || m.Lots[0].Offres[0].Montant != 85000010 || m.Lots[0].Offres[0].Soumissionnaire != "Éditeur A" {
			t.Fatalf("offres : %+v", m.Lots[0].Offres)
		}
		award := models.AttributionInput{LotID: lot1, TitulaireID: vendor, SolutionID: sol, Montant: "850 000,10", DureeMois: "36",
			DateDebut: "01/09/2013", Reconductions: "1"}
		if _, _, err := s.AttribuerLot(ctx, ia, m.ID, m.Version, award, models.DeploiementGuard{}); fieldOf(err) != "lot" {
			t.Errorf("attribution d'un marché publié : %v", err)
		}
		if _, err := s.ChangeMarcheStatut(ctx, ia, m.ID, m.Version, models.StatutMarcheInput{Statut: "attribue"}); fieldOf(err) != "statut" {
			t.Errorf("publié → attribué : %v", err)
		}
		m = must(s.ChangeMarcheStatut(ctx, ia, m.ID, m.Version, models.StatutMarcheInput{Statut: "en_analyse", Date: "20/03/2013"}))
		if _, err := s.ChangeMarcheStatut(ctx, ia, m.ID, m.Version, models.StatutMarcheInput{Statut: "attribue"}); fieldOf(err) != "statut" {
			t.Errorf("attribué sans lot attribué : %v", err)
		}
		checkAward(t, s, who, m, award, other)
	})
}

// checkAward previews and applies the award of lot 1 and checks the écoles of the three
// communes carry the solution, exactly as previewed.
func checkAward(t *testing.T, s *models.Store, who map[string]models.Actor, m models.MarcheRow, award models.AttributionInput, other int64) {
	t.Helper()
	ctx, ia := t.Context(), who["ia93"]
	if _, err := s.PreviewAttribution(ctx, who["ia77"], m.ID, award.LotID, award.SolutionID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("aperçu par ia77 : %v", err)
	}
	p, err := s.PreviewAttribution(ctx, ia, m.ID, award.LotID, award.SolutionID)
	if err != nil || len(p.Rejected) > 0 || len(p.Rows) == 0 {
		t.Fatalf("aperçu : %v %+v", err, p.Rejected)
	}
	var ecoles []string
	models.RawDB(s).Table("ecoles").Where("code_insee IN ? AND statut = 'public'", []string{"93008", "93048", "93010"}).Order("uai").Pluck("uai", &ecoles)
	if len(p.Rows) != len(ecoles) {
		t.Fatalf("aperçu : %d écoles, attendu %d", len(p.Rows), len(ecoles))
	}
	bad := award
	bad.Montant, bad.DureeMois = "-3", "0"
	if _, _, err := s.AttribuerLot(ctx, ia, m.ID, m.Version, bad, models.DeploiementGuard{Versions: p.Versions}); fieldOf(err) == "" {
		t.Errorf("attribution invalide : %v", err)
	}
	row, res, err := s.AttribuerLot(ctx, ia, m.ID, m.Version, award, models.DeploiementGuard{Versions: p.Versions})
	if err != nil {
		t.Fatalf("attribution : %v", err)
	}
	if !slices.Equal(res.Created, p.Result.Created) || !slices.Equal(res.Changed, p.Result.Changed) || !slices.Equal(res.Unchanged, p.Result.Unchanged) {
		t.Errorf("appliqué %+v ≠ aperçu %+v", res, p.Result)
	}
	l := row.Lots[0]
	if row.Statut != "attribue" || *l.MontantAttribue != 85000010 || *l.SolutionID != award.SolutionID || l.Reconductions != 1 ||
		l.FinPrevue().Format("2006-01-02") != "2019-09-01" || row.MontantAttribue() != 85000010 {
		t.Errorf("marché attribué : %+v %+v", row.Marche, l.MarcheLot)
	}
	if len(row.Transitions) != 3 || row.Transitions[2].Vers != "attribue" || row.Transitions[0].Par != ia.Name ||
		row.Transitions[1].DateEffet.Format("2006-01-02") != "2013-03-20" {
		t.Errorf("historique : %+v", row.Transitions)
	}
	var n int64
	models.RawDB(s).Table("deploiements").Where("uai IN ? AND solution_id = ?", ecoles, award.SolutionID).Count(&n)
	if int(n) != len(ecoles) {
		t.Errorf("%d déploiements portent la solution, attendu %d", n, len(ecoles))
	}
	again := award
	again.SolutionID = other
	if _, _, err := s.AttribuerLot(ctx, ia, row.ID, row.Version, again, models.DeploiementGuard{}); fieldOf(err) != "lot" {
		t.Errorf("lot attribué deux fois : %v", err)
	}
	// A stale preview: an école changed since it was read is a conflict, and nothing is written.
	lot2 := award
	lot2.LotID, lot2.SolutionID = row.Lots[1].ID, other
	stale := map[string]int{}
	for k, v := range p.Versions {
		stale[k] = v
	}
	if _, _, err := s.AttribuerLot(ctx, ia, row.ID, row.Version, lot2, models.DeploiementGuard{Versions: stale}); !errors.Is(err, models.ErrConflict) {
		t.Errorf("aperçu périmé : %v", err)
	}
	if _, err := s.UpdateMarche(ctx, ia, row.ID, row.Version, models.MarcheInput{Objet: "Y", Acheteur: "commune",
		Communes: []string{"93008"}, Procedure: "mapa"}); fieldOf(err) != "statut" {
		t.Errorf("modification d'un marché attribué : %v", err)
	}
	if acts := historyActions(t, s, "marche", row.ID); len(acts) < 8 {
		t.Errorf("audit du marché : %v", acts)
	}
}

func TestMarcheAlertes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		ctx, ia := t.Context(), who["ia93"]
		vendor, sol := marcheSolution(t, s, "Éditeur A")
		today := time.Now().In(fr.Paris())
		day := func(d int) string { return today.AddDate(0, 0, d).Format("02/01/2006") }
		soon := must(s.CreateMarche(ctx, ia, models.MarcheInput{Objet: "Limite proche", Acheteur: "commune", Communes: []string{"93008"},
			Procedure: "mapa", DateLimite: day(5)}))
		must(s.ChangeMarcheStatut(ctx, ia, soon.ID, soon.Version, models.StatutMarcheInput{Statut: "publie", Date: day(-10)}))
		late := must(s.CreateMarche(ctx, ia, models.MarcheInput{Objet: "Limite lointaine", Acheteur: "commune", Communes: []string{"93048"},
			Procedure: "mapa", DateLimite: day(40)}))
		late = must(s.ChangeMarcheStatut(ctx, ia, late.ID, late.Version, models.StatutMarcheInput{Statut: "publie", Date: day(-200)}))
		late = must(s.AddLot(ctx, ia, late.ID, late.Version, models.LotInput{Numero: "1", Intitule: "ENT"}))
		late = must(s.ChangeMarcheStatut(ctx, ia, late.ID, late.Version, models.StatutMarcheInput{Statut: "en_analyse", Date: day(-90)}))
		a, err := s.MarcheAlertesOf(ctx, ia.Scope, models.MarcheAlertesSettings{})
		if err != nil || len(a.Limites) != 1 || a.Limites[0].ID != soon.ID || len(a.Analyses) != 1 || a.Analyses[0].ID != late.ID || len(a.Echeances) != 0 {
			t.Fatalf("alertes : %+v %v", a, err)
		}
		// A lot of 12 months started 11 months ago, renewed 0 times, ends within 180 days.
		start := today.AddDate(0, -11, 0).Format("02/01/2006")
		if _, _, err := s.AttribuerLot(ctx, ia, late.ID, late.Version, models.AttributionInput{LotID: late.Lots[0].ID, TitulaireID: vendor,
			SolutionID: sol, Montant: "1000", DureeMois: "12", DateDebut: start}, models.DeploiementGuard{}); err != nil {
			t.Fatal(err)
		}
		a, err = s.MarcheAlertesOf(ctx, ia.Scope, models.MarcheAlertesSettings{LimiteDays: 3})
		if err != nil || len(a.Limites) != 0 || len(a.Analyses) != 0 || len(a.Echeances) != 1 {
			t.Fatalf("alertes après attribution : %+v %v", a, err)
		}
		if a, err := s.MarcheAlertesOf(ctx, who["ia77"].Scope, models.MarcheAlertesSettings{}); err != nil || a.Any() {
			t.Fatalf("alertes du 77 : %+v %v", a, err)
		}
	})
}

// TestMarcheCahierLotsCorrections: a cahier des charges (the académie's model written by the
// pilote, the 93's adaptation by its IA-DASEN) gets a version with its PDF, which a market of
// the 93 names; a lot covers two écoles only, its award gives them the solution and records
// what they had; bids are corrected and deleted; removing the award with "revert" gives the
// écoles their solution back and the market goes back to analysis; a financing line of a plan
// of Bobigny pays the market.
func TestMarcheCahierLotsCorrections(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		ctx, ia := t.Context(), who["ia93"]
		if _, err := s.CreateCahier(ctx, ia, models.CahierInput{Titre: "Modèle"}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("un IA-DASEN crée le modèle académique : %v", err)
		}
		must(s.CreateCahier(ctx, who["pilote"], models.CahierInput{Titre: "Modèle académique"}))
		c := must(s.CreateCahier(ctx, ia, models.CahierInput{Titre: "Adaptation du 93", Departement: "93"}))
		if _, err := s.AddCahierVersion(ctx, ia, c.ID, c.Version, models.CahierVersionInput{Numero: "1", Date: "01/09/2012",
			Resume: "Première version"}); fieldOf(err) != "fichier" {
			t.Errorf("version sans document : %v", err)
		}
		c = must(s.AddCahierVersion(ctx, ia, c.ID, c.Version, models.CahierVersionInput{Numero: "1", Date: "01/09/2012",
			Resume: "Première version", FileName: "cctp.pdf", File: bytes.NewReader(seeds.PDF("CCTP"))}))
		if len(c.Versions) != 1 || c.Versions[0].DocumentNom != "cctp.pdf" || c.Versions[0].Par != ia.Name {
			t.Fatalf("versions : %+v", c.Versions)
		}
		if _, err := s.GetCahier(ctx, who["ia77"].Scope, c.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("l'IA du 77 lit l'adaptation du 93 : %v", err)
		}
		if _, err := s.CreateMarche(ctx, who["pilote"], models.MarcheInput{Objet: "X", Acheteur: "commune", Communes: []string{"77288"},
			Procedure: "mapa", CahierVersionID: c.Versions[0].ID}); fieldOf(err) != "cahier" {
			t.Errorf("un marché du 77 sur l'adaptation du 93 : %v", err)
		}
		vendor, sol := marcheSolution(t, s, "Éditeur A")
		m := must(s.CreateMarche(ctx, ia, models.MarcheInput{Objet: "ENT de Bobigny", Acheteur: "commune", Communes: []string{"93008"},
			Procedure: "mapa", CahierVersionID: c.Versions[0].ID}))
		if m.CahierLabel != "Adaptation du 93 — version 1" {
			t.Errorf("cahier du marché : %q", m.CahierLabel)
		}
		var ecoles []string
		models.RawDB(s).Table("ecoles").Where("code_insee = '93008' AND statut = 'public'").Order("uai").Limit(2).Pluck("uai", &ecoles)
		if _, err := s.AddLot(ctx, ia, m.ID, m.Version, models.LotInput{Numero: "1", Intitule: "ENT", Ecoles: []string{"0771234X"}}); fieldOf(err) != "ecoles" {
			t.Errorf("école d'une autre commune : %v", err)
		}
		m = must(s.AddLot(ctx, ia, m.ID, m.Version, models.LotInput{Numero: "1", Intitule: "ENT", Ecoles: ecoles}))
		m = must(s.AddLot(ctx, ia, m.ID, m.Version, models.LotInput{Numero: "2", Intitule: "Formation"}))
		lot := m.Lots[0].ID
		if !slices.Equal(m.Lots[0].Ecoles, ecoles) {
			t.Fatalf("écoles du lot : %v", m.Lots[0].Ecoles)
		}
		m = must(s.DeleteLot(ctx, ia, m.ID, m.Version, m.Lots[1].ID))
		m = must(s.ChangeMarcheStatut(ctx, ia, m.ID, m.Version, models.StatutMarcheInput{Statut: "publie"}))
		m = must(s.AddOffre(ctx, ia, m.ID, m.Version, models.OffreInput{LotID: lot, Soumissionnaire: "Erreur", Montant: "1"}))
		m = must(s.AddOffre(ctx, ia, m.ID, m.Version, models.OffreInput{LotID: lot, SoumissionnaireID: vendor, Montant: "100"}))
		m = must(s.DeleteOffre(ctx, ia, m.ID, m.Version, m.Lots[0].Offres[0].ID))
		if _, err := s.UpdateOffre(ctx, ia, m.ID, m.Version, m.Lots[0].Offres[0].ID, models.OffreInput{SoumissionnaireID: vendor, Montant: "-5"}); fieldOf(err) != "montant" {
			t.Errorf("offre négative : %v", err)
		}
		m = must(s.UpdateOffre(ctx, ia, m.ID, m.Version, m.Lots[0].Offres[0].ID, models.OffreInput{SoumissionnaireID: vendor, Montant: "90 000,50"}))
		if len(m.Lots) != 1 || len(m.Lots[0].Offres) != 1 || m.Lots[0].Offres[0].Montant != 9000050 {
			t.Fatalf("lots et offres corrigés : %+v", m.Lots)
		}
		m = must(s.ChangeMarcheStatut(ctx, ia, m.ID, m.Version, models.StatutMarcheInput{Statut: "en_analyse"}))
		checkLotAward(t, s, who, m, vendor, sol, ecoles)
	})
}

// checkLotAward awards the lot covering two écoles, corrects and removes the award.
func checkLotAward(t *testing.T, s *models.Store, who map[string]models.Actor, m models.MarcheRow, vendor, sol int64, ecoles []string) {
	t.Helper()
	ctx, ia := t.Context(), who["ia93"]
	lot := m.Lots[0].ID
	p := must(s.PreviewAttribution(ctx, ia, m.ID, lot, sol))
	if len(p.Rows) != 2 {
		t.Fatalf("aperçu : %d écoles, attendu 2", len(p.Rows))
	}
	m, _ = must2(s.AttribuerLot(ctx, ia, m.ID, m.Version, models.AttributionInput{LotID: lot, TitulaireID: vendor, SolutionID: sol,
		Montant: "90 000,50", DureeMois: "36", DateDebut: "01/09/2013"}, models.DeploiementGuard{Versions: p.Versions}))
	var n int64
	models.RawDB(s).Table("deploiements").Where("code_insee = '93008' AND solution_id = ?", sol).Count(&n)
	if n != 2 || !m.Lots[0].Appliquee || m.Statut != "attribue" {
		t.Fatalf("attribution : %d écoles avec la solution, appliquée %v, %s", n, m.Lots[0].Appliquee, m.Statut)
	}
	if _, err := s.DeleteLot(ctx, ia, m.ID, m.Version, lot); fieldOf(err) != "lot" {
		t.Errorf("suppression d'un lot attribué : %v", err)
	}
	if _, err := s.UpdateLot(ctx, ia, m.ID, m.Version, lot, models.LotInput{Numero: "1", Intitule: "ENT"}); fieldOf(err) != "ecoles" {
		t.Errorf("écoles d'un lot attribué : %v", err)
	}
	m = must(s.CorrigerAttribution(ctx, ia, m.ID, m.Version, models.AttributionInput{LotID: lot, TitulaireID: vendor,
		Montant: "91 000", DureeMois: "48", DateDebut: "01/09/2013", Reconductions: "1"}))
	if *m.Lots[0].MontantAttribue != 9100000 || *m.Lots[0].DureeMois != 48 || *m.Lots[0].SolutionID != sol {
		t.Errorf("attribution corrigée : %+v", m.Lots[0].MarcheLot)
	}
	eff := must(s.RetraitAttribution(ctx, ia, m.ID, lot))
	if eff.Ecoles != 2 || eff.Gardent != 2 || !eff.Applique {
		t.Errorf("effets du retrait : %+v", eff)
	}
	if _, err := s.RetraitAttribution(ctx, who["bobigny"], m.ID, lot); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("retrait par le référent : %v", err)
	}
	m, res := must2(s.RetirerAttribution(ctx, ia, m.ID, m.Version, lot, true))
	models.RawDB(s).Table("deploiements").Where("uai IN ? AND solution_id IS NULL", ecoles).Count(&n)
	if m.Lots[0].Attribue() || m.Statut != "en_analyse" || len(res.Changed) != 2 || n != 2 {
		t.Errorf("retrait : %+v %s %+v, %d écoles sans solution", m.Lots[0].MarcheLot, m.Statut, res, n)
	}
	if acts := historyActions(t, s, "marche", m.ID); len(acts) < 10 {
		t.Errorf("audit du marché : %v", acts)
	}
	checkLigneMarche(t, s, who, m)
}

// checkLigneMarche: a line of Bobigny's plan pays the market; a plan of Melun cannot name it.
func checkLigneMarche(t *testing.T, s *models.Store, who map[string]models.Actor, m models.MarcheRow) {
	t.Helper()
	ctx, pilote := t.Context(), who["pilote"]
	plan := must(s.CreateFinancement(ctx, pilote, models.FinancementInput{Titre: "Plan de Bobigny", Portage: "commune",
		Departement: "93", Commune: "93008", Cle: "eleves"}))
	melun := must(s.CreateFinancement(ctx, pilote, models.FinancementInput{Titre: "Plan de Melun", Portage: "commune",
		Departement: "77", Commune: "77288", Cle: "eleves"}))
	line := models.LigneInput{Annee: "2013", Financeur: "commune", Nature: "fonctionnement", Prevu: "1 000,50", MarcheID: m.ID}
	if _, err := s.AddLigne(ctx, pilote, melun.ID, line); fieldOf(err) != "marche" {
		t.Errorf("ligne de Melun sur un marché de Bobigny : %v", err)
	}
	must(s.AddLigne(ctx, pilote, plan.ID, line))
	line.Realise = "500"
	must(s.AddLigne(ctx, pilote, plan.ID, line))
	f := must(s.FinancementsOfMarche(ctx, who["ia93"].Scope, m.ID))
	if len(f.Lignes) != 2 || f.Prevu != 200100 || f.Realise != 50000 {
		t.Errorf("financements du marché : %+v", f)
	}
	if f := must(s.FinancementsOfMarche(ctx, who["ia77"].Scope, m.ID)); len(f.Lignes) != 0 {
		t.Errorf("financements lus par l'IA du 77 : %+v", f)
	}
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}
