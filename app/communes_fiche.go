package app

import (
	"net/http"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// The fiche of a commune (/communes/:code/fiche): one printable A4 page for its mayor,
// in plain words (models/fiche_commune.go).

// ficheView is the fiche with its figures in French.
type ficheView struct {
	models.FicheCommune
	Today                      string // the day the fiche is made, "07/12/2026"
	Ouvertes, Formes, SansForm int    // écoles opened, teachers trained, écoles opened with nobody trained
	EnProgramme, HorsProgramme int    // écoles with a deployment (listed), and the others (counted)
	TauxFormation              string // teachers trained over the estimate of the écoles opened
}

func (s *Server) showFicheCommune(c echo.Context) error {
	code := c.Param("code")
	if !models.ValidINSEE(code) {
		return models.ErrNotFound
	}
	f, err := s.store.FicheOf(c.Request().Context(), s.scope(c), code)
	if err != nil {
		return err
	}
	v := ficheView{FicheCommune: f, Today: fr.Day(time.Now()), Ouvertes: int(f.Formation.Ecoles), Formes: int(f.Formation.Formes),
		SansForm: int(f.Formation.SansFormation), TauxFormation: percent(f.Formation.Rate())}
	for _, e := range f.Ecoles {
		if e.InProgramme() {
			v.EnProgramme++
		} else {
			v.HorsProgramme++
		}
	}
	crumbs := []crumb{home, {Label: "Communes", Href: "/communes"}, {Label: f.Commune.Nom, Href: "/communes/" + code}, {Label: "Fiche"}}
	return s.render(c, http.StatusOK, "communes/fiche", "Fiche de "+f.Commune.Nom, crumbs, v)
}
