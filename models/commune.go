package models

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Commune is a commune of the territory, keyed by its INSEE code.
type Commune struct {
	CodeINSEE       string `gorm:"column:code_insee;primaryKey"`
	Nom             string
	NomRecherche    string
	DepartementCode string
	Population      int
	CodesPostaux    string  // separated by "|"
	EPCISiren       *string `gorm:"column:epci_siren"`
	EPTSiren        *string `gorm:"column:ept_siren"`
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Version         int
}

// TableName is the communes table.
func (Commune) TableName() string { return "communes" }

// CommuneRow is a commune as lists and exports show it.
type CommuneRow struct {
	CodeINSEE       string
	Nom             string
	DepartementCode string
	Population      int
	CodesPostaux    string
	EPCISiren       string
	EPCINom         string
	EPTSiren        string
	EPTNom          string
	NbEcoles        int
	NbEleves        int
}

// PostCodes returns the postcodes of the commune.
func (c CommuneRow) PostCodes() []string { return splitCodes(c.CodesPostaux) }

func splitCodes(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "|")
}

// Population bands of the communes filter.
const (
	BandUnder2000 = "moins-de-2000"
	Band2000      = "2000-9999"
	Band10000     = "10000-49999"
	Band50000     = "50000-et-plus"
)

// PopulationBands lists the population bands with their French labels, in order.
var PopulationBands = []Choice{
	{BandUnder2000, "Moins de 2 000 habitants"},
	{Band2000, "De 2 000 à 9 999 habitants"},
	{Band10000, "De 10 000 à 49 999 habitants"},
	{Band50000, "50 000 habitants et plus"},
}

// Choice is one value of a closed list and its French label.
type Choice struct {
	Value string
	Label string
}

// ChoiceValues returns the values of choices.
func ChoiceValues(choices []Choice) []string {
	out := make([]string, len(choices))
	for i, c := range choices {
		out[i] = c.Value
	}
	return out
}

// CommuneFilter selects communes. Empty fields select everything.
type CommuneFilter struct {
	Departement string // département code
	EPCI        string // SIREN of the EPCI or EPT
	Band        string // one of the population bands
	Q           string // name (accents and case ignored) or start of the INSEE code or a postcode
	Sort        string // one of CommuneSorts.Keys(), "-" prefix for descending
}

// CommuneSorts are the sort keys of the communes list. The écoles and pupils of a commune
// are kept in chiffres_communes (commune_figures.go): sorting by them walks its index
// instead of counting the écoles of every commune.
var CommuneSorts = sortKeys{
	list: "communes",
	keys: map[string]sortKey{
		"nom":         by(textCol("c.nom_recherche")),
		"code":        by(),
		"departement": by(textCol("c.departement_code"), textCol("c.nom_recherche")),
		"population":  by(intCol("c.population")),
		"ecoles":      {cols: []sortCol{intCol("cf.nb_ecoles")}, joins: []string{communeFiguresJoin}, id: "cf.code_insee"},
		"eleves":      {cols: []sortCol{intCol("cf.nb_eleves")}, joins: []string{communeFiguresJoin}, id: "cf.code_insee"},
	},
	fallback: "nom",
	id:       textCol("c.code_insee"),
}

// communeFiguresJoin joins the figures of the communes: every commune has its row (the
// pages read them through a LEFT JOIN all the same).
const communeFiguresJoin = "JOIN chiffres_communes AS cf ON cf.code_insee = c.code_insee"

const communeColumns = `c.code_insee, c.nom, c.departement_code, c.population, c.codes_postaux,
	COALESCE(c.epci_siren, '') AS epci_siren, COALESCE(epci.nom, '') AS epci_nom,
	COALESCE(c.ept_siren, '') AS ept_siren, COALESCE(ept.nom, '') AS ept_nom,
	COALESCE(cf.nb_ecoles, 0) AS nb_ecoles, COALESCE(cf.nb_eleves, 0) AS nb_eleves`

func (s *Store) communesQuery(ctx context.Context, f CommuneFilter) *gorm.DB {
	return s.communesWhere(ctx, f, s.searchWhere)
}

// communesWhere is communesQuery with the search found by search.
func (s *Store) communesWhere(ctx context.Context, f CommuneFilter, search searchIn) *gorm.DB {
	q := s.db.WithContext(ctx).Table("communes AS c")
	f.Departement, f.EPCI, f.Q = dbText(f.Departement), dbText(f.EPCI), dbText(f.Q)
	if f.Departement != "" {
		q = q.Where("c.departement_code = ?", f.Departement)
	}
	if f.EPCI != "" {
		q = q.Where("(c.epci_siren = ? OR c.ept_siren = ?)", f.EPCI, f.EPCI)
	}
	switch f.Band {
	case BandUnder2000:
		q = q.Where("c.population < 2000")
	case Band2000:
		q = q.Where("c.population >= 2000 AND c.population < 10000")
	case Band10000:
		q = q.Where("c.population >= 10000 AND c.population < 50000")
	case Band50000:
		q = q.Where("c.population >= 50000")
	}
	if text := searchText(f.Q); text != "" {
		cond, args := search("communes_recherche", "c.rowid", communeTerms(text))
		q = q.Where(cond, args...)
	}
	return q
}

