package app

import (
	"strings"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// The places of the plan form: the commune of a plan carried by one commune, the EPCI of a
// plan carried by an intercommunalité, and the communes of a group with their fixed shares
// (the input "part_<INSEE code>" of each chosen commune; the form of old, "93008 : 60" per
// line, is still read).

// financementPlaces are the places of the plan form, read back.
type financementPlaces struct {
	Commune  placeValue
	EPCI     placeValue
	Communes placesValue
	Parts    map[string]string // fixed share typed per INSEE code, "60" or "33,33"
}

// errors are the messages of the places the form names none or several of.
func (pl financementPlaces) errors() map[string]string {
	return map[string]string{"commune": pl.Commune.Error, "epci": pl.EPCI.Error, "communes": pl.Communes.Error}
}

// communesInput is the communes as the data layer reads them: "93008, 93010", or one
// "93008 : 60" per line when a share is given.
func (pl financementPlaces) communesInput() string {
	withParts := false
	for _, code := range pl.Communes.codes() {
		withParts = withParts || strings.TrimSpace(pl.Parts[code]) != ""
	}
	if !withParts {
		return pl.Communes.input(", ")
	}
	lines := make([]string, 0, len(pl.Communes.Chosen)+1)
	for _, code := range pl.Communes.codes() {
		if part := strings.TrimSpace(pl.Parts[code]); part != "" {
			code += " : " + part
		}
		lines = append(lines, code)
	}
	if pl.Communes.Error != "" {
		lines = append(lines, unresolved)
	}
	return strings.Join(lines, "\n")
}

// readFinancementPlaces reads back the places of the posted plan form.
func (s *Server) readFinancementPlaces(c echo.Context, f financementForm) (financementPlaces, error) {
	pl := financementPlaces{Parts: map[string]string{}}
	var err error
	if pl.Commune, err = s.readOnePlace(c, placeCommunes, f.Departement, f.Commune); err != nil {
		return pl, err
	}
	if pl.EPCI, err = s.readOnePlace(c, placeEPCI, f.Departement, f.EPCI); err != nil {
		return pl, err
	}
	// Entries "commune : share" (the form of old): the commune read back, its share kept.
	var values []string
	for _, v := range f.Communes {
		for _, piece := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == '\r' || r == ';' }) {
			name, share, ok := strings.Cut(piece, ":")
			if !ok {
				name, share, ok = strings.Cut(piece, "=")
			}
			if !ok {
				values = append(values, piece)
				continue
			}
			p, msg, err := s.readPlace(c, placeCommunes, f.Departement, name)
			if err != nil {
				return pl, err
			}
			if msg != "" || p.Code == "" {
				values = append(values, name)
				continue
			}
			values = append(values, p.Code)
			pl.Parts[p.Code] = strings.TrimSpace(share)
		}
	}
	if pl.Communes, err = s.readPlaces(c, placeCommunes, "communes", f.Departement, values); err != nil {
		return pl, err
	}
	form, _ := c.FormParams()
	for _, code := range pl.Communes.codes() {
		if v, ok := form["part_"+code]; ok && len(v) > 0 {
			pl.Parts[code] = strings.TrimSpace(v[0])
		}
	}
	return pl, nil
}

// storedFinancementPlaces are the places of a plan, for its form.
func (s *Server) storedFinancementPlaces(c echo.Context, r models.FinancementRow, communes []models.FinancementCommune) (financementPlaces, error) {
	pl := financementPlaces{Parts: map[string]string{}}
	var err error
	if pl.Communes, err = s.storedPlaces(c, placeCommunes, financementCodes(communes)); err != nil {
		return pl, err
	}
	for _, cm := range communes {
		if cm.PartFixe != nil && r.CleRepartition == models.CleParts {
			pl.Parts[cm.CodeINSEE] = strings.TrimSuffix(fr.Percent(*cm.PartFixe), fr.NNBSP+"%")
		}
	}
	if r.CodeINSEE != nil && r.Portage == models.PortageCommune {
		pl.Commune.Place.Code = *r.CodeINSEE
		if pl.Commune.Shown, err = s.placeShown(c, placeCommunes, *r.CodeINSEE); err != nil {
			return pl, err
		}
	}
	if r.EPCISiren != nil && r.Portage == models.PortageIntercommunalite {
		pl.EPCI.Place.Code = *r.EPCISiren
		pl.EPCI.Shown, err = s.placeShown(c, placeEPCI, *r.EPCISiren)
	}
	return pl, err
}
