package models_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// auditAdmin reads the audit log in tests.
var auditAdmin = models.SystemActor("test")

// importEvents returns the import events of entity, newest first.
func importEvents(t *testing.T, s *models.Store, entity string) []models.AuditEvent {
	t.Helper()
	p, err := s.ListAudit(t.Context(), auditAdmin, models.AuditFilter{Action: "import", Entity: entity}, models.PageRequest{Size: models.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return p.Items
}

// creteilWith is the commune of Créteil as an import row, with population p.
func creteilWith(p int) models.CommuneInput {
	return models.CommuneInput{Line: 2, CodeINSEE: "94028", Nom: "Créteil", Departement: "94", Population: &p}
}

// changeMap indexes the changes of an event by field.
func changeMap(ev models.AuditEvent) map[string]models.Change {
	out := map[string]models.Change{}
	for _, c := range ev.ChangeList() {
		out[c.Field] = c
	}
	return out
}

func TestImportWritesOneAuditEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		before := len(importEvents(t, s, "communes"))
		actor := models.Actor{Name: "Agent Test (n° 7)", UserID: 7, Role: models.RoleAdmin, Scope: models.AcademieScope(), RequestID: "req-42"}
		counts, err := s.ImportCommunes(ctx, []models.CommuneInput{creteilWith(1234)}, models.ImportOptions{Actor: actor})
		if err != nil || counts != (models.ImportCounts{Updated: 1}) {
			t.Fatalf("import : %v, %v", counts, err)
		}
		events := importEvents(t, s, "communes")
		if len(events) != before+1 {
			t.Fatalf("%d événements d'import, attendu %d", len(events), before+1)
		}
		ev := events[0]
		if ev.Actor != actor.Name || ev.ActorID == nil || *ev.ActorID != 7 || ev.Role != "admin" || ev.Scope != "académie" ||
			ev.RequestID != "req-42" || ev.EntityID != "" || ev.ActionLabel() != "Import" {
			t.Errorf("événement %+v", ev)
		}
		ch := changeMap(ev)
		if ch["crees"].New != "0" || ch["mis_a_jour"].New != "1" || ch["inchanges"].New != "0" ||
			ch["crees"].Label != "Créés" || ch["mis_a_jour"].Label != "Mis à jour" || ch["inchanges"].Label != "Inchangés" {
			t.Errorf("changements %+v", ev.ChangeList())
		}
		if d := time.Since(ev.At); d < -time.Minute || d > time.Hour {
			t.Errorf("date %v", ev.At)
		}

		// The same file again changes nothing and records nothing.
		if counts, err := s.ImportCommunes(ctx, []models.CommuneInput{creteilWith(1234)}, models.ImportOptions{Actor: actor}); err != nil || counts.Unchanged != 1 {
			t.Fatalf("second import : %v, %v", counts, err)
		}
		if n := len(importEvents(t, s, "communes")); n != before+1 {
			t.Errorf("%d événements après un import sans changement, attendu %d", n, before+1)
		}

		// The zero actor is the system.
		if _, err := s.ImportCommunes(ctx, []models.CommuneInput{creteilWith(4321)}, models.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		if ev := importEvents(t, s, "communes")[0]; ev.Actor != "système (import)" || ev.ActorID != nil {
			t.Errorf("acteur par défaut : %q %v", ev.Actor, ev.ActorID)
		}
	})
}

func TestImportAuditSubjects(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		before := len(importEvents(t, s, "referentiel"))
		if _, err := s.ImportDepartements(t.Context(), []models.DepartementInput{{Code: "94", Nom: "Val-de-Marne (test)", Academie: "Créteil"}},
			models.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		events := importEvents(t, s, "referentiel")
		if len(events) != before+1 {
			t.Fatalf("%d événements, attendu %d", len(events), before+1)
		}
		if ch := changeMap(events[0]); ch["donnees"].New != "départements" || ch["donnees"].Label != "Données" || ch["mis_a_jour"].New != "1" {
			t.Errorf("changements %+v", events[0].ChangeList())
		}
	})
}