// communeTerms are the ways a commune matches the search text: its folded name contains the
// text's key (a text without letters or digits has an empty key: it matches no name, rather
// than all), its INSEE code starts with the text, or one of its postcodes contains it.
func communeTerms(text string) []searchTerm {
	code := strings.ToUpper(text)
	terms := nameTerm("c", SearchKey(text))
	if codePrefix(code, "94028", ValidINSEE) {
		terms = append(terms, searchTerm{column: "code_insee", expr: "c.code_insee", needle: code, prefix: true})
	}
	if len(code) <= 5 && digits.MatchString(code) {
		terms = append(terms, searchTerm{column: "codes_postaux", expr: "c.codes_postaux", needle: code})
	}
	return terms
}

// communesSelect reads the columns of the communes matching f, unordered.
func (s *Store) communesSelect(ctx context.Context, f CommuneFilter) *gorm.DB {
	return s.communesQuery(ctx, f).
		Select(communeColumns).
		Joins("LEFT " + communeFiguresJoin).
		Joins("LEFT JOIN epci ON epci.siren = c.epci_siren").
		Joins("LEFT JOIN epci AS ept ON ept.siren = c.ept_siren")
}

// ListCommunes returns one page of the communes matching f, and their total.
func (s *Store) ListCommunes(ctx context.Context, scope Scope, f CommuneFilter, p PageRequest) (Page[CommuneRow], error) {
	if err := scope.readReference(); err != nil {
		return Page[CommuneRow]{}, err
	}
	terms := communeTerms(searchText(f.Q))
	lq := listQuery{rows: func() *gorm.DB { return s.communesQuery(ctx, f) }, order: CommuneSorts.order(f.Sort),
		search: indexable(terms)}
	if f.EPCI == "" && f.Band == "" && searchText(f.Q) == "" {
		lq.count = s.referenceTotal(ctx, "nb_communes", dbText(f.Departement))
	}
	if lq.search && s.dialect == SQLite {
		if f.Departement == "" && f.EPCI == "" && f.Band == "" {
			lq.found = s.foundCount(ctx, "communes_recherche", terms)
		}
		if byName(f.Sort) && !slices.ContainsFunc(terms, func(t searchTerm) bool { return t.column == "codes_postaux" }) {
			// The name indexes hold the name and the INSEE code, not the postcodes.
			lq.scan = func() *gorm.DB { return s.communesWhere(ctx, f, s.scanned) }
		}
	}
	return readPage(ctx, s, lq, p, func(codes []string) ([]CommuneRow, error) {
		var rows []CommuneRow
		err := s.communesSelect(ctx, CommuneFilter{}).Where("c.code_insee IN ?", codes).Scan(&rows).Error
		return rows, err
	}, func(r CommuneRow) string { return r.CodeINSEE })
}

// byName reports whether a sort key of the communes or écoles walks an index of their
// folded names (by name, or by département and name): the one a search reads in order.
func byName(sort string) bool {
	switch strings.TrimPrefix(sort, "-") {
	case "", "nom", "departement":
		return true
	}
	return false
}

// EachCommune calls fn for every commune matching f, in list order, reading from a cursor
// so that an export of any size stays in constant memory.
func (s *Store) EachCommune(ctx context.Context, scope Scope, f CommuneFilter, fn func(CommuneRow) error) error {
	if err := scope.readReference(); err != nil {
		return err
	}
	rows, err := s.communesSelect(ctx, f).Order(CommuneSorts.orderBy(f.Sort)).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r CommuneRow
		if err := rows.Scan(&r.CodeINSEE, &r.Nom, &r.DepartementCode, &r.Population, &r.CodesPostaux,
			&r.EPCISiren, &r.EPCINom, &r.EPTSiren, &r.EPTNom, &r.NbEcoles, &r.NbEleves); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// GetCommune returns one commune by INSEE code.
func (s *Store) GetCommune(ctx context.Context, scope Scope, code string) (CommuneRow, error) {
	var rows []CommuneRow
	if err := scope.readReference(); err != nil {
		return CommuneRow{}, err
	}
	err := s.communesSelect(ctx, CommuneFilter{}).Where("c.code_insee = ?", dbText(code)).Limit(1).Scan(&rows).Error
	if err != nil {
		return CommuneRow{}, err
	}
	if len(rows) == 0 {
		return CommuneRow{}, ErrNotFound
	}
	return rows[0], nil
}

// notFound turns gorm's not-found error into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

// LabelOf returns the French label of value among choices, or value itself.
func LabelOf(choices []Choice, value string) string {
	for _, c := range choices {
		if c.Value == value {
			return c.Label
		}
	}
	return value
}
