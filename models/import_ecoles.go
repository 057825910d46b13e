package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

var (
	ecoleTypeValues   = ChoiceValues(EcoleTypes)
	ecoleStatutValues = ChoiceValues(EcoleStatuts)
)

// ImportEcoles loads écoles by UAI, and the circonscriptions they name, all or nothing: one
// invalid row (bad UAI check letter, unknown commune, département outside the académie...) and
// nothing is written; the error lists every invalid row and column.
func (s *Store) ImportEcoles(ctx context.Context, in []EcoleInput, opts ImportOptions) (ImportCounts, error) {
	return s.importRun(ctx, opts, importEcoles, func(tx *gorm.DB, eff *importEffects) (ImportCounts, error) {
		var communes []struct{ CodeINSEE, DepartementCode string }
		if err := tx.Table("communes").Select("code_insee, departement_code").Scan(&communes).Error; err != nil {
			return ImportCounts{}, err
		}
		depOf := make(map[string]string, len(communes))
		for _, c := range communes {
			depOf[c.CodeINSEE] = c.DepartementCode
		}
		academie, err := keySet(tx, "departements", "code")
		if err != nil {
			return ImportCounts{}, err
		}
		var errs ValidationError
		seen := make(map[string]int, len(in))
		circos := map[string]CirconscriptionInput{}
		var circoOrder []string
		deps := make([]string, len(in))
		for i, e := range in {
			dep := validateEcole(&errs, e, depOf, academie, seen)
			deps[i] = dep
			if e.CodeCirconscription != "" {
				if _, ok := circos[e.CodeCirconscription]; !ok {
					circoOrder = append(circoOrder, e.CodeCirconscription)
				}
				if prev, ok := circos[e.CodeCirconscription]; !ok || prev.Nom == "" {
					circos[e.CodeCirconscription] = CirconscriptionInput{Line: e.Line, Code: e.CodeCirconscription,
						Nom: e.NomCirconscription, Departement: dep}
				}
			}
		}
		circoList := make([]CirconscriptionInput, 0, len(circoOrder))
		for _, code := range circoOrder {
			circoList = append(circoList, circos[code])
		}
		circoRows, err := s.circonscriptionRows(tx, &errs, circoList)
		if err != nil {
			return ImportCounts{}, err
		}
		if err := errs.OrNil(); err != nil {
			return ImportCounts{}, err
		}
		if _, err := s.upsert(tx, circonscriptionSpec, len(circoRows), func(i int) []any { return circoRows[i] },
			ImportOptions{DryRun: opts.DryRun}, nil); err != nil {
			return ImportCounts{}, err
		}
		return s.upsert(tx, ecoleSpec, len(in), func(i int) []any {
			e := in[i]
			circo := notGiven
			if e.CodeCirconscription != "" {
				circo = e.CodeCirconscription
			}
			return []any{e.UAI, e.Nom, SearchKey(e.Nom), e.Type, e.Statut, e.CodeINSEE, deps[i], e.EducationPrioritaire,
				e.Source, circo, given(e.NbEleves), given(e.NbClasses)}
		}, opts, eff)
	})
}

// ecoleSpec is how écoles are loaded: by UAI; a file without circonscription or counts keeps
// the stored ones.
var ecoleSpec = upsertSpec{table: "ecoles", columns: []importColumn{
	{"uai", "text"}, {"nom", "text"}, {"nom_recherche", "text"}, {"type", "text"}, {"statut", "text"},
	{"code_insee", "text"}, {"departement_code", "text"}, {"education_prioritaire", "text"}, {"source", "text"},
	{"code_circonscription", "text"}, {"nb_eleves", "integer"}, {"nb_classes", "integer"},
}, defaults: map[string]any{"code_circonscription": nil, "nb_eleves": nil, "nb_classes": nil}, depCol: "departement_code"}

// circonscriptionSpec is how circonscriptions are loaded: by code.
var circonscriptionSpec = upsertSpec{table: "circonscriptions", columns: []importColumn{
	{"code", "text"}, {"nom", "text"}, {"departement_code", "text"},
}}

