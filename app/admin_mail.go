package app

import (
	"fmt"
	"net/http"
	"net/mail"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// mailForm is the SMTP settings form as posted. The password field is write-only: its
// value is never sent back to the browser, and left empty it keeps the password kept.
type mailForm struct {
	Host          string `form:"serveur"`
	Port          string `form:"port"`
	Security      string `form:"securite"`
	Username      string `form:"identifiant"`
	Password      string `form:"mot_de_passe"`
	ClearPassword string `form:"effacer_mot_de_passe"`
	FromAddress   string `form:"expediteur"`
	FromName      string `form:"nom_expediteur"`
	Version       string `form:"version"`
}

func (f mailForm) input() models.MailSettingsInput {
	return models.MailSettingsInput{Host: f.Host, Port: f.Port, Security: f.Security, Username: f.Username,
		Password: f.Password, ClearPassword: f.ClearPassword == "oui", FromAddress: f.FromAddress, FromName: f.FromName}
}

// mailFormOf fills the form with the kept settings (never the password), or with the
// usual values when none are kept.
func mailFormOf(m models.MailSettings) mailForm {
	if !m.Configured() {
		return mailForm{Security: models.MailSecurityStartTLS, FromName: "Pilotage ENT 1D", Version: "0"}
	}
	return mailForm{Host: m.Host, Port: strconv.Itoa(m.Port), Security: m.Security, Username: m.Username,
		FromAddress: m.FromAddress, FromName: m.FromName, Version: strconv.Itoa(m.Version)}
}

// mailView is the page /admin/messagerie.
type mailView struct {
	Settings    models.MailSettings // the kept settings, without the password
	HasPassword bool
	Done        string
	Refused     string
	HasErrors   bool
	Conflict    *formConflict
	Version     string
	Host        formField
	Port        formField
	Security    selectField
	Username    formField
	Password    formField
	Clear       checkField
	FromAddress formField
	FromName    formField
	TestTo      formField
	TestSent    string // the address the test message was sent to
	TestError   string // why it was not sent
	History     []models.AuditEvent
}

// mailDone are the confirmations shown after a redirect (?fait=...).
var mailDone = map[string]string{
	"enregistrement": "Les réglages de la messagerie sont enregistrés. Envoyez un message d'essai pour les vérifier.",
	"desactivation":  "L'envoi par courriel est désactivé : les liens de mot de passe seront affichés pour être copiés.",
}

// mailPage renders the settings page: the form f with its errors, and what v already holds
// (outcome of the last action).
func (s *Server) mailPage(c echo.Context, status int, f mailForm, errs map[string]string, v mailView) error {
	ctx := c.Request().Context()
	kept, err := s.store.MailSettings(ctx)
	if err != nil {
		return err
	}
	v.HasPassword = kept.HasPassword()
	v.Settings = kept
	v.Settings.Password = ""
	v.HasErrors = len(errs) > 0
	v.Version = f.Version
	passwordHint := "Aucun mot de passe n'est enregistré."
	if v.HasPassword {
		passwordHint = "Un mot de passe est enregistré ; laissez ce champ vide pour le garder. Il n'est jamais affiché."
	}
	v.Host = formField{ID: "smtp-serveur", Name: "serveur", Label: "Serveur SMTP", Hint: "Nom ou adresse IP, par exemple smtp.ac-creteil.fr",
		Type: "text", Value: f.Host, Error: errs["host"], Required: true, Autocomplete: "off"}
	v.Port = formField{ID: "smtp-port", Name: "port", Label: "Port", Hint: "Vide : 587 pour STARTTLS, 465 pour TLS implicite, 25 sans chiffrement",
		Type: "text", Value: f.Port, Error: errs["port"], Autocomplete: "off"}
	v.Security = selectField{ID: "smtp-securite", Name: "securite", Label: "Sécurité de la connexion", All: "Choisir",
		Hint:  "STARTTLS : port 587 en général ; TLS implicite : port 465 ; aucun chiffrement : relais du réseau interne, sans identifiant, port 25",
		Value: f.Security, Error: errs["security"], Choices: models.MailSecurities}
	v.Username = formField{ID: "smtp-identifiant", Name: "identifiant", Label: "Identifiant", Hint: "Vide pour un relais sans authentification",
		Type: "text", Value: f.Username, Error: errs["username"], Autocomplete: "off"}
	v.Password = formField{ID: "smtp-mot-de-passe", Name: "mot_de_passe", Label: "Mot de passe", Hint: passwordHint,
		Type: "password", Error: errs["password"], Autocomplete: "new-password"}
	v.Clear = checkField{ID: "smtp-effacer", Name: "effacer_mot_de_passe", Value: "oui", Label: "Effacer le mot de passe enregistré",
		Checked: f.ClearPassword == "oui"}
	v.FromAddress = formField{ID: "smtp-expediteur", Name: "expediteur", Label: "Adresse d'expédition",
		Hint: "Par exemple ne-pas-repondre@ac-creteil.fr ; les réponses vont à l'administrateur qui envoie le lien", Type: "email",
		Value: f.FromAddress, Error: errs["from_address"], Required: true}
	v.FromName = formField{ID: "smtp-nom-expediteur", Name: "nom_expediteur", Label: "Nom d'expéditeur", Hint: "Par exemple Pilotage ENT 1D",
		Type: "text", Value: f.FromName, Error: errs["from_name"]}
	if v.TestTo.Name == "" {
		me, _ := currentUser(c)
		v.TestTo = formField{ID: "smtp-essai", Name: "destinataire", Label: "Adresse de destination", Type: "email", Value: me.Email}
	}
	if v.History, err = s.history(c, "messagerie", "smtp"); err != nil {
		return err
	}
	return s.render(c, status, "admin/mail", "Messagerie", []crumb{home, adminCrumb, {Label: "Messagerie"}}, v)
}

func (s *Server) showMailSettings(c echo.Context) error {
	kept, err := s.store.MailSettings(c.Request().Context())
	if err != nil {
		return err
	}
	return s.mailPage(c, http.StatusOK, mailFormOf(kept), nil, mailView{Done: mailDone[c.QueryParam("fait")]})
}

// saveMailSettings records the settings; a stale form (another administrator saved or
// disabled them since) gets the 409 page with the current values.
func (s *Server) saveMailSettings(c echo.Context) error {
	var f mailForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	_, err := s.store.SaveMailSettings(c.Request().Context(), s.actor(c), formVersion(f.Version), f.input())
	f.Password = "" // never written back into the page
	return updated(c, err, models.MailSettings{}, func(ce *models.ConflictError, current models.MailSettings) error {
		return s.mailPage(c, http.StatusConflict, mailFormOf(current), nil, mailView{Conflict: newMailConflict(ce, current, f)})
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.mailPage(c, status, f, errs, mailView{Refused: msg})
	}, Redirect: "/admin/messagerie?fait=enregistrement"})
}

