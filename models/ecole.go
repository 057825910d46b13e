package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Ecole is a primary school, keyed by its UAI.
type Ecole struct {
	UAI                  string `gorm:"column:uai;primaryKey"`
	Nom                  string
	NomRecherche         string
	Type                 string // maternelle, elementaire, primaire
	Statut               string // public, prive
	CodeINSEE            string `gorm:"column:code_insee"`
	DepartementCode      string
	CodeCirconscription  *string
	NbEleves             *int
	NbClasses            *int
	EducationPrioritaire string // "", REP, REP+
	Source               string
	CreatedAt            time.Time
	UpdatedAt            time.Time
	Version              int
}

// TableName is the ecoles table.
func (Ecole) TableName() string { return "ecoles" }

// School types, statuses and priority-education values with their French labels.
var (
	EcoleTypes = []Choice{
		{"maternelle", "École maternelle"},
		{"elementaire", "École élémentaire"},
		{"primaire", "École primaire"},
	}
	EcoleStatuts = []Choice{
		{"public", "Public"},
		{"prive", "Privé sous contrat"},
	}
	// EcoleEPFilters are the values of the priority-education filter.
	EcoleEPFilters = []Choice{
		{"REP", "REP"},
		{"REP+", "REP+"},
		{"rep-ou-rep+", "REP ou REP+"},
		{"hors", "Hors éducation prioritaire"},
	}
)

// EcoleRow is an école as lists and exports show it.
type EcoleRow struct {
	UAI                  string
	Nom                  string
	Type                 string
	Statut               string
	CodeINSEE            string
	CommuneNom           string
	DepartementCode      string
	CodeCirconscription  string
	CirconscriptionNom   string
	NbEleves             *int
	NbClasses            *int
	EducationPrioritaire string
}

// EcoleFilter selects écoles. Empty fields select everything.
type EcoleFilter struct {
	Departement     string
	Commune         string // INSEE code
	Circonscription string // circonscription code
	Type            string // one of EcoleTypes
	Statut          string // one of EcoleStatuts
	EP              string // one of EcoleEPFilters
	Q               string // name (accents and case ignored) or start of the UAI
	Sort            string // one of EcoleSorts.Keys()
}

// EcoleSorts are the sort keys of the écoles list.
var EcoleSorts = sortKeys{
	list: "ecoles",
	keys: map[string]sortKey{
		"nom": by(textCol("e.nom_recherche")),
		"uai": by(),
		"commune": {cols: []sortCol{textCol("c.nom_recherche"), textCol("e.nom_recherche")},
			joins: []string{"JOIN communes AS c ON c.code_insee = e.code_insee"}},
		"departement": by(textCol("e.departement_code"), textCol("e.nom_recherche")),
		"type":        by(textCol("e.type"), textCol("e.nom_recherche")),
		"eleves":      by(intCol("COALESCE(e.nb_eleves, 0)")),
		"classes":     by(intCol("COALESCE(e.nb_classes, 0)")),
		"circonscription": {cols: []sortCol{textCol("COALESCE(ci.nom, '')"), textCol("e.nom_recherche")},
			joins: []string{"LEFT JOIN circonscriptions AS ci ON ci.code = e.code_circonscription"}},
	},
	fallback: "nom",
	id:       textCol("e.uai"),
}

const ecoleColumns = `e.uai, e.nom, e.type, e.statut, e.code_insee, c.nom AS commune_nom, e.departement_code,
	COALESCE(e.code_circonscription, '') AS code_circonscription, COALESCE(ci.nom, '') AS circonscription_nom,
	e.nb_eleves, e.nb_classes, e.education_prioritaire`

func (s *Store) ecolesQuery(ctx context.Context, f EcoleFilter) *gorm.DB {
	return s.ecolesWhere(ctx, f, s.searchWhere)
}

// ecolesWhere is ecolesQuery with the search found by search.
func (s *Store) ecolesWhere(ctx context.Context, f EcoleFilter, search searchIn) *gorm.DB {
	q := s.db.WithContext(ctx).Table("ecoles AS e")
	f.Departement, f.Commune, f.Circonscription = dbText(f.Departement), dbText(f.Commune), dbText(f.Circonscription)
	f.Type, f.Statut, f.Q = dbText(f.Type), dbText(f.Statut), dbText(f.Q)
	if f.Departement != "" {
		q = q.Where("e.departement_code = ?", f.Departement)
	}
	if f.Commune != "" {
		q = q.Where("e.code_insee = ?", f.Commune)
	}
	if f.Circonscription != "" {
		q = q.Where("e.code_circonscription = ?", f.Circonscription)
	}
	if f.Type != "" {
		q = q.Where("e.type = ?", f.Type)
	}
	if f.Statut != "" {
		q = q.Where("e.statut = ?", f.Statut)
	}
	switch f.EP {
	case "REP", "REP+":
		q = q.Where("e.education_prioritaire = ?", f.EP)
	case "rep-ou-rep+":
		q = q.Where("e.education_prioritaire <> ''")
	case "hors":
		q = q.Where("e.education_prioritaire = ''")
	}
	if text := searchText(f.Q); text != "" {
		cond, args := search("ecoles_recherche", "e.rowid", ecoleTerms(text))
		q = q.Where(cond, args...)
	}
	return q
}

