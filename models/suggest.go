package models

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Choosing a place by name. A form field that chooses a commune, an EPCI or an école shows
// suggestions as the user types (Suggest*: accents and case ignored, codes too) and reads
// back what it holds (Resolve*): "Bobigny (93008)" (the label of a suggestion), the code
// alone ("93008"), a postcode for a commune, or a name that designates one place only.
// Both are limited to the caller's scope: a user chooses among the places of their
// territory.

// PlaceChoice is a commune, an EPCI or an école as a suggestion offers it and a chosen
// value shows it.
type PlaceChoice struct {
	Code   string // INSEE code, SIREN or UAI
	Nom    string
	Detail string // what tells apart places of the same name: postcodes, kind, commune
}

// Label is "Bobigny (93008)": what a field shows once the place is chosen, and what the
// resolver reads back.
func (p PlaceChoice) Label() string { return PlaceLabel(p.Nom, p.Code) }

// PlaceLabel is the label of a place of this name and code, "Bobigny (93008)".
func PlaceLabel(nom, code string) string {
	if nom == "" {
		return code
	}
	return nom + " (" + code + ")"
}

// MaxSuggestions bounds a list of suggestions.
const MaxSuggestions = 20

// placeKind describes one kind of place for suggestions and resolution.
type placeKind struct {
	table     string // "communes AS c"
	alias     string
	code      string // the code column, alias included
	fts       string // the table's trigram search table (models/search.go)
	terms     func(text string) []searchTerm
	territory Territory
	validCode func(string) bool
	columns   string // code, nom, nom_recherche, detail
	joins     string
	depCond   string // the condition of a département (one "?" argument, given twice when it has two)
	depArgs   int
	detail    func(raw string) string
	msg       placeMessages
}

// placeMessages are the French messages of a kind of place.
type placeMessages struct {
	unknownCode, outOfScope, mismatch, homonyms, several, none string
}

var (
	communeKind = placeKind{
		table: "communes AS c", alias: "c", code: "c.code_insee", fts: "communes_recherche",
		terms: communeTerms, territory: communesTerritory, validCode: ValidINSEE,
		columns: "c.code_insee AS code, c.nom, c.nom_recherche, c.codes_postaux AS detail",
		depCond: "c.departement_code = ?", depArgs: 1,
		detail: func(raw string) string {
			codes := splitCodes(raw)
			switch len(codes) {
			case 0:
				return ""
			case 1:
				return "code postal " + codes[0]
			}
			return "codes postaux " + strings.Join(codes, ", ")
		},
		msg: placeMessages{
			unknownCode: "Commune inconnue : %s.",
			outOfScope:  "Commune hors de votre périmètre : %s.",
			mismatch:    "« %s » : le code %s est celui de %s. Choisissez la commune dans les suggestions.",
			homonyms:    "Plusieurs communes s'appellent %s : précisez le code (%s).",
			several:     "Plusieurs communes correspondent à « %s » : précisez le nom ou le code (%s).",
			none:        "Aucune commune de votre périmètre ne correspond à « %s » : choisissez-la dans les suggestions ou indiquez son code INSEE (exemple : 93008).",
		},
	}
	epciKind = placeKind{
		table: "epci AS x", alias: "x", code: "x.siren", fts: "epci_recherche",
		terms: func(text string) []searchTerm { return epciTerms(SearchKey(text)) }, territory: Territory{EPCI: "siren"},
		validCode: ValidSIREN,
		columns:   "x.siren AS code, x.nom, x.nom_recherche, x.type AS detail",
		depCond: `x.siren IN (SELECT dc.epci_siren FROM communes dc WHERE dc.departement_code = ? AND dc.epci_siren IS NOT NULL
			UNION SELECT dc.ept_siren FROM communes dc WHERE dc.departement_code = ? AND dc.ept_siren IS NOT NULL)`, depArgs: 2,
		detail: func(raw string) string { return LabelOf(EPCITypes, raw) },
		msg: placeMessages{
			unknownCode: "EPCI inconnu : %s.",
			outOfScope:  "EPCI hors de votre périmètre : %s.",
			mismatch:    "« %s » : le SIREN %s est celui de %s. Choisissez l'EPCI dans les suggestions.",
			homonyms:    "Plusieurs EPCI s'appellent %s : précisez le SIREN (%s).",
			several:     "Plusieurs EPCI correspondent à « %s » : précisez le nom ou le SIREN (%s).",
			none:        "Aucun EPCI de votre périmètre ne correspond à « %s » : choisissez-le dans les suggestions ou indiquez son SIREN (exemple : 200057875).",
		},
	}
	ecoleKind = placeKind{
		table: "ecoles AS e", alias: "e", code: "e.uai", fts: "ecoles_recherche",
		terms: ecoleTerms, territory: ecolesTerritory,
		validCode: func(s string) bool { return CheckUAI(s) == "" },
		columns:   "e.uai AS code, e.nom, e.nom_recherche, ec.nom AS detail",
		joins:     "JOIN communes AS ec ON ec.code_insee = e.code_insee",
		depCond:   "e.departement_code = ?", depArgs: 1,
		detail: func(raw string) string { return raw },
		msg: placeMessages{
			unknownCode: "École inconnue : %s.",
			outOfScope:  "École hors de votre périmètre : %s.",
			mismatch:    "« %s » : l'UAI %s est celle de %s. Choisissez l'école dans les suggestions.",
			homonyms:    "Plusieurs écoles s'appellent %s : précisez l'UAI (%s).",
			several:     "Plusieurs écoles correspondent à « %s » : précisez le nom ou l'UAI (%s).",
			none:        "Aucune école de votre périmètre ne correspond à « %s » : choisissez-la dans les suggestions ou indiquez son UAI (exemple : 0930388S).",
		},
	}
)

