package models_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// keptFiguresAgree fails the test when a figure kept in a table differs from the same
// figure computed from scratch (models.KeptFiguresDiff), after the write named what.
func keptFiguresAgree(t *testing.T, s *models.Store, what string) {
	t.Helper()
	diff, err := models.KeptFiguresDiff(t.Context(), s)
	if err != nil {
		t.Fatalf("%s : %v", what, err)
	}
	if diff != "" {
		t.Errorf("après %s, les chiffres gardés diffèrent des chiffres recalculés :\n%s", what, diff)
	}
}

// sansConvention93 is the number of communes of the 93 without a local convention in force,
// as the IA-DASEN's alerts page and home page count it (both must agree).
func sansConvention93(t *testing.T, s *models.Store, ia93 models.Actor) int {
	t.Helper()
	al, err := s.ConventionAlertesOf(t.Context(), ia93.Scope, models.AlertesSettings{})
	if err != nil {
		t.Fatal(err)
	}
	counts, err := s.ConventionAlertesCounts(t.Context(), ia93.Scope, models.AlertesSettings{})
	if err != nil {
		t.Fatal(err)
	}
	if counts != al.Counts() {
		t.Errorf("compteurs de l'accueil %+v, de la page des alertes %+v", counts, al.Counts())
	}
	return counts.CommunesSansConvention
}

// TestConventionsEnVigueurKeptByEveryWrite: the communes of the local conventions in force
// are kept (conventions_en_vigueur) by every write that moves them: the entry into force,
// a change of the communes, an avenant of prolongation, a commune as a party, the recorded
// expiry, a résiliation, archiving and restoring; after each, the kept rows equal the rows
// recomputed from scratch and the alerts count the communes of the 93 without a convention
// in force as the old query did. A convention whose expiry passes leaves the count the next
// day, without any write.
func TestConventionsEnVigueurKeptByEveryWrite(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			var clock atomic.Int64
			clock.Store(time.Date(2014, 6, 1, 10, 0, 0, 0, time.UTC).Unix())
			s := e.OpenWith(t, true, models.Options{Now: func() time.Time { return time.Unix(clock.Load(), 0) }})
			ctx := t.Context()
			w := newConventionWorld(t, s)
			ia93 := w.actors["ia93"]
			keptFiguresAgree(t, s, "la création des conventions")
			none := sansConvention93(t, s, ia93)
			signConvention(t, s, w, w.bobigny.ID)
			enVigueur := models.TransitionInput{Vers: models.StatutEnVigueur, Date: "01/09/2012"}
			if _, err := s.TransitionConvention(ctx, ia93, w.bobigny.ID, enVigueur); err != nil {
				t.Fatal(err)
			}
			keptFiguresAgree(t, s, "l'entrée en vigueur")
			if n := sansConvention93(t, s, ia93); n != none-1 {
				t.Errorf("Bobigny en vigueur : %d communes sans convention, %d attendues", n, none-1)
			}
			c, err := s.GetConvention(ctx, ia93.Scope, w.bobigny.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.UpdateConvention(ctx, ia93, c.ID, c.Version, models.ConventionInput{Kind: models.ConventionLocale,
				Reference: c.Reference, Titre: c.Titre, Departement: "93", ParentID: w.d93.ID, Communes: "93008 93010",
				DateExpiration: "31/08/2015"}); err != nil {
				t.Fatal(err)
			}
			keptFiguresAgree(t, s, "l'ajout d'une commune")
			if n := sansConvention93(t, s, ia93); n != none-2 {
				t.Errorf("Bobigny et Bondy : %d communes sans convention, %d attendues", n, none-2)
			}
			if _, err := s.CreateAvenant(ctx, ia93, c.ID, models.AvenantInput{Objet: models.AvenantProlongation,
				DateSignature: "01/05/2014", NouvelleExpiration: "31/08/2016"}); err != nil {
				t.Fatal(err)
			}
			keptFiguresAgree(t, s, "l'avenant de prolongation")
			if err := s.AddCommuneParty(ctx, ia93, c.ID, "93010", models.PartyInput{Nom: "Maire de Bondy"}); err != nil {
				t.Fatal(err)
			}
			keptFiguresAgree(t, s, "l'ajout d'une commune partie")
			// The prolonged expiry passes: échue from the next day, before anything is written.
			clock.Store(time.Date(2016, 9, 1, 10, 0, 0, 0, time.UTC).Unix())
			keptFiguresAgree(t, s, "le passage de l'échéance")
			if n := sansConvention93(t, s, ia93); n != none {
				t.Errorf("échue le 31/08/2016 : %d communes sans convention, %d attendues", n, none)
			}
			if _, err := s.ExpireConventions(ctx); err != nil {
				t.Fatal(err)
			}
			keptFiguresAgree(t, s, "l'échéance enregistrée")
			keptThroughResiliationAndArchiving(t, s, w, none)
		})
	}
}

