package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// oidcSettingsForm is the ProConnect settings form as posted.
type oidcSettingsForm struct {
	Required string `form:"obligatoire"`
	Version  string `form:"version"`
}

// oidcSettingsView is the page /admin/proconnect: the configuration read from the
// environment (never the client secret), the requirement set here, and its history.
type oidcSettingsView struct {
	Configured    bool
	Issuer        string
	ClientID      string
	RedirectURL   string
	PostLogoutURL string
	TrustEmail    bool
	Settings      models.OIDCSettings
	Linked        int64
	Required      checkField
	Version       string
	Done          string
	Refused       string
	Conflict      *formConflict
	History       []models.AuditEvent
}

// oidcDone are the confirmations shown after a redirect (?fait=...).
var oidcDone = map[string]string{
	"obligatoire": "ProConnect est désormais obligatoire : seuls les administrateurs peuvent encore se connecter avec un mot de passe.",
	"facultatif":  "La connexion par mot de passe est de nouveau acceptée pour tous les comptes.",
}

// msgOIDCNotConfigured refuses to require ProConnect on a server where it is not set.
const msgOIDCNotConfigured = "ProConnect n'est pas configuré sur ce serveur (variables PILOTAGE_OIDC_ISSUER, PILOTAGE_OIDC_CLIENT_ID, " +
	"PILOTAGE_OIDC_CLIENT_SECRET et PILOTAGE_OIDC_REDIRECT_URL) : il ne peut pas être rendu obligatoire."

func (s *Server) oidcSettingsPage(c echo.Context, status int, f oidcSettingsForm, v oidcSettingsView) error {
	ctx := c.Request().Context()
	var err error
	if v.Settings, err = s.store.OIDCSettings(ctx); err != nil {
		return err
	}
	if v.Linked, err = s.store.CountOIDCLinked(ctx); err != nil {
		return err
	}
	if o := s.oidc; o != nil {
		v.Configured, v.Issuer, v.ClientID, v.RedirectURL = true, o.cfg.Issuer, o.cfg.ClientID, o.cfg.RedirectURL
		v.PostLogoutURL, v.TrustEmail = o.postLogoutURL(), o.cfg.TrustEmail
	}
	v.Version = f.Version
	v.Required = checkField{ID: "proconnect-obligatoire", Name: "obligatoire", Value: "oui",
		Label: "Exiger ProConnect pour tous les comptes, sauf les administrateurs", Checked: f.Required == "oui"}
	if v.History, err = s.history(c, "proconnect", "reglages"); err != nil {
		return err
	}
	return s.render(c, status, "admin/proconnect", "ProConnect", []crumb{home, adminCrumb, {Label: "ProConnect"}}, v)
}

// oidcFormOf fills the form with the kept settings.
func oidcFormOf(o models.OIDCSettings) oidcSettingsForm {
	f := oidcSettingsForm{Version: strconv.Itoa(o.Version)}
	if o.Required {
		f.Required = "oui"
	}
	return f
}

func (s *Server) showOIDCSettings(c echo.Context) error {
	kept, err := s.store.OIDCSettings(c.Request().Context())
	if err != nil {
		return err
	}
	return s.oidcSettingsPage(c, http.StatusOK, oidcFormOf(kept), oidcSettingsView{Done: oidcDone[c.QueryParam("fait")]})
}

// saveOIDCSettings requires ProConnect, or accepts passwords again; a stale form (another
// administrator saved since) gets the 409 page with the current setting.
func (s *Server) saveOIDCSettings(c echo.Context) error {
	var f oidcSettingsForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	required := f.Required == "oui"
	if required && s.oidc == nil {
		return s.oidcSettingsPage(c, http.StatusConflict, f, oidcSettingsView{Refused: msgOIDCNotConfigured})
	}
	_, err := s.store.SetOIDCRequired(c.Request().Context(), s.actor(c), formVersion(f.Version), required)
	done := map[bool]string{true: "obligatoire", false: "facultatif"}[required]
	return updated(c, err, models.OIDCSettings{}, func(ce *models.ConflictError, current models.OIDCSettings) error {
		yes := map[bool]string{true: "obligatoire", false: "facultatif"}
		return s.oidcSettingsPage(c, http.StatusConflict, oidcFormOf(current), oidcSettingsView{Conflict: newFormConflict(ce,
			[]conflictRow{{Label: "ProConnect", Current: yes[current.Required], Typed: yes[required]}})})
	}, formAnswer{Form: func(status int, _ map[string]string, msg string) error {
		return s.oidcSettingsPage(c, status, f, oidcSettingsView{Refused: msg})
	}, Redirect: "/admin/proconnect?fait=" + done})
}

// unlinkOIDC removes an account's link to its ProConnect identity (audited): its next
// ProConnect sign-in matches it again by its email.
func (s *Server) unlinkOIDC(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.UnlinkOIDC(c.Request().Context(), s.actor(c), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/utilisateurs/"+strconv.FormatInt(id, 10)+"?fait=proconnect")
}