// placeRow is a place as the queries read it.
type placeRow struct {
	Code         string
	Nom          string
	NomRecherche string
	Detail       string
}

func (k placeKind) choice(r placeRow) PlaceChoice {
	return PlaceChoice{Code: r.Code, Nom: r.Nom, Detail: k.detail(r.Detail)}
}

// query starts a query of the places of the kind in the scope (all of them with a zero
// scope), in the département when dep is not "".
func (s *Store) placeQuery(ctx context.Context, k placeKind, scope *Scope, dep string) *gorm.DB {
	q := s.db.WithContext(ctx).Table(k.table).Select(k.columns)
	if k.joins != "" {
		q = q.Joins(k.joins)
	}
	if scope != nil {
		q = scope.within(q, k.alias, k.territory, reachRead)
	}
	if dep = dbText(strings.TrimSpace(dep)); dep != "" {
		args := make([]any, k.depArgs)
		for i := range args {
			args[i] = dep
		}
		q = q.Where(k.depCond, args...)
	}
	return q
}

// suggest lists the places of the kind matching text, best first: the exact name, the
// names that start with the text, then the others, by name.
func (s *Store) suggest(ctx context.Context, k placeKind, scope Scope, dep, text string, limit int) ([]PlaceChoice, error) {
	if err := scope.readReference(); err != nil {
		return nil, err
	}
	text = strings.TrimSpace(dbText(text))
	if _, code, ok := labelled(text); ok && k.validCode(code) {
		text = code // a chosen label: its code
	}
	if text == "" {
		return nil, nil
	}
	if limit <= 0 || limit > MaxSuggestions {
		limit = MaxSuggestions
	}
	key := SearchKey(text)
	cond, args := s.searchWhere(k.fts, k.alias+".rowid", k.terms(text))
	var rows []placeRow
	err := s.placeQuery(ctx, k, &scope, dep).Where(cond, args...).
		Order(clause.OrderBy{Expression: clause.Expr{SQL: "CASE WHEN " + k.alias + ".nom_recherche = ? THEN 0 WHEN " + k.alias +
			".nom_recherche LIKE ? ESCAPE '\\' THEN 1 ELSE 2 END, " + k.alias + ".nom_recherche, " + k.code,
			Vars: []any{key, likePrefix(key)}, WithoutParentheses: true}}).
		Limit(limit).Scan(&rows).Error
	out := make([]PlaceChoice, len(rows))
	for i, r := range rows {
		out[i] = k.choice(r)
	}
	return out, err
}

// SuggestCommunes lists at most MaxSuggestions communes of the scope (and of the
// département when dep is not "") whose name, INSEE code or postcode matches text.
func (s *Store) SuggestCommunes(ctx context.Context, scope Scope, dep, text string) ([]PlaceChoice, error) {
	return s.suggest(ctx, communeKind, scope, dep, text, MaxSuggestions)
}

// SuggestEPCI lists at most MaxSuggestions EPCI and EPT of the scope (with a member commune
// in it, and in the département when dep is not "") whose name or SIREN matches text.
func (s *Store) SuggestEPCI(ctx context.Context, scope Scope, dep, text string) ([]PlaceChoice, error) {
	return s.suggest(ctx, epciKind, scope, dep, text, MaxSuggestions)
}