// keptThroughResiliationAndArchiving puts a convention over Bondy in force, then résilie
// and archives it, and archives and restores another one; none is the count of the 93's
// communes without a convention in force when neither is.
func keptThroughResiliationAndArchiving(t *testing.T, s *models.Store, w conventionWorld, none int) {
	t.Helper()
	ctx, ia93 := t.Context(), w.actors["ia93"]
	bondy := newLocaleInForce(t, s, w, "CRE-93-2016-010", "93010")
	if n := sansConvention93(t, s, ia93); n != none-1 {
		t.Errorf("Bondy en vigueur : %d communes sans convention, %d attendues", n, none-1)
	}
	if _, err := s.TransitionConvention(ctx, ia93, bondy, models.TransitionInput{Vers: models.StatutResiliee,
		Date: "01/09/2016", Motif: "Fin du partenariat"}); err != nil {
		t.Fatal(err)
	}
	keptFiguresAgree(t, s, "la résiliation")
	if err := s.ArchiveConvention(ctx, ia93, bondy); err != nil {
		t.Fatal(err)
	}
	keptFiguresAgree(t, s, "l'archivage")
	archived := newLocaleInForce(t, s, w, "CRE-93-2016-011", "93010")
	if err := s.ArchiveConvention(ctx, ia93, archived); err != nil {
		t.Fatal(err)
	}
	keptFiguresAgree(t, s, "l'archivage d'une convention en vigueur")
	if n := sansConvention93(t, s, ia93); n != none {
		t.Errorf("convention archivée : %d communes sans convention, %d attendues", n, none)
	}
	if err := s.RestoreConvention(ctx, ia93, archived); err != nil {
		t.Fatal(err)
	}
	keptFiguresAgree(t, s, "la restauration")
	if n := sansConvention93(t, s, ia93); n != none-1 {
		t.Errorf("convention restaurée : %d communes sans convention, %d attendues", n, none-1)
	}
}

// newLocaleInForce creates a local convention of the 93 over communes, expiring in 2040,
// signed and put in force on 01/09/2016 (the clock must be past it); it returns its id.
func newLocaleInForce(t *testing.T, s *models.Store, w conventionWorld, reference, communes string) int64 {
	t.Helper()
	ia93 := w.actors["ia93"]
	c, err := s.CreateConvention(t.Context(), ia93, models.ConventionInput{Kind: models.ConventionLocale, Reference: reference,
		Titre: "Convention " + reference, Departement: "93", ParentID: w.d93.ID, Communes: communes, DateExpiration: "31/08/2040"})
	if err != nil {
		t.Fatal(err)
	}
	signConvention(t, s, w, c.ID)
	if _, err := s.TransitionConvention(t.Context(), ia93, c.ID, models.TransitionInput{Vers: models.StatutEnVigueur, Date: "01/09/2016"}); err != nil {
		t.Fatal(err)
	}
	keptFiguresAgree(t, s, "l'entrée en vigueur de "+reference)
	return c.ID
}

// TestKeptFiguresAfterImports: the imports of the reference data and the synthetic loader
// (communes, écoles, conventions in bulk) keep every kept figure equal to its recomputation.
func TestKeptFiguresAfterImports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		if _, err := seeds.LoadSynthetic(context.Background(), s, seeds.SyntheticOptions{Communes: 400, Ecoles: 500}); err != nil {
			t.Fatal(err)
		}
		keptFiguresAgree(t, s, "le chargement du territoire synthétique")
		al, err := s.ConventionAlertesCounts(t.Context(), models.AcademieScope(), models.AlertesSettings{})
		if err != nil {
			t.Fatal(err)
		}
		if al.CommunesSansConvention == 0 {
			t.Error("aucune commune sans convention en vigueur dans le territoire synthétique")
		}
	})
}
