package models

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// DepartementInput is a département to load.
type DepartementInput struct {
	Code, Nom, Academie string
}

// EPCIInput is an EPCI or EPT to load.
type EPCIInput struct {
	Line             int
	Siren, Nom, Type string
	NbCommunesTotal  int
	PopulationTotale int
}

// CommuneInput is a commune to load, as read from a file. A nil field is not given by the
// file: the stored value is kept.
type CommuneInput struct {
	Line         int
	CodeINSEE    string
	Nom          string
	Departement  string
	Population   *int
	CodesPostaux []string
	EPCISiren    *string // "" for none
	EPTSiren     *string // "" for none
}

// EcoleInput is an école to load, as read from a file. A nil count or an empty circonscription
// is not given by the file: the stored value is kept.
type EcoleInput struct {
	Line                 int
	UAI                  string
	Nom                  string
	Type                 string
	Statut               string
	CodeINSEE            string
	CodeCirconscription  string
	NomCirconscription   string
	NbEleves             *int
	NbClasses            *int
	EducationPrioritaire string
	Source               string
}

// CirconscriptionInput is a circonscription to load.
type CirconscriptionInput struct {
	Line                   int
	Code, Nom, Departement string
}

// HolidayInput is a public holiday or a school-holiday period.
type HolidayInput struct {
	Zone        string // "" for a public holiday
	Nom         string
	First, Last time.Time
}

// given is the value p points to ("" as NULL) for an import row; a nil p is notGiven: the
// file does not give the value, and the stored one is kept.
func given[T int | string](p *T) any {
	if p == nil {
		return notGiven
	}
	if s, ok := any(*p).(string); ok && s == "" {
		return nil
	}
	return *p
}

// checkText validates a required name.
func checkText(errs *ValidationError, line int, col, v string, max int) {
	switch {
	case strings.TrimSpace(v) == "":
		errs.Add(line, col, "valeur obligatoire")
	case !utf8.ValidString(v) || strings.ContainsRune(v, 0): // PostgreSQL text refuses NUL
		errs.Add(line, col, "caractères invalides (encodage)")
	case utf8.RuneCountInString(v) > max:
		errs.Add(line, col, fmt.Sprintf("%d caractères au maximum", max))
	}
}

// ImportDepartements loads the départements of the académie.
func (s *Store) ImportDepartements(ctx context.Context, deps []DepartementInput, opts ImportOptions) (ImportCounts, error) {
	return s.importTx(ctx, opts, importDepartements, func(tx *gorm.DB) (ImportCounts, error) {
		var errs ValidationError
		for _, d := range deps {
			if !ValidDepartementCode(d.Code) {
				errs.Add(0, "code", "code de département invalide : "+d.Code)
			}
			checkText(&errs, 0, "nom", d.Nom, 100)
		}
		if err := errs.OrNil(); err != nil {
			return ImportCounts{}, err
		}
		return s.upsert(tx, departementSpec, len(deps), func(i int) []any {
			return []any{deps[i].Code, deps[i].Nom, deps[i].Academie}
		}, opts, nil)
	})
}

// departementSpec is how départements are loaded: by code.
var departementSpec = upsertSpec{table: "departements", columns: []importColumn{
	{"code", "text"}, {"nom", "text"}, {"academie", "text"},
}}

// epciSpec is how EPCI and EPT are loaded: by SIREN.
var epciSpec = upsertSpec{table: "epci", columns: []importColumn{
	{"siren", "text"}, {"nom", "text"}, {"nom_recherche", "text"}, {"type", "text"},
	{"nb_communes_total", "integer"}, {"population_totale", "integer"},
}}

// communeSpec is how communes are loaded: by INSEE code; a file without population,
// postcodes or EPCI keeps the stored ones.
var communeSpec = upsertSpec{table: "communes", columns: []importColumn{
	{"code_insee", "text"}, {"nom", "text"}, {"nom_recherche", "text"}, {"departement_code", "text"},
	{"codes_postaux", "text"}, {"population", "integer"}, {"epci_siren", "text"}, {"ept_siren", "text"},
}, defaults: map[string]any{"codes_postaux": "", "population": 0, "epci_siren": nil, "ept_siren": nil},
	depCol: "departement_code"}

var epciTypeValues = ChoiceValues(EPCITypes)

