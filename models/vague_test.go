package models_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestVagueValidation: every field's French message.
func TestVagueValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pilote := worldActors(t, s)["pilote"]
		cases := []struct {
			in           models.VagueInput
			field, wants string
		}{
			{models.VagueInput{AnneeScolaire: "2013-2014", OuverturePrevue: "02/09/2013"}, "nom", "Le nom est obligatoire."},
			{models.VagueInput{Nom: "V", AnneeScolaire: "2013-2015", OuverturePrevue: "02/09/2013"}, "annee_scolaire", "les deux années doivent se suivre"},
			{models.VagueInput{Nom: "V", AnneeScolaire: "2013/2014", OuverturePrevue: "02/09/2013"}, "annee_scolaire", "AAAA-AAAA"},
			{models.VagueInput{Nom: "V", AnneeScolaire: "", OuverturePrevue: "02/09/2013"}, "annee_scolaire", "obligatoire"},
			{models.VagueInput{Nom: "V", AnneeScolaire: "2013-2014", OuverturePrevue: "31/02/2013"}, "ouverture_prevue", "Date invalide"},
			{models.VagueInput{Nom: "V", AnneeScolaire: "2013-2014"}, "ouverture_prevue", "obligatoire"},
			{models.VagueInput{Nom: "V", AnneeScolaire: "2013-2014", OuverturePrevue: "02/09/2013", Departement: "75"}, "departement", "Département inconnu"},
			{models.VagueInput{Nom: "V", AnneeScolaire: "2013-2014", OuverturePrevue: "02/09/2013", CibleEcoles: "-3"}, "cible", "nombre entier"},
			{models.VagueInput{Nom: "V", AnneeScolaire: "2013-2014", OuverturePrevue: "02/09/2013", CibleEcoles: "douze"}, "cible", "nombre entier"},
		}
		for _, c := range cases {
			_, err := s.CreateVague(t.Context(), pilote, c.in)
			var verr *models.ValidationError
			if !errors.As(err, &verr) {
				t.Errorf("%+v : %v, attendu une erreur de saisie", c.in, err)
				continue
			}
			if got := fieldMessage(verr, c.field); !strings.Contains(got, c.wants) {
				t.Errorf("%+v : champ %s %q, attendu %q", c.in, c.field, got, c.wants)
			}
		}
	})
}

// TestVagueScope: the académie's waves are read by all, a département's by its scopes;
// an IA-DASEN writes their département's waves only; archived waves leave the lists and
// refuse écoles.
func TestVagueScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		who := worldActors(t, s)
		ia94 := actorOf(t, s, models.UserInput{Email: "ia94@ac-creteil.fr", Nom: "IA 94", Role: models.RoleIA, Departement: "94"})
		ia93 := who["ia93"]
		in := models.VagueInput{Nom: "Vague 94", AnneeScolaire: "2013-2014", OuverturePrevue: "02/09/2013", Departement: "94", CibleEcoles: "40"}
		v94, err := s.CreateVague(ctx, ia94, in)
		if err != nil {
			t.Fatal(err)
		}
		acad, err := s.CreateVague(ctx, who["pilote"], models.VagueInput{Nom: "Vague académique", AnneeScolaire: "2013-2014", OuverturePrevue: "02/09/2013"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateVague(ctx, ia93, in); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("IA 93 crée une vague du 94 : %v", err)
		}
		if _, err := s.CreateVague(ctx, ia93, models.VagueInput{Nom: "A", AnneeScolaire: "2013-2014", OuverturePrevue: "02/09/2013"}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("IA 93 crée une vague académique : %v", err)
		}
		if _, err := s.GetVague(ctx, ia93.Scope, v94.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 lit la vague du 94 : %v", err)
		}
		if _, err := s.UpdateVague(ctx, ia93, v94.ID, v94.Version, in); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 modifie la vague du 94 : %v", err)
		}
		if _, err := s.GetVague(ctx, ia93.Scope, acad.ID); err != nil {
			t.Errorf("IA 93 ne lit pas la vague académique : %v", err)
		}
		if _, err := s.UpdateVague(ctx, ia93, acad.ID, acad.Version, models.VagueInput{Nom: "X", AnneeScolaire: "2013-2014", OuverturePrevue: "02/09/2013"}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("IA 93 modifie la vague académique : %v", err)
		}
		// Moving its wave to the 93 is refused to the IA 94.
		moved := in
		moved.Departement = "93"
		if _, err := s.UpdateVague(ctx, ia94, v94.ID, v94.Version, moved); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("IA 94 déplace sa vague dans le 93 : %v", err)
		}
		in.Nom = "Vague 94 bis"
		if _, err := s.UpdateVague(ctx, ia94, v94.ID, 99, in); !errors.As(err, new(*models.ConflictError)) {
			t.Errorf("version périmée : %v", err)
		}
		up, err := s.UpdateVague(ctx, ia94, v94.ID, v94.Version, in)
		if err != nil || up.Nom != "Vague 94 bis" || up.Version != 2 || *up.CibleEcoles != 40 {
			t.Fatalf("modification : %+v, %v", up, err)
		}
		page, err := s.ListVagueRows(ctx, ia93.Scope, models.VagueFilter{}, models.PageRequest{})
		if err != nil || page.Total != 1 || page.Items[0].ID != acad.ID {
			t.Errorf("liste de l'IA 93 : %+v, %v", page, err)
		}
		checkVagueArchive(t, s, who["pilote"], ia94, up)
	})
}