func TestDryRunAndFailedImportWriteNoAuditEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		before := len(importEvents(t, s, "communes"))
		counts, err := s.ImportCommunes(ctx, []models.CommuneInput{creteilWith(1234)}, models.ImportOptions{DryRun: true})
		if err != nil || counts.Updated != 1 {
			t.Fatalf("essai : %v, %v", counts, err)
		}
		bad := models.CommuneInput{Line: 3, CodeINSEE: "9402", Nom: "Nulle part", Departement: "94"}
		_, err = s.ImportCommunes(ctx, []models.CommuneInput{creteilWith(1234), bad}, models.ImportOptions{})
		var verr *models.ValidationError
		if !errors.As(err, &verr) {
			t.Fatalf("import invalide : %v", err)
		}
		if n := len(importEvents(t, s, "communes")); n != before {
			t.Errorf("%d événements, attendu %d : un essai ou un import refusé ne doit rien journaliser", n, before)
		}
		if c, err := s.GetCommune(ctx, models.AcademieScope(), "94028"); err != nil || c.Population == 1234 {
			t.Errorf("population %d (%v) : l'import refusé a écrit", c.Population, err)
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		if _, err := s.ImportCommunes(t.Context(), []models.CommuneInput{creteilWith(1234)}, models.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		ev := importEvents(t, s, "communes")[0]
		for _, stmt := range []string{
			"UPDATE audit_events SET actor = 'falsifié' WHERE id = ?",
			"DELETE FROM audit_events WHERE id = ?",
			"DELETE FROM audit_events WHERE id >= ?",
		} {
			// The refusal comes from the database's trigger, not from a typo in the statement.
			if err := models.RawExec(s, stmt, ev.ID); err == nil || !strings.Contains(err.Error(), "ajout seul") {
				t.Errorf("%s : %v, attendu le refus du journal en ajout seul", stmt, err)
			}
		}
		if again := importEvents(t, s, "communes")[0]; again.ID != ev.ID || again.Actor != ev.Actor {
			t.Errorf("événement modifié : %+v", again)
		}
	})
}

// clock is a settable fake clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

func TestListAuditFilters(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ck := &clock{}
			s := e.OpenWith(t, true, models.Options{Now: ck.Now})
			ctx := context.Background()
			admin, pilote := auditFilterAccounts(t, s, ck)
			adminActor := models.ActorFor(admin, models.AcademieScope(), "req-1")
			day := func(m time.Month, d int) time.Time { return time.Date(2031, m, d, 0, 0, 0, 0, time.UTC) }
			from := day(1, 1)
			cases := []struct {
				name string
				f    models.AuditFilter
				want []string // actions, newest first
			}{
				{"tout 2031", models.AuditFilter{From: from}, []string{"import", "creation", "creation"}},
				{"auteur", models.AuditFilter{ActorID: admin.ID}, []string{"import", "creation"}},
				{"fiche", models.AuditFilter{Entity: "communes", From: from}, []string{"import"}},
				{"fiche et identifiant", models.AuditFilter{Entity: "utilisateur", EntityID: strconv.FormatInt(pilote.ID, 10)}, []string{"creation"}},
				{"action", models.AuditFilter{Action: "creation", From: from}, []string{"creation", "creation"}},
				// 15/02 23:30 UTC is 16/02 00:30 in Paris: the days are those of the pages.
				{"un jour, inclus", models.AuditFilter{From: day(2, 16), To: day(2, 16)}, []string{"creation"}},
				{"la veille à Paris", models.AuditFilter{From: day(2, 15), To: day(2, 15)}, nil},
				{"jusqu'au", models.AuditFilter{From: from, To: day(2, 14)}, []string{"creation"}},
				{"depuis", models.AuditFilter{From: day(2, 17)}, []string{"import"}},
				{"rien", models.AuditFilter{ActorID: admin.ID, Action: "archivage"}, nil},
			}
			for _, c := range cases {
				checkAuditFilter(t, s, adminActor, c.name, c.f, c.want)
			}

			// Paging, newest first.
			p, err := s.ListAudit(ctx, adminActor, models.AuditFilter{From: from}, models.PageRequest{Number: 2, Size: 2})
			if err != nil || p.Total != 3 || len(p.Items) != 1 || p.Items[0].Action != "creation" || p.Items[0].ActorID != nil {
				t.Errorf("page 2 : %+v (%v)", p, err)
			}

			// Only the admin reads the log.
			piloteActor := models.ActorFor(pilote, models.AcademieScope(), "req-2")
			if _, err := s.ListAudit(ctx, piloteActor, models.AuditFilter{}, models.PageRequest{}); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("ListAudit par un pilote : %v, attendu ErrForbidden", err)
			}
			if err := s.EachAudit(ctx, piloteActor, models.AuditFilter{}, func(models.AuditEvent) error { return nil }); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("EachAudit par un pilote : %v, attendu ErrForbidden", err)
			}
			if _, err := s.ListAudit(ctx, models.Actor{}, models.AuditFilter{}, models.PageRequest{}); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("ListAudit anonyme : %v, attendu ErrForbidden", err)
			}
		})
	}
}