// ImportEPCI loads EPCI and EPT by SIREN, all or nothing.
func (s *Store) ImportEPCI(ctx context.Context, in []EPCIInput, opts ImportOptions) (ImportCounts, error) {
	return s.importTx(ctx, opts, importEPCI, func(tx *gorm.DB) (ImportCounts, error) {
		var errs ValidationError
		seen := map[string]int{}
		for _, e := range in {
			if !ValidSIREN(e.Siren) {
				errs.Add(e.Line, "siren", "SIREN invalide : 9 chiffres attendus")
			} else if prev, dup := seen[e.Siren]; dup {
				errs.Add(e.Line, "siren", fmt.Sprintf("SIREN %s en double (déjà ligne %d)", e.Siren, prev))
			}
			seen[e.Siren] = e.Line
			checkText(&errs, e.Line, "nom", e.Nom, 200)
			if !contains(epciTypeValues, e.Type) {
				errs.Add(e.Line, "type", "type inconnu « "+e.Type+" » (attendu : "+strings.Join(epciTypeValues, ", ")+")")
			}
			if e.NbCommunesTotal < 0 || e.PopulationTotale < 0 {
				errs.Add(e.Line, "population_municipale_totale", "valeur négative")
			}
		}
		if err := errs.OrNil(); err != nil {
			return ImportCounts{}, err
		}
		return s.upsert(tx, epciSpec, len(in), func(i int) []any {
			e := in[i]
			return []any{e.Siren, e.Nom, SearchKey(e.Nom), e.Type, e.NbCommunesTotal, e.PopulationTotale}
		}, opts, nil)
	})
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// keySet loads the values of one column of a table into a set.
func keySet(tx *gorm.DB, table, col string) (map[string]bool, error) {
	var keys []string
	if err := tx.Table(table).Pluck(col, &keys).Error; err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(keys))
	for _, k := range keys {
		set[k] = true
	}
	return set, nil
}

// ImportCommunes loads communes by INSEE code, all or nothing: one invalid row (bad code,
// département outside the académie, unknown EPCI) and nothing is written.
func (s *Store) ImportCommunes(ctx context.Context, in []CommuneInput, opts ImportOptions) (ImportCounts, error) {
	return s.importRun(ctx, opts, importCommunes, func(tx *gorm.DB, eff *importEffects) (ImportCounts, error) {
		deps, err := keySet(tx, "departements", "code")
		if err != nil {
			return ImportCounts{}, err
		}
		epcis, err := keySet(tx, "epci", "siren")
		if err != nil {
			return ImportCounts{}, err
		}
		var errs ValidationError
		seen := make(map[string]int, len(in))
		for _, c := range in {
			validateCommune(&errs, c, deps, epcis, seen)
		}
		if err := errs.OrNil(); err != nil {
			return ImportCounts{}, err
		}
		return s.upsert(tx, communeSpec, len(in), func(i int) []any {
			c := in[i]
			postcodes := notGiven
			if c.CodesPostaux != nil {
				postcodes = strings.Join(c.CodesPostaux, "|")
			}
			return []any{c.CodeINSEE, c.Nom, SearchKey(c.Nom), c.Departement, postcodes,
				given(c.Population), given(c.EPCISiren), given(c.EPTSiren)}
		}, opts, eff)
	})
}

func validateCommune(errs *ValidationError, c CommuneInput, deps, epcis map[string]bool, seen map[string]int) {
	switch {
	case !ValidINSEE(c.CodeINSEE):
		errs.Add(c.Line, "code_insee", "code INSEE invalide : 5 caractères attendus (ex. 93008)")
	case seen[c.CodeINSEE] > 0:
		errs.Add(c.Line, "code_insee", fmt.Sprintf("code INSEE %s en double (déjà ligne %d)", c.CodeINSEE, seen[c.CodeINSEE]))
	case departementOfINSEE(c.CodeINSEE) != c.Departement:
		errs.Add(c.Line, "departement", fmt.Sprintf("le code INSEE %s n'est pas dans le département %s", c.CodeINSEE, c.Departement))
	}
	seen[c.CodeINSEE] = c.Line
	if !deps[c.Departement] {
		errs.Add(c.Line, "departement", "département « "+c.Departement+" » hors de l'académie")
	}
	checkText(errs, c.Line, "nom", c.Nom, 150)
	if c.Population != nil && *c.Population < 0 {
		errs.Add(c.Line, "population", "la population ne peut pas être négative")
	}
	for _, cp := range c.CodesPostaux {
		if len(cp) != 5 || strings.Trim(cp, "0123456789") != "" {
			errs.Add(c.Line, "codes_postaux", "code postal invalide : "+cp)
		}
	}
	for _, ref := range []struct {
		col   string
		siren *string
	}{{"epci_siren", c.EPCISiren}, {"ept_siren", c.EPTSiren}} {
		if ref.siren != nil && *ref.siren != "" && !epcis[*ref.siren] {
			errs.Add(c.Line, ref.col, "EPCI "+*ref.siren+" inconnu du référentiel (les EPCI et EPT sont chargés par « pilotage seed reference »)")
		}
	}
}
