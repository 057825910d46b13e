package models_test

import (
	"errors"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// newAdmin creates an administrator and returns it with its actor.
func newAdmin(t *testing.T, s *models.Store, email string) (models.User, models.Actor) {
	t.Helper()
	u, err := s.CreateUser(t.Context(), models.SystemActor("test"), models.UserInput{Email: email, Nom: "Admin " + email, Role: models.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	return u, models.ActorFor(u, models.AcademieScope(), "req-"+email)
}

// fieldMessage returns the message of field in a validation error, "" if there is none.
func fieldMessage(err error, field string) string {
	var verr *models.ValidationError
	if !errors.As(err, &verr) {
		return ""
	}
	for _, fe := range verr.Errors {
		if fe.Field == field {
			return fe.Msg
		}
	}
	return ""
}

func TestUpdateUserConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		_, alice := newAdmin(t, s, "alice@ac-creteil.fr")
		_, bob := newAdmin(t, s, "bob@ac-creteil.fr")
		u, err := s.CreateUser(ctx, alice, models.UserInput{Email: "ia93@ac-creteil.fr", Nom: "IA 93", Role: models.RoleIA, Departement: "93"})
		if err != nil {
			t.Fatal(err)
		}
		loaded := u.Version
		if _, err := s.UpdateUser(ctx, alice, u.ID, loaded, models.UserInput{Email: "ia93@ac-creteil.fr", Nom: "Première version", Role: models.RoleIA, Departement: "93"}); err != nil {
			t.Fatal(err)
		}
		_, err = s.UpdateUser(ctx, bob, u.ID, loaded, models.UserInput{Email: "autre@ac-creteil.fr", Nom: "Seconde version", Role: models.RoleIA, Departement: "94"})
		var ce *models.ConflictError
		if !errors.As(err, &ce) || !errors.Is(err, models.ErrConflict) {
			t.Fatalf("mise à jour périmée : %v, attendu *ConflictError", err)
		}
		cur, ok := ce.Current.(models.User)
		if ce.By != alice.Name || ce.At.IsZero() || !ok || cur.Nom != "Première version" || cur.Version != loaded+1 {
			t.Errorf("conflit : par %q le %v, actuel %+v", ce.By, ce.At, ce.Current)
		}
		got, err := s.GetUser(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Nom != "Première version" || got.Email != "ia93@ac-creteil.fr" || *got.DepartementCode != "93" || got.Version != loaded+1 {
			t.Errorf("la mise à jour périmée a écrit : %+v", got)
		}
		if ev := historyActions(t, s, "utilisateur", u.ID); !slices.Equal(ev, []string{"creation", "modification"}) {
			t.Errorf("événements %v, attendu création puis une modification", ev)
		}
	})
}

func TestUpdateUserZeroValuesPersist(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		_, admin := newAdmin(t, s, "admin@ac-creteil.fr")
		u, err := s.CreateUser(ctx, admin, models.UserInput{Email: "ref@ville.fr", Nom: "Référent", Role: models.RoleReferent,
			Communes: []string{"93048", "93008", " 93008 "}, Departement: "93"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(u.Communes, []string{"93008", "93048"}) || u.DepartementCode != nil {
			t.Fatalf("création : communes %v, département %v", u.Communes, u.DepartementCode)
		}
		steps := []struct {
			name  string
			in    models.UserInput
			check func(models.User) bool
		}{
			{"une commune de moins", models.UserInput{Role: models.RoleReferent, Communes: []string{"93008"}},
				func(u models.User) bool { return slices.Equal(u.Communes, []string{"93008"}) }},
			{"un EPCI à la place des communes", models.UserInput{Role: models.RoleReferent, EPCI: "200057875", Communes: []string{"93008"}},
				func(u models.User) bool {
					return len(u.Communes) == 0 && u.EPCISiren != nil && *u.EPCISiren == "200057875"
				}},
			{"IA-DASEN : plus d'EPCI", models.UserInput{Role: models.RoleIA, Departement: "94", EPCI: "200057875"},
				func(u models.User) bool {
					return u.EPCISiren == nil && u.DepartementCode != nil && *u.DepartementCode == "94"
				}},
			{"pilote : aucun périmètre propre", models.UserInput{Role: models.RolePilote, Departement: "94"},
				func(u models.User) bool {
					return u.DepartementCode == nil && u.CodeCirconscription == nil && u.EPCISiren == nil && len(u.Communes) == 0
				}},
		}
		version := u.Version
		for _, st := range steps {
			st.in.Email, st.in.Nom = "ref@ville.fr", "Référent"
			if _, err := s.UpdateUser(ctx, admin, u.ID, version, st.in); err != nil {
				t.Fatalf("%s : %v", st.name, err)
			}
			got, err := s.GetUser(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !st.check(got) {
				t.Errorf("%s : lu %+v (communes %v)", st.name, got, got.Communes)
			}
			version = got.Version
		}
	})
}

func TestUserAuditInSameTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		_, admin := newAdmin(t, s, "admin@ac-creteil.fr")
		all := func() int64 {
			page, err := s.ListAudit(ctx, admin, models.AuditFilter{}, models.PageRequest{})
			if err != nil {
				t.Fatal(err)
			}
			return page.Total
		}
		before := all()
		bad := []models.UserInput{
			{Email: "pas-une-adresse", Nom: "X", Role: models.RolePilote},
			{Email: "ia@ac-creteil.fr", Nom: "IA sans département", Role: models.RoleIA},
			{Email: "x@ac-creteil.fr", Nom: "Nom \xff invalide", Role: models.RolePilote},
			{Email: "admin@ac-creteil.fr", Nom: "Doublon", Role: models.RolePilote},
		}
		for _, in := range bad {
			if _, err := s.CreateUser(ctx, admin, in); fieldMessage(err, "email")+fieldMessage(err, "nom")+fieldMessage(err, "departement") == "" {
				t.Errorf("création %+v : %v, attendu une erreur de champ en français", in, err)
			}
		}
		u, err := s.CreateUser(ctx, admin, models.UserInput{Email: "ien@ac-creteil.fr", Nom: "IEN", Role: models.RolePilote})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.UpdateUser(ctx, admin, u.ID, u.Version, models.UserInput{Email: "ien@ac-creteil.fr", Nom: "IEN", Role: models.RoleIEN, Circonscription: "inconnue"})
		if fieldMessage(err, "circonscription") == "" {
			t.Errorf("circonscription inconnue : %v", err)
		}
		if got := all(); got != before+1 {
			t.Errorf("%d événements écrits, attendu 1 (la seule création réussie)", got-before)
		}
		if got, _ := s.GetUser(ctx, u.ID); got.Version != u.Version || got.Role != models.RolePilote {
			t.Errorf("la modification refusée a écrit : %+v", got)
		}
	})
}

