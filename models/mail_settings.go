package models

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Security modes of the connection to the SMTP server.
const (
	MailSecurityNone     = "aucune"   // plain SMTP, for a relay of the internal network (port 25)
	MailSecurityStartTLS = "starttls" // STARTTLS required (port 587)
	MailSecurityTLS      = "tls"      // implicit TLS from the first byte (port 465)
)

// MailSecurities are the security modes, with their French labels.
var MailSecurities = []Choice{
	{MailSecurityStartTLS, "STARTTLS"},
	{MailSecurityTLS, "TLS implicite"},
	{MailSecurityNone, "Aucun chiffrement"},
}

// DefaultMailPorts are the usual ports of the security modes, used when none is given.
var DefaultMailPorts = map[string]int{MailSecurityStartTLS: 587, MailSecurityTLS: 465, MailSecurityNone: 25}

// mailEntity and mailEntityID name the settings in the audit log.
const (
	mailEntity   = "messagerie"
	mailEntityID = "smtp"
)

// MailSettings is the SMTP server the product sends its messages through, set by the
// administrator. There is one at most; the zero value (Configured false) means nothing is
// sent by mail.
//
// Password is a secret: it is kept as given because it must be presented to the server
// (a hash would not do), and it never leaves the data layer except to the mail client. It
// is never shown (the form's field is write-only), never written to the audit log (only
// "modifié" or "effacé"), and String and LogValue leave it out. Whoever reads the database
// or its backups reads it: use an account made for sending only.
type MailSettings struct {
	ID          int64
	Host        string
	Port        int
	Security    string
	Username    string
	Password    string
	FromAddress string
	FromName    string
	UpdatedAt   time.Time
	Version     int
}

// TableName is the mail_settings table.
func (MailSettings) TableName() string { return "mail_settings" }

// Configured reports whether messages are sent by mail.
func (m MailSettings) Configured() bool { return m.Host != "" }

// HasPassword reports whether a password is kept, without revealing it.
func (m MailSettings) HasPassword() bool { return m.Password != "" }

// SecurityLabel is the French label of the security mode.
func (m MailSettings) SecurityLabel() string { return LabelOf(MailSecurities, m.Security) }

// String describes the settings without the password.
func (m MailSettings) String() string {
	if !m.Configured() {
		return "messagerie non configurée"
	}
	return fmt.Sprintf("%s (%s), expéditeur %s", net.JoinHostPort(m.Host, strconv.Itoa(m.Port)), m.Security, m.FromAddress)
}

// LogValue logs the settings without the password.
func (m MailSettings) LogValue() slog.Value {
	return slog.GroupValue(slog.String("serveur", m.Host), slog.Int("port", m.Port), slog.String("securite", m.Security))
}

// MailSettingsInput is what the settings form gives. Password "" keeps the password kept;
// ClearPassword removes it.
type MailSettingsInput struct {
	Host          string
	Port          string // "" for the usual port of the security mode
	Security      string
	Username      string
	Password      string
	ClearPassword bool
	FromAddress   string
	FromName      string
}

// mailFields are the audited fields (the password is audited apart, without its value).
var mailFields = []Choice{{"host", "Serveur SMTP"}, {"port", "Port"}, {"security", "Sécurité"},
	{"username", "Identifiant"}, {"from_address", "Adresse d'expédition"}, {"from_name", "Nom d'expéditeur"}}

func (m MailSettings) auditValues() map[string]string {
	if !m.Configured() {
		return map[string]string{}
	}
	return map[string]string{"host": m.Host, "port": strconv.Itoa(m.Port), "security": m.SecurityLabel(),
		"username": m.Username, "from_address": m.FromAddress, "from_name": m.FromName}
}

