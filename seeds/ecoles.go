package seeds

import (
	"strings"

	"github.com/ac-creteil/pilotage/models"
)

// EcoleFile is the result of reading a file of écoles.
type EcoleFile struct {
	Format  string // "annuaire" or "seeds"
	Rows    []models.EcoleInput
	Skipped int // rows that are not écoles of the product (collèges, private schools without contract)
}

// ReadEcoles reads écoles from f, in the ministry's "Annuaire de l'éducation" format
// (identifiant_de_l_etablissement, nom_etablissement, ...) or in the seeds' own format
// (uai, nom, type, statut, code_insee, ...). Every bad value is reported with its line and column.
func ReadEcoles(f *CSVFile) (EcoleFile, error) {
	var errs models.ValidationError
	out := EcoleFile{Format: "seeds"}
	read := readSeedEcole
	required := []string{"uai", "nom", "type", "statut", "code_insee"}
	if f.Has("identifiant_de_l_etablissement") {
		out.Format, read = "annuaire", readAnnuaireEcole
		required = []string{"identifiant_de_l_etablissement", "nom_etablissement", "type_etablissement",
			"statut_public_prive", "code_commune"}
	}
	if err := requireColumns(f, required...); err != nil {
		return out, err
	}
	err := eachRecord(f, &errs, func(rec Record) {
		e, keep := read(&errs, rec)
		if !keep {
			out.Skipped++
			return
		}
		out.Rows = append(out.Rows, e)
	})
	if err != nil {
		return out, err
	}
	return out, errs.OrNil()
}

func readSeedEcole(errs *models.ValidationError, rec Record) (models.EcoleInput, bool) {
	e := models.EcoleInput{
		Line:                 rec.Line,
		UAI:                  strings.ToUpper(rec.Get("uai")),
		Nom:                  rec.Get("nom"),
		Type:                 ecoleType(rec.Get("type")),
		Statut:               ecoleStatut(rec.Get("statut")),
		CodeINSEE:            strings.ToUpper(rec.Get("code_insee")),
		CodeCirconscription:  strings.ToUpper(rec.Get("code_circonscription")),
		NomCirconscription:   rec.GetAny("circonscription", "nom_circonscription"),
		NbEleves:             intField(errs, rec, "nb_eleves"),
		NbClasses:            intField(errs, rec, "nb_classes"),
		EducationPrioritaire: educationPrioritaire(rec.Get("education_prioritaire")),
		Source:               rec.Get("source"),
	}
	return e, true
}

func readAnnuaireEcole(errs *models.ValidationError, rec Record) (models.EcoleInput, bool) {
	if models.SearchKey(rec.Get("type_etablissement")) != "ecole" {
		return models.EcoleInput{}, false
	}
	if strings.Contains(models.SearchKey(rec.Get("type_contrat_prive")), "hors contrat") {
		return models.EcoleInput{}, false
	}
	typ := "elementaire"
	mat, elem := rec.Get("ecole_maternelle") == "1", rec.Get("ecole_elementaire") == "1"
	switch {
	case mat && elem:
		typ = "primaire"
	case mat:
		typ = "maternelle"
	case !elem && strings.Contains(models.SearchKey(rec.Get("libelle_nature")), "maternelle"):
		typ = "maternelle"
	}
	return models.EcoleInput{
		Line:                 rec.Line,
		UAI:                  strings.ToUpper(rec.Get("identifiant_de_l_etablissement")),
		Nom:                  rec.Get("nom_etablissement"),
		Type:                 typ,
		Statut:               ecoleStatut(rec.Get("statut_public_prive")),
		CodeINSEE:            strings.ToUpper(rec.Get("code_commune")),
		CodeCirconscription:  strings.ToUpper(rec.Get("code_circonscription")),
		NomCirconscription:   rec.Get("nom_circonscription"),
		EducationPrioritaire: educationPrioritaire(rec.Get("appartenance_education_prioritaire")),
		Source:               "annuaire_education",
	}, true
}

// ecoleType maps "école maternelle", "Maternelle", "M"... to the stored type; an unknown
// value is kept as is for the Store to report.
func ecoleType(v string) string {
	switch k := strings.TrimPrefix(models.SearchKey(v), "ecole "); k {
	case "maternelle", "m":
		return "maternelle"
	case "elementaire", "e":
		return "elementaire"
	case "primaire", "p":
		return "primaire"
	default:
		return v
	}
}

// ecoleStatut maps "Public", "privé sous contrat", "Privé"... to the stored statut.
func ecoleStatut(v string) string {
	k := models.SearchKey(v)
	switch {
	case k == "public" || k == "pu":
		return "public"
	case strings.HasPrefix(k, "prive") || k == "pr":
		return "prive"
	default:
		return v
	}
}

// educationPrioritaire maps "REP", "rep+", "REP +", "HORS EP", "" to "", "REP" or "REP+".
func educationPrioritaire(v string) string {
	switch strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(v), " ", "")) {
	case "REP":
		return "REP"
	case "REP+":
		return "REP+"
	case "", "HORSEP", "HORSREP", "NON", "0":
		return ""
	default:
		return v
	}
}
