package seeds

import (
	"strings"

	"github.com/ac-creteil/pilotage/models"
)

// ReadCommunes reads communes from f, in the seeds' own format (code_insee, nom, departement,
// population, codes_postaux, epci_siren, ept_siren) or in the "Annuaire de l'éducation" format,
// where each commune appears on the rows of its schools (code_commune, nom_commune,
// code_departement, code_postal) and only names and postcodes are known.
func ReadCommunes(f *CSVFile) ([]models.CommuneInput, error) {
	if f.Has("code_commune") && f.Has("nom_commune") {
		return readAnnuaireCommunes(f)
	}
	if err := requireColumns(f, "code_insee", "nom", "departement"); err != nil {
		return nil, err
	}
	var errs models.ValidationError
	var out []models.CommuneInput
	err := eachRecord(f, &errs, func(rec Record) {
		c := models.CommuneInput{
			Line:        rec.Line,
			CodeINSEE:   strings.ToUpper(rec.Get("code_insee")),
			Nom:         rec.Get("nom"),
			Departement: departementCode(rec.Get("departement")),
			Population:  intField(&errs, rec, "population"),
		}
		if f.Has("codes_postaux") {
			c.CodesPostaux = append([]string{}, splitList(rec.Get("codes_postaux"))...)
		}
		if f.Has("epci_siren") {
			c.EPCISiren = ptr(rec.Get("epci_siren"))
		}
		if f.Has("ept_siren") {
			c.EPTSiren = ptr(rec.Get("ept_siren"))
		}
		out = append(out, c)
	})
	if err != nil {
		return nil, err
	}
	return out, errs.OrNil()
}

func readAnnuaireCommunes(f *CSVFile) ([]models.CommuneInput, error) {
	var errs models.ValidationError
	byCode := map[string]*models.CommuneInput{}
	var order []string
	err := eachRecord(f, &errs, func(rec Record) {
		code := strings.ToUpper(rec.Get("code_commune"))
		c, ok := byCode[code]
		if !ok {
			c = &models.CommuneInput{Line: rec.Line, CodeINSEE: code, Nom: rec.Get("nom_commune"),
				Departement: departementCode(rec.Get("code_departement"))}
			byCode[code] = c
			order = append(order, code)
		}
		if cp := rec.Get("code_postal"); cp != "" && !contains(c.CodesPostaux, cp) {
			c.CodesPostaux = append(c.CodesPostaux, cp)
		}
	})
	if err != nil {
		return nil, err
	}
	out := make([]models.CommuneInput, len(order))
	for i, code := range order {
		out[i] = *byCode[code]
	}
	return out, errs.OrNil()
}

// departementCode turns the annuaire's "094" or "077" into "94" or "77"; overseas "974" is kept.
func departementCode(v string) string {
	v = strings.ToUpper(strings.TrimSpace(v))
	if len(v) == 3 && v[0] == '0' {
		return v[1:]
	}
	return v
}

// splitList splits "77760|77123" (or separated by ',', ';' or spaces).
func splitList(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == '|' || r == ',' || r == ';' || r == ' ' })
}

func ptr[T any](v T) *T { return &v }

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