// hostPattern is a host name (letters, digits, hyphens and dots).
var hostPattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$`)

// checkMailSettings checks the input against the kept settings (for the password) and
// returns the settings to keep.
func checkMailSettings(in MailSettingsInput, kept MailSettings) (MailSettings, error) {
	var errs ValidationError
	m := MailSettings{ID: 1, Host: strings.TrimSpace(in.Host), Security: strings.TrimSpace(in.Security),
		Username: strings.TrimSpace(in.Username), FromAddress: strings.TrimSpace(in.FromAddress),
		FromName: strings.TrimSpace(in.FromName), Password: kept.Password}
	switch {
	case m.Host == "":
		errs.Add(0, "host", "Le serveur SMTP est obligatoire (ex. smtp.ac-creteil.fr).")
	case len(m.Host) > 253 || (net.ParseIP(m.Host) == nil && !hostPattern.MatchString(m.Host)):
		errs.Add(0, "host", "Saisissez un nom de serveur (ex. smtp.ac-creteil.fr) ou une adresse IP, sans « smtp:// » ni port.")
	}
	if !slices.Contains(ChoiceValues(MailSecurities), m.Security) {
		errs.Add(0, "security", "Choisissez la sécurité de la connexion.")
	}
	if p := strings.TrimSpace(in.Port); p == "" {
		m.Port = DefaultMailPorts[m.Security]
	} else if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
		errs.Add(0, "port", "Le port est un nombre entre 1 et 65535 (587 pour STARTTLS, 465 pour TLS, 25 sans chiffrement).")
	} else {
		m.Port = n
	}
	if msg := textProblem("L'identifiant", m.Username, 254, false, false); msg != "" {
		errs.Add(0, "username", msg)
	}
	switch {
	case in.ClearPassword:
		m.Password = ""
	case in.Password != "":
		if msg := textProblem("Le mot de passe", in.Password, 256, false, false); msg != "" {
			errs.Add(0, "password", msg)
		}
		m.Password = in.Password
	}
	if m.Security == MailSecurityNone && (m.Username != "" || m.Password != "") {
		errs.Add(0, "security", "Sans chiffrement, l'identifiant et le mot de passe circuleraient en clair : "+
			"choisissez STARTTLS ou TLS, ou laissez l'identifiant vide et effacez le mot de passe (relais interne sans authentification).")
	}
	if m.Username == "" && m.Password != "" {
		errs.Add(0, "username", "Saisissez l'identifiant du compte d'envoi, ou effacez le mot de passe.")
	}
	if m.Username != "" && m.Password == "" {
		errs.Add(0, "password", "Saisissez le mot de passe du compte d'envoi.")
	}
	if addr, err := mail.ParseAddress(m.FromAddress); m.FromAddress == "" {
		errs.Add(0, "from_address", "L'adresse d'expédition est obligatoire (ex. ne-pas-repondre@ac-creteil.fr).")
	} else if err != nil || addr.Address != m.FromAddress || len(m.FromAddress) > 254 {
		errs.Add(0, "from_address", "Saisissez une adresse électronique seule, par exemple ne-pas-repondre@ac-creteil.fr.")
	}
	if msg := textProblem("Le nom d'expéditeur", m.FromName, 100, false, false); msg != "" {
		errs.Add(0, "from_name", msg)
	}
	return m, errs.OrNil()
}

// MailSettings returns the SMTP settings; the zero value (Configured false) when none are
// set, which is not an error: messages are then not sent by mail.
func (s *Store) MailSettings(ctx context.Context) (MailSettings, error) {
	return getMailSettings(s.db.WithContext(ctx))
}

func getMailSettings(tx *gorm.DB) (MailSettings, error) {
	var m MailSettings
	err := tx.Where("id = 1").Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return MailSettings{}, nil
	}
	return m, err
}

// SaveMailSettings sets the SMTP settings if they are still at version (0 when none are
// set); administrator only. The audit event names the fields changed, and for the password
// only that it changed.
func (s *Store) SaveMailSettings(ctx context.Context, actor Actor, version int, in MailSettingsInput) (MailSettings, error) {
	var out MailSettings
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if !Administers(actor) {
			return ErrForbidden
		}
		before, err := getMailSettings(tx)
		if err != nil {
			return err
		}
		if before.Version != version {
			return s.conflict(tx, mailEntity, mailEntityID, before.withoutPassword())
		}
		m, err := checkMailSettings(in, before)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		values := map[string]any{"host": m.Host, "port": m.Port, "security": m.Security, "username": m.Username,
			"password": m.Password, "from_address": m.FromAddress, "from_name": m.FromName, "updated_at": now}
		action := "modification"
		if before.Configured() {
			values["version"] = gorm.Expr("version + 1")
			res := tx.Model(&MailSettings{}).Where("id = 1 AND version = ?", version).Updates(values)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return s.conflict(tx, mailEntity, mailEntityID, before.withoutPassword())
			}
		} else {
			action = "creation"
			m.UpdatedAt, m.Version = now, 1
			if err := tx.Create(&m).Error; err != nil {
				return err
			}
		}
		if out, err = getMailSettings(tx); err != nil {
			return err
		}
		changes := diff(mailFields, before.auditValues(), out.auditValues())
		switch {
		case out.Password != before.Password && out.Password == "":
			changes = append(changes, Change{Field: "password", Label: "Mot de passe", New: "effacé"})
		case out.Password != before.Password:
			changes = append(changes, Change{Field: "password", Label: "Mot de passe", New: "modifié"})
		}
		return s.audit(tx, actor, action, mailEntity, mailEntityID, changes)
	})
	return out, err
}

// DisableMail removes the SMTP settings: links are then shown to copy. Administrator only.
func (s *Store) DisableMail(ctx context.Context, actor Actor) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if !Administers(actor) {
			return ErrForbidden
		}
		before, err := getMailSettings(tx)
		if err != nil || !before.Configured() {
			return err
		}
		if err := tx.Where("id = 1").Delete(&MailSettings{}).Error; err != nil {
			return err
		}
		changes := diff(mailFields, before.auditValues(), nil)
		if before.HasPassword() {
			changes = append(changes, Change{Field: "password", Label: "Mot de passe", New: "effacé"})
		}
		return s.audit(tx, actor, "modification", mailEntity, mailEntityID, changes)
	})
}

// withoutPassword is the settings as a conflict may show them.
func (m MailSettings) withoutPassword() MailSettings {
	m.Password = ""
	return m
}
