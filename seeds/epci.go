package seeds

import (
	"strings"

	"github.com/ac-creteil/pilotage/models"
)

// ReadEPCI reads EPCI or EPT in the seeds' format (siren, nom, type, nb_communes_total,
// population_municipale_totale).
func ReadEPCI(f *CSVFile) ([]models.EPCIInput, error) {
	if err := requireColumns(f, "siren", "nom", "type"); err != nil {
		return nil, err
	}
	var errs models.ValidationError
	var out []models.EPCIInput
	err := eachRecord(f, &errs, func(rec Record) {
		e := models.EPCIInput{Line: rec.Line, Siren: rec.Get("siren"), Nom: rec.Get("nom"), Type: epciType(rec.Get("type"))}
		if n := intField(&errs, rec, "nb_communes_total"); n != nil {
			e.NbCommunesTotal = *n
		}
		if n := intField(&errs, rec, "population_municipale_totale"); n != nil {
			e.PopulationTotale = *n
		}
		out = append(out, e)
	})
	if err != nil {
		return nil, err
	}
	return out, errs.OrNil()
}

// epciType maps the spellings of the open data ("METRO", "METRO", "Communauté de communes")
// to the stored type.
func epciType(v string) string {
	switch k := models.SearchKey(v); {
	case k == "metro" || k == "met" || strings.HasPrefix(k, "metropole"):
		return "MET"
	case k == "cc" || strings.HasPrefix(k, "communaute de communes"):
		return "CC"
	case k == "ca" || strings.HasPrefix(k, "communaute d agglomeration"):
		return "CA"
	case k == "cu" || strings.HasPrefix(k, "communaute urbaine"):
		return "CU"
	case k == "ept" || strings.HasPrefix(k, "etablissement public territorial"):
		return "EPT"
	case strings.HasPrefix(k, "synd") || k == "sivu" || k == "sivom":
		return "SYND"
	}
	return strings.ToUpper(v)
}

// ReadCirconscriptions reads circonscriptions (code_circonscription, nom_circonscription, departement).
func ReadCirconscriptions(f *CSVFile) ([]models.CirconscriptionInput, error) {
	if err := requireColumns(f, "code_circonscription", "nom_circonscription", "departement"); err != nil {
		return nil, err
	}
	var errs models.ValidationError
	var out []models.CirconscriptionInput
	err := eachRecord(f, &errs, func(rec Record) {
		out = append(out, models.CirconscriptionInput{Line: rec.Line, Code: strings.ToUpper(rec.Get("code_circonscription")),
			Nom: rec.Get("nom_circonscription"), Departement: departementCode(rec.Get("departement"))})
	})
	if err != nil {
		return nil, err
	}
	return out, errs.OrNil()
}
