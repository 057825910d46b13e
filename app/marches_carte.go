package app

import (
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The map of the markets (/marches/carte): which solution covers which communes and écoles,
// by département, as a table, a bar chart (écoles per solution and département) and the
// list of the communes covered.

// carteBar is one bar of the chart, laid out here: the template only draws it.
type carteBar struct {
	Label          string
	Ecoles         int64
	YText, YBar, W int
}

// marchesCarteView is the map page.
type marchesCarteView struct {
	Lignes   []models.MarcheCouverture
	Communes []models.MarcheCommuneCouverte
	Bars     []carteBar
	Height   int
}

func (s *Server) marchesCarte(c echo.Context) error {
	lines, communes, err := s.store.MarchesCarte(c.Request().Context(), s.scope(c))
	if err != nil {
		return err
	}
	v := marchesCarteView{Lignes: lines, Communes: communes}
	var most int64 = 1
	for _, l := range lines {
		most = max(most, l.NbEcoles)
	}
	for i, l := range lines {
		v.Bars = append(v.Bars, carteBar{Label: l.DepartementCode + " — " + l.Solution, Ecoles: l.NbEcoles,
			YText: 28*i + 16, YBar: 28*i + 4, W: int(l.NbEcoles * 70 / most)})
	}
	v.Height = 28*len(lines) + 8
	return s.render(c, 200, "marches/carte", "Carte des marchés", []crumb{home, marchesCrumb, {Label: "Carte"}}, v)
}