// newMailConflict lists the current settings beside those typed in the stale form.
func newMailConflict(ce *models.ConflictError, current models.MailSettings, typed mailForm) *formConflict {
	cur := mailFormOf(current)
	return newFormConflict(ce, []conflictRow{
		{Label: "Serveur SMTP", Current: cur.Host, Typed: typed.Host},
		{Label: "Port", Current: cur.Port, Typed: typed.Port},
		{Label: "Sécurité", Current: models.LabelOf(models.MailSecurities, cur.Security), Typed: models.LabelOf(models.MailSecurities, typed.Security)},
		{Label: "Identifiant", Current: cur.Username, Typed: typed.Username},
		{Label: "Adresse d'expédition", Current: cur.FromAddress, Typed: typed.FromAddress},
		{Label: "Nom d'expéditeur", Current: cur.FromName, Typed: typed.FromName},
	})
}

// sendTestMail sends a test message with the kept settings, to the address given (the
// administrator's own by default), and says whether it left.
func (s *Server) sendTestMail(c echo.Context) error {
	ctx := c.Request().Context()
	kept, err := s.store.MailSettings(ctx)
	if err != nil {
		return err
	}
	me, _ := currentUser(c)
	to := c.FormValue("destinataire")
	if to == "" {
		to = me.Email
	}
	v := mailView{TestTo: formField{ID: "smtp-essai", Name: "destinataire", Label: "Adresse de destination", Type: "email", Value: to}}
	if !kept.Configured() {
		v.Refused = "Enregistrez d'abord les réglages du serveur SMTP, puis envoyez le message d'essai."
		return s.mailPage(c, http.StatusConflict, mailFormOf(kept), nil, v)
	}
	if addr, err := mail.ParseAddress(to); err != nil || addr.Address != to || len(to) > 254 {
		v.TestTo.Error = "Saisissez une adresse électronique, par exemple prenom.nom@ac-creteil.fr."
		return s.mailPage(c, http.StatusUnprocessableEntity, mailFormOf(kept), nil, v)
	}
	if err := s.sendMail(ctx, kept, testMail(kept, me, to, time.Now()), "message d'essai"); err != nil {
		v.TestError = err.Error()
	} else {
		v.TestSent = to
	}
	return s.mailPage(c, http.StatusOK, mailFormOf(kept), nil, v)
}

// testMail is the test message: who sent it, when, and what it shows.
func testMail(settings models.MailSettings, sender models.User, to string, at time.Time) outgoingMail {
	body := fmt.Sprintf("Bonjour,\n\nCe message d'essai a été envoyé par %s (%s) depuis la page Messagerie de Pilotage ENT 1D, "+
		"le %s (heure de Paris).\n\nIl montre que le serveur SMTP %s accepte les messages de l'adresse %s : "+
		"les liens de mot de passe seront envoyés par courriel.\n\nAucune action n'est attendue.\n",
		sender.Nom, sender.Email, fr.DateTime(at), settings.Host, settings.FromAddress)
	return outgoingMail{To: to, ReplyTo: sender.Email, Subject: "Pilotage ENT 1D : message d'essai", Body: body}
}

// disableMail removes the settings: links are then shown to copy.
func (s *Server) disableMail(c echo.Context) error {
	if err := s.store.DisableMail(c.Request().Context(), s.actor(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/messagerie?fait=desactivation")
}