// auditFilterAccounts creates, on days of 2031 far from the loading of the reference data,
// the admin (10/01), the pilote (15/02 23:30 UTC, by the admin) and an import of Créteil by
// the admin (01/03).
func auditFilterAccounts(t *testing.T, s *models.Store, ck *clock) (admin, pilote models.User) {
	t.Helper()
	ctx := context.Background()
	ck.Set(time.Date(2031, 1, 10, 10, 0, 0, 0, time.UTC))
	admin, err := s.CreateUser(ctx, models.SystemActor("test"), models.UserInput{Email: "admin@ac-creteil.fr", Nom: "Admin", Role: models.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	adminActor := models.ActorFor(admin, models.AcademieScope(), "req-1")
	ck.Set(time.Date(2031, 2, 15, 23, 30, 0, 0, time.UTC))
	pilote, err = s.CreateUser(ctx, adminActor, models.UserInput{Email: "pilote@ac-creteil.fr", Nom: "Pilote", Role: models.RolePilote})
	if err != nil {
		t.Fatal(err)
	}
	ck.Set(time.Date(2031, 3, 1, 12, 0, 0, 0, time.UTC))
	if _, err := s.ImportCommunes(ctx, []models.CommuneInput{creteilWith(1234)}, models.ImportOptions{Actor: adminActor}); err != nil {
		t.Fatal(err)
	}
	return admin, pilote
}

// checkAuditFilter checks the log filtered by f lists the actions want, newest first, and
// that EachAudit gives the same events in the same order.
func checkAuditFilter(t *testing.T, s *models.Store, actor models.Actor, name string, f models.AuditFilter, want []string) {
	t.Helper()
	ctx := context.Background()
	p, err := s.ListAudit(ctx, actor, f, models.PageRequest{})
	if err != nil {
		t.Fatalf("%s : %v", name, err)
	}
	var got []string
	for _, ev := range p.Items {
		got = append(got, ev.Action)
	}
	if p.Total != int64(len(want)) || len(got) != len(want) {
		t.Errorf("%s : %v (total %d), attendu %v", name, got, p.Total, want)
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s : %v, attendu %v", name, got, want)
			break
		}
	}
	var each []int64
	if err := s.EachAudit(ctx, actor, f, func(ev models.AuditEvent) error {
		each = append(each, ev.ID)
		return nil
	}); err != nil || len(each) != len(p.Items) {
		t.Errorf("%s : EachAudit %v (%v), attendu %d événements", name, each, err, len(p.Items))
	}
	for i := range each {
		if each[i] != p.Items[i].ID {
			t.Errorf("%s : EachAudit dans un autre ordre que ListAudit", name)
			break
		}
	}
}
