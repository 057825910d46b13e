package app

import (
	"net/http"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The usage figures' API (/api/v1/usages): the rows of the page's table for a level, a
// month (mois=AAAA-MM, the latest by default) and a profile, in the caller's scope, with
// the month read, the months available and the total; rates are fractions (0.425), null
// when no école reported both of their terms, counts null when unknown.

// usageJSON is a row of the usage API.
type usageJSON struct {
	Code             string   `json:"code"`
	Nom              string   `json:"nom"`
	Mois             string   `json:"mois,omitempty"`
	Profil           string   `json:"profil,omitempty"`
	Ecoles           int64    `json:"ecoles"`
	ComptesCharges   *int64   `json:"comptes_charges"`
	ComptesActives   *int64   `json:"comptes_actives"`
	TauxActivation   *float64 `json:"taux_activation"`
	Connexions       *int64   `json:"connexions"`
	VisiteursUniques *int64   `json:"visiteurs_uniques"`
	TauxActivite     *float64 `json:"taux_activite"`
}

func toUsageJSON(code, nom, mois, profil string, f models.UsageFigures) usageJSON {
	rate := func(r float64, ok bool) *float64 {
		if !ok {
			return nil
		}
		return &r
	}
	return usageJSON{Code: code, Nom: nom, Mois: mois, Profil: profil, Ecoles: f.Ecoles, ComptesCharges: f.ComptesCharges,
		ComptesActives: f.ComptesActives, TauxActivation: rate(f.ActivationRate()), Connexions: f.Connexions,
		VisiteursUniques: f.Visiteurs, TauxActivite: rate(f.ActivityRate())}
}

// usageListJSON is the answer of the usage API.
type usageListJSON struct {
	Total    int64       `json:"total"`
	Niveau   string      `json:"niveau"`
	Mois     string      `json:"mois"`
	Profil   string      `json:"profil"`
	Months   []string    `json:"mois_disponibles"`
	Items    []usageJSON `json:"items"`
	Ensemble *usageJSON  `json:"ensemble"`
}

func (s *Server) apiUsages(c echo.Context) error {
	f, st, err := s.usageAll(c)
	if err != nil {
		return err
	}
	out := usageListJSON{Niveau: st.Filter.Level(), Mois: st.Filter.Mois, Profil: f.Profil, Months: st.Months,
		Items: make([]usageJSON, len(st.Rows))}
	if out.Months == nil {
		out.Months = []string{}
	}
	for i, r := range st.Rows {
		out.Items[i] = toUsageJSON(r.Code, r.Label, r.Mois, r.Profil, r.UsageFigures)
	}
	if len(st.Months) > 0 {
		total := toUsageJSON("total", "Total", st.Filter.Mois, f.Profil, st.Total)
		out.Ensemble = &total
	}
	out.Total = int64(len(out.Items))
	return c.JSON(http.StatusOK, out)
}
