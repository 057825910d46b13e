package seeds_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// imports returns the import events of the audit log, oldest first.
func imports(t *testing.T, s *models.Store) []models.AuditEvent {
	t.Helper()
	var out []models.AuditEvent
	err := s.EachAudit(t.Context(), models.SystemActor("test"), models.AuditFilter{Action: "import"}, func(ev models.AuditEvent) error {
		out = append([]models.AuditEvent{ev}, out...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// counted returns the counts an import event records.
func counted(ev models.AuditEvent) models.ImportCounts {
	var c models.ImportCounts
	for _, ch := range ev.ChangeList() {
		n, _ := strconv.Atoi(ch.New)
		switch ch.Field {
		case "crees":
			c.Created = n
		case "mis_a_jour":
			c.Updated = n
		case "inchanges":
			c.Unchanged = n
		}
	}
	return c
}

func TestLoadReferenceAudit(t *testing.T) {
	dbtest.EachEmpty(t, func(t *testing.T, s *models.Store) {
		steps, err := seeds.LoadReference(t.Context(), s)
		if err != nil {
			t.Fatal(err)
		}
		events := imports(t, s)
		if len(events) != len(steps) {
			t.Fatalf("%d événements pour %d fichiers chargés", len(events), len(steps))
		}
		entities := map[string]string{"EPCI": "epci", "EPT": "epci", "communes": "communes", "écoles": "ecoles"}
		for i, st := range steps {
			ev := events[i]
			want, ok := entities[st.Name]
			if !ok {
				want = "referentiel"
			}
			if ev.Entity != want || ev.EntityID != "" || ev.Actor != "système (référentiel)" || ev.ActorID != nil {
				t.Errorf("%s : événement %s/%q par %q", st.Name, ev.Entity, ev.EntityID, ev.Actor)
			}
			if got := counted(ev); got != st.Counts {
				t.Errorf("%s : le journal compte %v, l'import %v", st.Name, got, st.Counts)
			}
		}

		// Loading again changes nothing and records nothing.
		if _, err := seeds.LoadReference(t.Context(), s); err != nil {
			t.Fatal(err)
		}
		if n := len(imports(t, s)); n != len(steps) {
			t.Errorf("%d événements après un second chargement, attendu %d", n, len(steps))
		}
	})
}

func TestImportFilesPassTheActor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		before := len(imports(t, s))
		cli := models.SystemActor("ligne de commande")
		if _, counts, err := seeds.ImportCommunesFile(t.Context(), s, strings.NewReader(communeHeader+creteil("1234")),
			models.ImportOptions{Actor: cli}); err != nil || counts.Updated != 1 {
			t.Fatalf("communes : %v, %v", counts, err)
		}
		data := ecoleHeader + uai("0940999") + ";École du journal;elementaire;public;94028;100;4;\n"
		if _, counts, err := importEcoles(t, s, data, models.ImportOptions{Actor: cli}); err != nil || counts.Created != 1 {
			t.Fatalf("écoles : %v, %v", counts, err)
		}
		// A dry run and a refused file record nothing.
		if _, _, err := importEcoles(t, s, ecoleHeader+uai("0940998")+";École d'essai;elementaire;public;94028;100;4;\n",
			models.ImportOptions{Actor: cli, DryRun: true}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := importEcoles(t, s, data+wrongUAI("0940997")+";École fausse;elementaire;public;94028;1;1;\n",
			models.ImportOptions{Actor: cli}); err == nil {
			t.Fatal("import d'une UAI fausse accepté")
		}
		events := imports(t, s)[before:]
		if len(events) != 2 {
			t.Fatalf("%d événements, attendu 2 (communes, écoles)", len(events))
		}
		for i, entity := range []string{"communes", "ecoles"} {
			if ev := events[i]; ev.Entity != entity || ev.Actor != "système (ligne de commande)" {
				t.Errorf("événement %d : %s par %q", i, ev.Entity, ev.Actor)
			}
		}
	})
}
