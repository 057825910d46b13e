package app

import (
	"net/http"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// The pages a State service must publish, readable without signing in: the accessibility
// statement (RGAA), the legal notice and the personal data notice.

// LegalInfo is what the legal pages say about who runs this installation. An empty field
// shows a placeholder asking the operator to fill it in.
type LegalInfo struct {
	Hosting string // the host: name, postal address and telephone number
	Contact string // where users report an accessibility problem (an email address, say)
	DPO     string // how to reach the data protection officer; "" gives the académie's (academie.json)
}

// Facts of the legal pages that only change with the product.
const (
	// accessibilityStatus is the RGAA status declared: without a full audit (which gives a
	// conformity rate), the RGAA requires "non conforme", whatever the automated checks say.
	accessibilityStatus = "non conforme"
	// accessibilityDate is when the statement was written (and the pages last checked).
	accessibilityDate = "6 décembre 2026"
)

var (
	accessibiliteCrumb = crumb{Label: "Accessibilité", Href: "/accessibilite"}
	mentionsCrumb      = crumb{Label: "Mentions légales", Href: "/mentions-legales"}
	donneesCrumb       = crumb{Label: "Données personnelles", Href: "/donnees-personnelles"}
)

// legalView is the view model of the three legal pages.
type legalView struct {
	Status, Date     string
	Hosting, Contact string
	DPO              string
	SessionIdle      string // "30 minutes"
	SessionMax       string // "12 heures"
	ContactRetention string // "3 ans"
}

func (s *Server) legalView(c echo.Context) legalView {
	v := legalView{Status: accessibilityStatus, Date: accessibilityDate, Hosting: s.cfg.Legal.Hosting,
		Contact: s.cfg.Legal.Contact, DPO: s.cfg.Legal.DPO, ContactRetention: frenchDuration(models.DefaultContactRetention)}
	if v.DPO == "" {
		v.DPO = defaultDPO(s.academie(c))
	}
	idle, max := s.cfg.Sessions.Idle, s.cfg.Sessions.Absolute
	if idle <= 0 {
		idle = 30 * time.Minute
	}
	if max <= 0 {
		max = 12 * time.Hour
	}
	v.SessionIdle, v.SessionMax = frenchDuration(idle), frenchDuration(max)
	return v
}

// defaultDPO is the académie's data protection officer, from its academie.json: "Délégué à
// la protection des données de l'académie de Créteil, Rectorat de l'académie de Créteil,
// 4 rue Georges Enesco, 94010 Créteil Cedex — dpd@ac-creteil.fr".
func defaultDPO(a models.Academie) string {
	dpo := "Délégué à la protection des données de l'académie"
	if a.Known() {
		dpo += " " + a.De()
	}
	dpo += ", " + a.Rectorat()
	if a.AdresseRectorat != "" {
		dpo += ", " + a.AdresseRectorat
	}
	if a.CourrielDPD != "" {
		dpo += " — " + a.CourrielDPD
	}
	return dpo
}

// frenchDuration says a duration in whole years, days, hours or minutes: "3 ans",
// "12 heures", "30 minutes".
func frenchDuration(d time.Duration) string {
	const year = 365 * 24 * time.Hour
	if d >= year && d%year == 0 {
		return fr.Plural(int(d/year), "an", "ans")
	}
	if d >= time.Hour && d%time.Hour == 0 {
		h := int(d / time.Hour)
		if h%24 == 0 {
			return fr.Plural(h/24, "jour", "jours")
		}
		return fr.Plural(h, "heure", "heures")
	}
	return fr.Plural(int(d.Round(time.Minute)/time.Minute), "minute", "minutes")
}

// showAccessibility is the accessibility statement (déclaration d'accessibilité, RGAA 4.1).
func (s *Server) showAccessibility(c echo.Context) error {
	return s.render(c, http.StatusOK, "legal/accessibilite", "Déclaration d'accessibilité", []crumb{home, accessibiliteCrumb}, s.legalView(c))
}

// showLegalNotice is the legal notice (mentions légales).
func (s *Server) showLegalNotice(c echo.Context) error {
	return s.render(c, http.StatusOK, "legal/mentions", "Mentions légales", []crumb{home, mentionsCrumb}, s.legalView(c))
}

// showPersonalData says what personal data the service keeps, why, how long, and the
// rights of the people concerned.
func (s *Server) showPersonalData(c echo.Context) error {
	return s.render(c, http.StatusOK, "legal/donnees", "Données personnelles", []crumb{home, donneesCrumb}, s.legalView(c))
}