func TestKeepOneAdmin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		a, alice := newAdmin(t, s, "alice@ac-creteil.fr")
		system := models.SystemActor("test")
		if err := s.SetUserActive(ctx, system, a.ID, false); fieldMessage(err, "active") == "" {
			t.Errorf("désactiver le dernier administrateur : %v", err)
		}
		if _, err := s.UpdateUser(ctx, system, a.ID, a.Version, models.UserInput{Email: a.Email, Nom: a.Nom, Role: models.RolePilote}); fieldMessage(err, "role") == "" {
			t.Errorf("retirer le rôle du dernier administrateur : %v", err)
		}
		if err := s.ArchiveUser(ctx, system, a.ID); fieldMessage(err, "archive") == "" {
			t.Errorf("archiver le dernier administrateur : %v", err)
		}
		b, bob := newAdmin(t, s, "bob@ac-creteil.fr")
		if err := s.SetUserActive(ctx, alice, a.ID, false); fieldMessage(err, "active") == "" {
			t.Errorf("se désactiver soi-même : %v", err)
		}
		if err := s.ArchiveUser(ctx, alice, a.ID); fieldMessage(err, "archive") == "" {
			t.Errorf("s'archiver soi-même : %v", err)
		}
		if err := s.SetUserActive(ctx, alice, b.ID, false); err != nil {
			t.Fatalf("désactiver un second administrateur : %v", err)
		}
		if err := s.SetUserActive(ctx, bob, a.ID, false); err == nil {
			t.Error("un administrateur désactivé a désactivé le dernier actif")
		}
		if n, _ := s.CountAdmins(ctx); n != 1 {
			t.Errorf("%d administrateurs actifs, attendu 1", n)
		}
		// An inactive administrator is no longer counted: it can be archived.
		if err := s.ArchiveUser(ctx, alice, b.ID); err != nil {
			t.Errorf("archiver un administrateur désactivé : %v", err)
		}
		pilote, err := s.CreateUser(ctx, system, models.UserInput{Email: "p@ac-creteil.fr", Nom: "P", Role: models.RolePilote})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ArchiveUser(ctx, models.ActorFor(pilote, models.AcademieScope(), ""), a.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("archivage par un pilote : %v", err)
		}
	})
}

