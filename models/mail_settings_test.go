package models_test

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// mailSecret is the SMTP password of these tests: it must never come out of the data
// layer but to the mail client.
const mailSecret = "S3cret-SMTP-ne-jamais-afficher"

// TestMailSettings: the administrator alone sets the SMTP server; the settings are checked
// with French messages per field; a stale form is a conflict; the password is kept when the
// field is left empty, removed on request, and never written to the audit log nor printed.
func TestMailSettings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		admin := actorOf(t, s, models.UserInput{Email: "admin@ac-creteil.fr", Nom: "Admin Messagerie", Role: models.RoleAdmin})
		pilote := actorOf(t, s, models.UserInput{Email: "pilote@ac-creteil.fr", Nom: "Pilote", Role: models.RolePilote})

		m, err := s.MailSettings(ctx)
		if err != nil || m.Configured() || m.Version != 0 {
			t.Fatalf("réglages d'une base neuve : %+v, %v", m, err)
		}
		good := models.MailSettingsInput{Host: "smtp.ac-creteil.fr", Security: models.MailSecurityStartTLS,
			Username: "pilotage", Password: mailSecret, FromAddress: "ne-pas-repondre@ac-creteil.fr", FromName: "Pilotage ENT 1D"}
		if _, err := s.SaveMailSettings(ctx, pilote, 0, good); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("pilote : %v, attendu ErrForbidden", err)
		}
		if err := s.DisableMail(ctx, pilote); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("pilote, désactivation : %v, attendu ErrForbidden", err)
		}

		refuseMailSettings(t, s, admin, good)

		m, err = s.SaveMailSettings(ctx, admin, 0, good)
		if err != nil || m.Port != 587 || m.Version != 1 || m.Password != mailSecret || !m.HasPassword() {
			t.Fatalf("création : %+v, %v", m.String(), err)
		}
		if strings.Contains(fmt.Sprintf("%v %+v %s", m, m, m), mailSecret) {
			t.Errorf("le mot de passe s'imprime : %v", m)
		}
		var logged strings.Builder
		slog.New(slog.NewTextHandler(&logged, nil)).Info("réglages", slog.Any("smtp", m))
		if strings.Contains(logged.String(), mailSecret) || !strings.Contains(logged.String(), "smtp.ac-creteil.fr") {
			t.Errorf("journal : %s", logged.String())
		}

		// The password field left empty keeps the password; a stale version changes nothing.
		in := good
		in.Password, in.Port, in.FromName = "", "2525", "Rectorat"
		if m, err = s.SaveMailSettings(ctx, admin, 1, in); err != nil || m.Password != mailSecret || m.Port != 2525 || m.Version != 2 {
			t.Fatalf("modification sans mot de passe : %s, %v", m, err)
		}
		var conflict *models.ConflictError
		if _, err := s.SaveMailSettings(ctx, admin, 1, good); !errors.As(err, &conflict) || !strings.Contains(conflict.By, "Admin Messagerie") {
			t.Errorf("formulaire périmé : %v (%+v)", err, conflict)
		} else if cur, ok := conflict.Current.(models.MailSettings); !ok || cur.Port != 2525 || cur.Password != "" {
			t.Errorf("valeurs actuelles du conflit : %+v (le mot de passe n'y figure pas)", conflict.Current)
		}

		// Clearing the password needs no username either; plain SMTP then passes.
		in = models.MailSettingsInput{Host: "relais.ac-creteil.fr", Security: models.MailSecurityNone, ClearPassword: true,
			FromAddress: "ne-pas-repondre@ac-creteil.fr"}
		if m, err = s.SaveMailSettings(ctx, admin, 2, in); err != nil || m.Password != "" || m.Port != 25 || m.Username != "" {
			t.Fatalf("relais interne : %s, %v", m, err)
		}

		if err := s.DisableMail(ctx, admin); err != nil {
			t.Fatal(err)
		}
		if m, err = s.MailSettings(ctx); err != nil || m.Configured() {
			t.Errorf("après désactivation : %s, %v", m, err)
		}

		checkMailAudit(t, s, admin, pilote)
	})
}

// refuseMailSettings checks the settings are checked with a French message per field:
// good with one thing wrong is refused.
func refuseMailSettings(t *testing.T, s *models.Store, admin models.Actor, good models.MailSettingsInput) {
	t.Helper()
	ctx := t.Context()
	for _, c := range []struct {
		name  string
		edit  func(in *models.MailSettingsInput)
		field string
		msg   string
	}{
		{"serveur vide", func(in *models.MailSettingsInput) { in.Host = "" }, "host", "Le serveur SMTP est obligatoire"},
		{"URL", func(in *models.MailSettingsInput) { in.Host = "smtp://smtp.ac-creteil.fr:587" }, "host", "sans « smtp:// » ni port"},
		{"port", func(in *models.MailSettingsInput) { in.Port = "70000" }, "port", "entre 1 et 65535"},
		{"sécurité", func(in *models.MailSettingsInput) { in.Security = "ssl3" }, "security", "Choisissez la sécurité"},
		{"en clair", func(in *models.MailSettingsInput) { in.Security = models.MailSecurityNone }, "security", "circuleraient en clair"},
		{"sans mot de passe", func(in *models.MailSettingsInput) { in.Password = "" }, "password", "Saisissez le mot de passe"},
		{"expéditeur", func(in *models.MailSettingsInput) { in.FromAddress = "Pilotage <x@ac-creteil.fr>" }, "from_address", "une adresse électronique seule"},
		{"en-tête", func(in *models.MailSettingsInput) { in.FromName = "Pilotage\r\nBcc: x@example.org" }, "from_name", "caractères invalides"},
	} {
		in := good
		c.edit(&in)
		_, err := s.SaveMailSettings(ctx, admin, 0, in)
		var verr *models.ValidationError
		if !errors.As(err, &verr) || len(verr.Errors) != 1 || verr.Errors[0].Field != c.field || !strings.Contains(verr.Errors[0].Msg, c.msg) {
			t.Errorf("%s : %v, attendu %s : %s", c.name, err, c.field, c.msg)
		}
	}
}

// checkMailAudit checks the four changes are in the audit log, the password's only as
// "modifié" and "effacé", and that only the administrator reads it.
func checkMailAudit(t *testing.T, s *models.Store, admin, pilote models.Actor) {
	t.Helper()
	ctx := t.Context()
	events, err := s.History(ctx, admin, "messagerie", "smtp")
	if err != nil || len(events) != 4 {
		t.Fatalf("historique : %d événements, %v", len(events), err)
	}
	var password []string
	for _, ev := range events {
		if strings.Contains(ev.Changes, mailSecret) {
			t.Errorf("le mot de passe est au journal d'audit : %s", ev.Changes)
		}
		for _, ch := range ev.ChangeList() {
			if ch.Field == "password" {
				password = append(password, ch.Old+"→"+ch.New)
			}
		}
	}
	if strings.Join(password, ", ") != "→effacé, →modifié" {
		t.Errorf("mot de passe au journal : %v", password)
	}
	if _, err := s.History(ctx, pilote, "messagerie", "smtp"); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("historique lu par un pilote : %v", err)
	}
}