// ecoleTerms are the ways an école matches the search text: its folded name contains the
// text's key, or its UAI starts with the text.
func ecoleTerms(text string) []searchTerm {
	code := strings.ToUpper(text)
	terms := nameTerm("e", SearchKey(text))
	if codePrefix(code, "0930388S", uaiPattern.MatchString) {
		terms = append(terms, searchTerm{column: "uai", expr: "e.uai", needle: code, prefix: true})
	}
	return terms
}

// ecolesSelect reads the columns of the écoles matching f, unordered.
func (s *Store) ecolesSelect(ctx context.Context, f EcoleFilter) *gorm.DB {
	return s.ecolesQuery(ctx, f).
		Select(ecoleColumns).
		Joins("JOIN communes AS c ON c.code_insee = e.code_insee").
		Joins("LEFT JOIN circonscriptions AS ci ON ci.code = e.code_circonscription")
}

// ListEcoles returns one page of the écoles matching f, and their total.
func (s *Store) ListEcoles(ctx context.Context, scope Scope, f EcoleFilter, p PageRequest) (Page[EcoleRow], error) {
	if err := scope.readReference(); err != nil {
		return Page[EcoleRow]{}, err
	}
	terms := ecoleTerms(searchText(f.Q))
	lq := listQuery{rows: func() *gorm.DB { return s.ecolesQuery(ctx, f) }, order: EcoleSorts.order(f.Sort),
		search: indexable(terms)}
	if f == (EcoleFilter{Departement: f.Departement, Sort: f.Sort}) {
		lq.count = s.referenceTotal(ctx, "nb_ecoles", dbText(f.Departement))
	}
	if lq.search && s.dialect == SQLite {
		if f == (EcoleFilter{Q: f.Q, Sort: f.Sort}) {
			lq.found = s.foundCount(ctx, "ecoles_recherche", terms)
		}
		if byName(f.Sort) {
			lq.scan = func() *gorm.DB { return s.ecolesWhere(ctx, f, s.scanned) }
		}
	}
	return readPage(ctx, s, lq, p, func(uais []string) ([]EcoleRow, error) {
		var rows []EcoleRow
		err := s.ecolesSelect(ctx, EcoleFilter{}).Where("e.uai IN ?", uais).Scan(&rows).Error
		return rows, err
	}, func(r EcoleRow) string { return r.UAI })
}

// EachEcole calls fn for every école matching f, in list order, from a cursor.
func (s *Store) EachEcole(ctx context.Context, scope Scope, f EcoleFilter, fn func(EcoleRow) error) error {
	if err := scope.readReference(); err != nil {
		return err
	}
	rows, err := s.ecolesSelect(ctx, f).Order(EcoleSorts.orderBy(f.Sort)).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r EcoleRow
		if err := rows.Scan(&r.UAI, &r.Nom, &r.Type, &r.Statut, &r.CodeINSEE, &r.CommuneNom, &r.DepartementCode,
			&r.CodeCirconscription, &r.CirconscriptionNom, &r.NbEleves, &r.NbClasses, &r.EducationPrioritaire); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// GetEcole returns one école by UAI.
func (s *Store) GetEcole(ctx context.Context, scope Scope, uai string) (EcoleRow, error) {
	if err := scope.readReference(); err != nil {
		return EcoleRow{}, err
	}
	var rows []EcoleRow
	if err := s.ecolesSelect(ctx, EcoleFilter{}).Where("e.uai = ?", dbText(uai)).Limit(1).Scan(&rows).Error; err != nil {
		return EcoleRow{}, err
	}
	if len(rows) == 0 {
		return EcoleRow{}, ErrNotFound
	}
	return rows[0], nil
}

// TypeLabel is the French label of the école's type.
func (e EcoleRow) TypeLabel() string { return LabelOf(EcoleTypes, e.Type) }

// StatutLabel is the French label of the école's status.
func (e EcoleRow) StatutLabel() string { return LabelOf(EcoleStatuts, e.Statut) }