// SuggestEcoles lists at most MaxSuggestions écoles of the scope (and of the département
// when dep is not "") whose name or UAI matches text.
func (s *Store) SuggestEcoles(ctx context.Context, scope Scope, dep, text string) ([]PlaceChoice, error) {
	return s.suggest(ctx, ecoleKind, scope, dep, text, MaxSuggestions)
}

// labelPattern reads "Bobigny (93008)": a name, then a code in parentheses.
var labelPattern = regexp.MustCompile(`^(.*?)\s*\(\s*([0-9A-Za-z]+)\s*\)$`)

// labelled splits a label "Bobigny (93008)" into its name and upper-cased code.
func labelled(text string) (nom, code string, ok bool) {
	m := labelPattern.FindStringSubmatch(text)
	if m == nil {
		return "", "", false
	}
	return m[1], strings.ToUpper(m[2]), true
}

// resolve reads back the place a field holds. msg is the French message when text names
// none or several; err is a failure of the database.
func (s *Store) resolve(ctx context.Context, k placeKind, scope Scope, dep, text string) (PlaceChoice, string, error) {
	if err := scope.readReference(); err != nil {
		return PlaceChoice{}, "", err
	}
	text = strings.TrimSpace(dbText(text))
	nom, code, isLabel := labelled(text)
	switch {
	case isLabel && k.validCode(code):
	case k.validCode(strings.ToUpper(text)):
		nom, code = "", strings.ToUpper(text)
	default:
		if k.code == communeKind.code && len(text) == 5 && digits.MatchString(text) {
			return s.resolvePostcode(ctx, scope, dep, text)
		}
		return s.resolveName(ctx, k, scope, dep, text)
	}
	p, found, err := s.placeByCode(ctx, k, &scope, code)
	if err != nil || found {
		if found && nom != "" && SearchKey(nom) != SearchKey(p.Nom) {
			return PlaceChoice{}, fmt.Sprintf(k.msg.mismatch, text, code, p.Nom), nil
		}
		return p, "", err
	}
	if k.code == communeKind.code && !isLabel && digits.MatchString(code) {
		if p, msg, err := s.resolvePostcode(ctx, scope, dep, code); err != nil || msg != fmt.Sprintf(communeKind.msg.unknownCode, code) {
			return p, msg, err
		}
	}
	if p, found, err = s.placeByCode(ctx, k, nil, code); err != nil {
		return PlaceChoice{}, "", err
	} else if found {
		return PlaceChoice{}, fmt.Sprintf(k.msg.outOfScope, p.Label()), nil
	}
	return PlaceChoice{}, fmt.Sprintf(k.msg.unknownCode, code), nil
}

// placeByCode reads the place of this code, in the scope unless it is nil.
func (s *Store) placeByCode(ctx context.Context, k placeKind, scope *Scope, code string) (PlaceChoice, bool, error) {
	var rows []placeRow
	err := s.placeQuery(ctx, k, scope, "").Where(k.code+" = ?", code).Limit(1).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return PlaceChoice{}, false, err
	}
	return k.choice(rows[0]), true, nil
}

// resolvePostcode reads back a commune by its postcode, when one commune of the scope has it.
func (s *Store) resolvePostcode(ctx context.Context, scope Scope, dep, code string) (PlaceChoice, string, error) {
	for _, d := range distinct(dep, "") {
		var rows []placeRow
		err := s.placeQuery(ctx, communeKind, &scope, d).Where(`c.codes_postaux LIKE ? ESCAPE '\'`, likeContains(code)).
			Order("c.nom_recherche, c.code_insee").Limit(6).Scan(&rows).Error
		if err != nil {
			return PlaceChoice{}, "", err
		}
		switch {
		case len(rows) == 1:
			return communeKind.choice(rows[0]), "", nil
		case len(rows) > 1:
			return PlaceChoice{}, "Plusieurs communes ont le code postal " + code + " : précisez le nom ou le code INSEE (" + labels(communeKind, rows) + ").", nil
		}
	}
	return PlaceChoice{}, fmt.Sprintf(communeKind.msg.unknownCode, code), nil
}