// TestArchiveLastAdminsConcurrently: two administrators archive each other at the same
// time; one of them must remain.
func TestArchiveLastAdminsConcurrently(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		type admin struct {
			user  models.User
			actor models.Actor
		}
		var pair [2]admin
		for i := range pair {
			pair[i].user, pair[i].actor = newAdmin(t, s, "admin"+strconv.Itoa(i)+"@ac-creteil.fr")
		}
		for round := range 5 {
			var wg sync.WaitGroup
			errs := make([]error, 2)
			wg.Go(func() { errs[0] = s.ArchiveUser(t.Context(), pair[0].actor, pair[1].user.ID) })
			wg.Go(func() { errs[1] = s.ArchiveUser(t.Context(), pair[1].actor, pair[0].user.ID) })
			wg.Wait()
			if (errs[0] == nil) == (errs[1] == nil) {
				t.Fatalf("tour %d : %v / %v, attendu exactement un archivage", round, errs[0], errs[1])
			}
			if n, _ := s.CountAdmins(t.Context()); n != 1 {
				t.Fatalf("tour %d : %d administrateurs actifs", round, n)
			}
			// The survivor and a new administrator make the next pair.
			if errs[0] != nil {
				pair[0] = pair[1]
			}
			pair[1].user, pair[1].actor = newAdmin(t, s, "admin"+strconv.Itoa(round+2)+"@ac-creteil.fr")
		}
	})
}