// checkVagueArchive archives the wave v and checks that it leaves the list and refuses
// écoles, then restores it.
func checkVagueArchive(t *testing.T, s *models.Store, pilote, ia94 models.Actor, v models.VagueRow) {
	t.Helper()
	ctx := t.Context()
	if err := s.ArchiveVague(ctx, ia94, v.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetVague(ctx, ia94.Scope, v.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("vague archivée encore lue : %v", err)
	}
	archived, err := s.ListVagueRows(ctx, ia94.Scope, models.VagueFilter{Archived: true}, models.PageRequest{})
	if err != nil || archived.Total != 1 {
		t.Errorf("vagues archivées : %+v, %v", archived, err)
	}
	uai := ecolesOf(t, s, "94028", 1)[0]
	_, err = s.ChangeDeploiements(ctx, pilote, []models.DeploiementEdit{{UAI: uai, VagueID: &v.ID}}, models.DeploiementGuard{})
	var verr *models.ValidationError
	if !errors.As(err, &verr) {
		t.Errorf("école mise dans une vague archivée : %v", err)
	}
	if err := s.RestoreVague(ctx, ia94, v.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ChangeDeploiements(ctx, pilote, []models.DeploiementEdit{{UAI: uai, VagueID: &v.ID, Phase: "ouvert"}}, models.DeploiementGuard{}); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetVague(ctx, ia94.Scope, v.ID)
	if err != nil || got.NbEcoles != 1 || got.NbOuvertes != 1 || got.NbCommunes != 1 || got.ShareOuvertes() != 1 {
		t.Errorf("chiffres de la vague : %+v, %v", got.VagueFigures, err)
	}
	if acts := historyActions(t, s, "vague", v.ID); len(acts) != 4 || acts[2] != "archivage" || acts[3] != "restauration" {
		t.Errorf("historique : %v", acts)
	}
}

// TestSolutions: only the pilotes and administrators write the solutions; the éditeur must
// be an organisation of kind editeur_ent; the row counts the écoles using it.
func TestSolutions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		who := worldActors(t, s)
		sys := models.SystemActor("test")
		ed := mustOK(s.CreateOrganisation(ctx, sys, models.OrganisationInput{Kind: models.OrgEditeurENT, Nom: "Éditeur essai"}))
		rect := mustOK(s.CreateOrganisation(ctx, sys, models.OrganisationInput{Kind: models.OrgRectorat, Nom: "Rectorat essai"}))
		in := models.SolutionInput{Produit: "ENT essai", Editeur: idString(ed.ID), Federation: "educonnect"}
		if _, err := s.CreateSolution(ctx, who["ia93"], in); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("IA crée une solution : %v", err)
		}
		bad := in
		bad.Editeur, bad.Federation = idString(rect.ID), "cas"
		_, err := s.CreateSolution(ctx, who["pilote"], bad)
		var verr *models.ValidationError
		if !errors.As(err, &verr) || !strings.Contains(fieldMessage(verr, "editeur"), "Éditeur d'ENT") || fieldMessage(verr, "federation") == "" {
			t.Fatalf("éditeur et fédération invalides : %v", err)
		}
		sol, err := s.CreateSolution(ctx, who["pilote"], in)
		if err != nil || sol.EditeurNom != "Éditeur essai" || sol.FederationLabel() != "ÉduConnect" {
			t.Fatalf("création : %+v, %v", sol, err)
		}
		uais := ecolesOf(t, s, "93008", 2)
		var edits []models.DeploiementEdit
		for _, u := range uais {
			edits = append(edits, models.DeploiementEdit{UAI: u, SolutionID: &sol.ID})
		}
		if _, err := s.ChangeDeploiements(ctx, who["pilote"], edits, models.DeploiementGuard{}); err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]int64{"ia93": 2, "ia77": 0} {
			got, err := s.GetSolution(ctx, who[name].Scope, sol.ID)
			if err != nil || got.NbEcoles != want || (want > 0 && got.NbCommunes != 1) {
				t.Errorf("%s : %d écoles, attendu %d (%v)", name, got.NbEcoles, want, err)
			}
		}
		in.Version = "2.1"
		if _, err := s.UpdateSolution(ctx, who["amif"], sol.ID, sol.Version, in); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("AMIF modifie une solution : %v", err)
		}
		up, err := s.UpdateSolution(ctx, who["admin"], sol.ID, sol.Version, in)
		if err != nil || up.VersionProduit != "2.1" || up.Version != 2 {
			t.Errorf("modification : %+v, %v", up, err)
		}
		if err := s.ArchiveSolution(ctx, who["pilote"], sol.ID); err != nil {
			t.Fatal(err)
		}
		if list, err := s.ListSolutions(ctx, who["ia93"].Scope); err != nil || len(list) != 0 {
			t.Errorf("solutions après archivage : %v, %v", list, err)
		}
	})
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

func mustOK[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