// resolveName reads back a place by its name: the places of exactly this name (accents and
// case aside), or else the only place whose name contains it. The département narrows the
// search first; without a match there, the whole scope is searched (the form then says the
// place is in another département).
func (s *Store) resolveName(ctx context.Context, k placeKind, scope Scope, dep, text string) (PlaceChoice, string, error) {
	key := SearchKey(text)
	if key == "" {
		return PlaceChoice{}, fmt.Sprintf(k.msg.none, text), nil
	}
	deps := distinct(dep, "")
	for _, d := range deps {
		var rows []placeRow
		if err := s.placeQuery(ctx, k, &scope, d).Where(k.alias+".nom_recherche = ?", key).
			Order(k.code).Limit(6).Scan(&rows).Error; err != nil {
			return PlaceChoice{}, "", err
		}
		switch {
		case len(rows) == 1:
			return k.choice(rows[0]), "", nil
		case len(rows) > 1:
			return PlaceChoice{}, fmt.Sprintf(k.msg.homonyms, rows[0].Nom, labels(k, rows)), nil
		}
	}
	for _, d := range deps {
		cond, args := s.searchWhere(k.fts, k.alias+".rowid", nameTerm(k.alias, key))
		var rows []placeRow
		if err := s.placeQuery(ctx, k, &scope, d).Where(cond, args...).
			Order(k.alias + ".nom_recherche, " + k.code).Limit(6).Scan(&rows).Error; err != nil {
			return PlaceChoice{}, "", err
		}
		switch {
		case len(rows) == 1:
			return k.choice(rows[0]), "", nil
		case len(rows) > 1:
			return PlaceChoice{}, fmt.Sprintf(k.msg.several, text, labels(k, rows)), nil
		}
	}
	return PlaceChoice{}, fmt.Sprintf(k.msg.none, text), nil
}

// labels lists the labels of the first five rows, "…" after them.
func labels(k placeKind, rows []placeRow) string {
	var out []string
	for i, r := range rows {
		if i == 5 {
			out = append(out, "…")
			break
		}
		out = append(out, k.choice(r).Label())
	}
	return strings.Join(out, ", ")
}

// distinct lists the non-repeated values, in order.
func distinct(values ...string) []string {
	var out []string
	for _, v := range values {
		dup := false
		for _, o := range out {
			dup = dup || o == v
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}

// ResolveCommune reads back the commune a field holds: "Bobigny (93008)", an INSEE code, a
// postcode or a name that designates one commune of the scope (of the département dep
// first, when given). msg is the French message of a text that names none or several.
func (s *Store) ResolveCommune(ctx context.Context, scope Scope, dep, text string) (PlaceChoice, string, error) {
	return s.resolve(ctx, communeKind, scope, dep, text)
}

// ResolveEPCI reads back the EPCI a field holds: "Est Ensemble (200057875)", a SIREN or a
// name that designates one EPCI of the scope.
func (s *Store) ResolveEPCI(ctx context.Context, scope Scope, dep, text string) (PlaceChoice, string, error) {
	return s.resolve(ctx, epciKind, scope, dep, text)
}

// ResolveEcole reads back the école a field holds: its label, its UAI or a name that
// designates one école of the scope.
func (s *Store) ResolveEcole(ctx context.Context, scope Scope, dep, text string) (PlaceChoice, string, error) {
	return s.resolve(ctx, ecoleKind, scope, dep, text)
}

// CommuneLabels returns the labels of communes, "Bobigny (93008)", by INSEE code; unknown
// codes are left out.
func (s *Store) CommuneLabels(ctx context.Context, codes []string) (map[string]PlaceChoice, error) {
	return s.placeLabels(ctx, communeKind, codes)
}

// EPCILabels returns the EPCI of these SIREN, by SIREN; unknown ones are left out.
func (s *Store) EPCILabels(ctx context.Context, sirens []string) (map[string]PlaceChoice, error) {
	return s.placeLabels(ctx, epciKind, sirens)
}

func (s *Store) placeLabels(ctx context.Context, k placeKind, codes []string) (map[string]PlaceChoice, error) {
	out := map[string]PlaceChoice{}
	var clean []string
	for _, c := range codes {
		if c = strings.ToUpper(strings.TrimSpace(dbText(c))); c != "" {
			clean = append(clean, c)
		}
	}
	if len(clean) == 0 {
		return out, nil
	}
	for start := 0; start < len(clean); start += 500 {
		end := min(start+500, len(clean))
		var rows []placeRow
		if err := s.placeQuery(ctx, k, nil, "").Where(k.code+" IN ?", clean[start:end]).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.Code] = k.choice(r)
		}
	}
	return out, nil
}
