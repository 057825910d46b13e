package app

import (
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// marcheAlertesView is the alerts page of the markets, with its thresholds in days.
type marcheAlertesView struct {
	Alertes                   models.MarcheAlertes
	Limite, Analyse, Echeance formField
}

// alerteDays reads a threshold in days from the query (0: the default; bounded to ten years).
func alerteDays(c echo.Context, name string, errs map[string]string) int {
	v := c.QueryParam(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 3650 {
		errs[name] = "Un nombre de jours, de 1 à 3650."
		return 0
	}
	return n
}

// marcheAlertes lists the markets that need attention: deadline close, analysis long open,
// contract ending (renewal to decide).
func (s *Server) marcheAlertes(c echo.Context) error {
	errs := map[string]string{}
	set := models.MarcheAlertesSettings{LimiteDays: alerteDays(c, "limite", errs), AnalyseDays: alerteDays(c, "analyse", errs),
		EcheanceDays: alerteDays(c, "echeance", errs)}
	a, err := s.store.MarcheAlertesOf(c.Request().Context(), s.scope(c), set)
	if err != nil {
		return err
	}
	field := func(name, label string, v int) formField {
		return formField{Type: "number", ID: "alertes-" + name, Name: name, Label: label, Value: strconv.Itoa(v), Error: errs[name]}
	}
	v := marcheAlertesView{Alertes: a, Limite: field("limite", "Date limite des offres dans moins de (jours)", a.Settings.LimiteDays),
		Analyse:  field("analyse", "Analyse ouverte depuis plus de (jours)", a.Settings.AnalyseDays),
		Echeance: field("echeance", "Fin du marché dans moins de (jours)", a.Settings.EcheanceDays)}
	status := 200
	if len(errs) > 0 {
		status = 400
	}
	return s.render(c, status, "marches/alertes", "Alertes des marchés", []crumb{home, marchesCrumb, {Label: "Alertes"}}, v)
}
