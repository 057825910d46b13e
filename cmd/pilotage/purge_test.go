package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func TestPurgeCommand(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			url := e.URL(t, true)
			sys := models.SystemActor("test")
			// Contacts written with a fake clock: one four years ago, one a year ago.
			at := time.Now().AddDate(-4, 0, 0)
			store, err := models.Open(ctx, url, models.Options{Now: func() time.Time { return at }})
			if err != nil {
				t.Fatal(err)
			}
			org, err := store.CreateOrganisation(ctx, sys, models.OrganisationInput{Kind: models.OrgCommune, Commune: "93008"})
			if err != nil {
				t.Fatal(err)
			}
			old, err := store.CreateContact(ctx, sys, models.ContactInput{OrganisationID: org.ID, Nom: "Ancienne", Prenom: "Zoé", Email: "zoe@bobigny.fr"})
			if err != nil {
				t.Fatal(err)
			}
			at = time.Now().AddDate(-1, 0, 0)
			recent, err := store.CreateContact(ctx, sys, models.ContactInput{OrganisationID: org.ID, Nom: "Récente", Email: "recente@bobigny.fr"})
			if err != nil {
				t.Fatal(err)
			}
			store.Close()

			check := func(id int64, anonymised bool) {
				t.Helper()
				s, err := models.Open(ctx, url, models.Options{})
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				exp, err := s.ExportPerson(ctx, sys, id)
				if err != nil {
					t.Fatal(err)
				}
				if got := exp.Contact.AnonymisedAt != nil && exp.Contact.Email == "" && exp.Contact.Nom == models.AnonymisedName; got != anonymised {
					t.Errorf("contact n° %d : %+v, anonymisé attendu %v", id, exp.Contact, anonymised)
				}
			}

			if _, _, err := run(t, url, "purge", "--anciennete", "trois ans"); err == nil || !strings.Contains(err.Error(), "invalide") {
				t.Errorf("durée invalide : %v", err)
			}
			out, _, err := run(t, url, "purge", "--dry-run")
			if err != nil || !strings.Contains(out, "Simulation : 1 contact(s)") || !strings.Contains(out, "Bobigny") {
				t.Fatalf("simulation : %v\n%s", err, out)
			}
			if strings.Contains(out, "Ancienne") || strings.Contains(out, "zoe@") {
				t.Errorf("la sortie ne nomme pas les personnes :\n%s", out)
			}
			check(old.ID, false)
			out, _, err = run(t, url, "purge")
			if err != nil || !strings.Contains(out, "1 contact(s) sans mise à jour") {
				t.Fatalf("purge : %v\n%s", err, out)
			}
			check(old.ID, true)
			check(recent.ID, false)
			// A shorter retention period takes the recent one too; a second run finds nothing.
			if out, _, err = run(t, url, "purge", "--anciennete", "6mois"); err != nil || !strings.Contains(out, "1 contact(s)") {
				t.Errorf("purge à 6 mois : %v\n%s", err, out)
			}
			check(recent.ID, true)
			if out, _, err = run(t, url, "purge", "--anciennete", "6mois"); err != nil || !strings.Contains(out, "0 contact(s)") {
				t.Errorf("seconde purge : %v\n%s", err, out)
			}
		})
	}
}