// validateEcole checks one row and returns the école's département (that of its commune).
func validateEcole(errs *ValidationError, e EcoleInput, depOf map[string]string, academie map[string]bool, seen map[string]int) string {
	if msg := CheckUAI(e.UAI); msg != "" {
		errs.Add(e.Line, "uai", msg)
	} else if prev := seen[e.UAI]; prev > 0 {
		errs.Add(e.Line, "uai", fmt.Sprintf("UAI %s en double (déjà ligne %d)", e.UAI, prev))
	}
	seen[e.UAI] = e.Line
	checkText(errs, e.Line, "nom", e.Nom, 200)
	if !contains(ecoleTypeValues, e.Type) {
		errs.Add(e.Line, "type", "type d'école inconnu « "+e.Type+" » (maternelle, élémentaire ou primaire attendu)")
	}
	if !contains(ecoleStatutValues, e.Statut) {
		errs.Add(e.Line, "statut", "statut inconnu « "+e.Statut+" » (public ou privé attendu)")
	}
	if e.EducationPrioritaire != "" && e.EducationPrioritaire != "REP" && e.EducationPrioritaire != "REP+" {
		errs.Add(e.Line, "education_prioritaire", "valeur inconnue « "+e.EducationPrioritaire+" » (REP, REP+ ou vide attendu)")
	}
	if e.NbEleves != nil && *e.NbEleves < 0 {
		errs.Add(e.Line, "nb_eleves", "le nombre d'élèves ne peut pas être négatif")
	}
	if e.NbClasses != nil && *e.NbClasses < 0 {
		errs.Add(e.Line, "nb_classes", "le nombre de classes ne peut pas être négatif")
	}
	dep, ok := depOf[e.CodeINSEE]
	switch {
	case !ValidINSEE(e.CodeINSEE):
		errs.Add(e.Line, "code_insee", "code INSEE invalide « "+e.CodeINSEE+" »")
	case !ok && !academie[departementOfINSEE(e.CodeINSEE)]:
		errs.Add(e.Line, "code_insee", "la commune "+e.CodeINSEE+" est dans un département hors de l'académie")
	case !ok:
		errs.Add(e.Line, "code_insee", "commune "+e.CodeINSEE+" inconnue")
	case len(e.UAI) == 8 && departementOfUAI(e.UAI) != dep:
		errs.Add(e.Line, "uai", fmt.Sprintf("l'UAI %s désigne le département %s, mais la commune %s est dans le %s",
			e.UAI, departementOfUAI(e.UAI), e.CodeINSEE, dep))
	}
	return dep
}

// circonscriptionRows validates circonscriptions and renders them for upsert.
func (s *Store) circonscriptionRows(tx *gorm.DB, errs *ValidationError, in []CirconscriptionInput) ([][]any, error) {
	known, err := keySet(tx, "circonscriptions", "code")
	if err != nil {
		return nil, err
	}
	rows := make([][]any, 0, len(in))
	for _, c := range in {
		if msg := CheckUAI(c.Code); msg != "" {
			errs.Add(c.Line, "code_circonscription", "code de circonscription invalide : "+msg)
			continue
		}
		if c.Nom == "" && known[c.Code] {
			continue // the école refers to a known circonscription without renaming it
		}
		checkText(errs, c.Line, "nom_circonscription", c.Nom, 200)
		rows = append(rows, []any{c.Code, c.Nom, c.Departement})
	}
	return rows, nil
}

// ImportCirconscriptions loads circonscriptions by code, all or nothing.
func (s *Store) ImportCirconscriptions(ctx context.Context, in []CirconscriptionInput, opts ImportOptions) (ImportCounts, error) {
	return s.importTx(ctx, opts, importCirconscriptions, func(tx *gorm.DB) (ImportCounts, error) {
		deps, err := keySet(tx, "departements", "code")
		if err != nil {
			return ImportCounts{}, err
		}
		var errs ValidationError
		for _, c := range in {
			if !deps[c.Departement] {
				errs.Add(c.Line, "departement", "département « "+c.Departement+" » hors de l'académie")
			}
		}
		rows, err := s.circonscriptionRows(tx, &errs, in)
		if err != nil {
			return ImportCounts{}, err
		}
		if err := errs.OrNil(); err != nil {
			return ImportCounts{}, err
		}
		return s.upsert(tx, circonscriptionSpec, len(rows), func(i int) []any { return rows[i] }, opts, nil)
	})
}