func TestArchiveRestoreUser(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		_, admin := newAdmin(t, s, "admin@ac-creteil.fr")
		u := userWithPassword(t, s, admin, models.UserInput{Email: "ia@ac-creteil.fr", Nom: "IA 77", Role: models.RoleIA, Departement: "77"},
			"une phrase de passe solide")
		session, err := s.CreateSession(ctx, u.ID, "192.0.2.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		token, err := s.CreateAPIToken(ctx, models.ActorFor(u, models.AcademieScope(), ""), u.ID, "script")
		if err != nil {
			t.Fatal(err)
		}
		link, err := s.CreatePasswordLink(ctx, admin, u.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		stale, _ := s.GetUser(ctx, u.ID)

		if err := s.ArchiveUser(ctx, admin, u.ID); err != nil {
			t.Fatal(err)
		}
		checkUserArchived(t, s, admin, u, session, token, stale.Version)

		// The email is free again; restoring the old account is then refused.
		other, err := s.CreateUser(ctx, admin, models.UserInput{Email: "IA@ac-creteil.fr", Nom: "Nouvel IA 77", Role: models.RoleIA, Departement: "77"})
		if err != nil {
			t.Fatalf("réutiliser l'adresse d'un compte archivé : %v", err)
		}
		if _, err := s.RestoreUser(ctx, admin, u.ID); fieldMessage(err, "email") == "" {
			t.Errorf("restauration malgré un compte vivant à la même adresse : %v", err)
		}
		if err := s.ArchiveUser(ctx, admin, other.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.RestoreUser(ctx, admin, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Nom != "IA 77" || !got.Active || got.ArchivedAt != nil || *got.DepartementCode != "77" {
			t.Errorf("compte restauré : %+v", got)
		}
		if _, err := s.RestoreUser(ctx, admin, u.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("restaurer un compte vivant : %v", err)
		}
		// Archiving ended the old ways in: they do not come back with the account.
		if _, err := s.TokenUser(ctx, token); err == nil {
			t.Error("le jeton revient avec le compte restauré")
		}
		if _, err := s.CheckLink(ctx, link, models.LinkPassword); err == nil {
			t.Error("le lien de mot de passe revient avec le compte restauré")
		}
		if _, err := s.UpdateUser(ctx, admin, u.ID, stale.Version, models.UserInput{Email: u.Email, Nom: "Revenant", Role: models.RolePilote}); !errors.Is(err, models.ErrConflict) {
			t.Errorf("formulaire d'avant l'archivage : %v, attendu un conflit", err)
		}
		if ev := historyActions(t, s, "utilisateur", u.ID); !slices.Equal(ev[len(ev)-2:], []string{"archivage", "restauration"}) {
			t.Errorf("événements %v", ev)
		}
		if _, err := s.Authenticate(ctx, "ia@ac-creteil.fr", "une phrase de passe solide", "192.0.2.1"); err != nil {
			t.Errorf("connexion après restauration : %v", err)
		}
	})
}

// checkUserArchived checks the archived account u is no longer read nor listed among the
// live ones, its session and token (session, token) no longer let it in, nor its password,
// and a form of its version stale, or a second archiving, find nothing.
func checkUserArchived(t *testing.T, s *models.Store, admin models.Actor, u models.User, session, token string, stale int) {
	t.Helper()
	ctx := t.Context()
	if _, err := s.GetUser(ctx, u.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("compte archivé lu : %v", err)
	}
	live, _ := s.ListUsers(ctx, admin, models.UserFilter{}, models.PageRequest{})
	archived, _ := s.ListUsers(ctx, admin, models.UserFilter{Archived: true}, models.PageRequest{})
	if live.Total != 1 || archived.Total != 1 || archived.Items[0].ID != u.ID {
		t.Errorf("listes : %d comptes vivants, %d archivés", live.Total, archived.Total)
	}
	if _, err := s.SessionUser(ctx, session, models.SessionLimits{}); err == nil {
		t.Error("la session d'un compte archivé reste ouverte")
	}
	if _, err := s.TokenUser(ctx, token); err == nil {
		t.Error("le jeton d'un compte archivé reste valable")
	}
	if _, err := s.Authenticate(ctx, "ia@ac-creteil.fr", "une phrase de passe solide", "192.0.2.1"); !errors.Is(err, models.ErrBadCredentials) {
		t.Errorf("connexion d'un compte archivé : %v", err)
	}
	if _, err := s.UpdateUser(ctx, admin, u.ID, stale, models.UserInput{Email: u.Email, Nom: "Revenant", Role: models.RolePilote}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("un formulaire périmé modifie un compte archivé : %v", err)
	}
	if err := s.ArchiveUser(ctx, admin, u.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("archiver deux fois : %v", err)
	}
}

// TestPasswordChangeKeepsAccountForm: a new password does not make an administrator's open
// form of the account stale (the version guards name, role and scope, not the password).
func TestPasswordChangeKeepsAccountForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		_, admin := newAdmin(t, s, "admin@ac-creteil.fr")
		u := userWithPassword(t, s, admin, models.UserInput{Email: "ia93@ac-creteil.fr", Nom: "IA 93", Role: models.RoleIA, Departement: "93"},
			"une phrase de passe assez longue pour passer")
		if _, err := s.UpdateUser(ctx, admin, u.ID, u.Version, models.UserInput{Email: "ia93@ac-creteil.fr", Nom: "IA 93 renommé",
			Role: models.RoleIA, Departement: "93"}); err != nil {
			t.Errorf("formulaire ouvert avant le changement de mot de passe : %v", err)
		}
	})
}
