package models

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// usageColumns are the columns of a usage row as the bulk writer sends them (JSON, a chunk
// of rows per statement: import_upsert.go).
var usageColumns = []importColumn{
	{"uai", "text"}, {"periode", "date"}, {"granularite", "text"}, {"profil", "text"},
	{"connexions", "bigint"}, {"visiteurs", "bigint"}, {"comptes_charges", "bigint"}, {"comptes_actives", "bigint"},
	{"import_id", "bigint"}, {"departement_code", "text"}, {"code_circonscription", "text"}, {"code_insee", "text"},
}

// usageKeyJoin joins the stored usages u to the rows v sent on their natural key.
const usageKeyJoin = "u.uai = v.uai AND u.periode = v.periode AND u.granularite = v.granularite AND u.profil = v.profil"

// usageValues is the values of the rows (of granularity g, imported by the import id) in the
// order of usageColumns.
func (s *Store) usageValues(rows []UsageRow, g string, id int64, places map[string]usagePlace) [][]any {
	out := make([][]any, len(rows))
	count := func(n *int64) any {
		if n == nil {
			return nil
		}
		return *n
	}
	for i, r := range rows {
		p := places[r.UAI]
		var circo any
		if p.CodeCirconscription != nil {
			circo = *p.CodeCirconscription
		}
		out[i] = []any{r.UAI, s.jsonTime(r.Periode, true), g, r.Profil, count(r.Connexions), count(r.Visiteurs),
			count(r.ComptesCharges), count(r.ComptesActives), id, p.DepartementCode, circo, p.CodeINSEE}
	}
	return out
}

// countReplaced counts the stored rows that rows (of granularity g) would replace.
func (s *Store) countReplaced(db *gorm.DB, g string, rows []UsageRow) (int, error) {
	total := 0
	for chunk := range slices.Chunk(rows, deploiementBulk) {
		data, err := jsonParam(s.usageValues(chunk, g, 0, nil))
		if err != nil {
			return 0, err
		}
		var n int64
		if err := db.Raw("SELECT COUNT(*) FROM "+s.jsonRows(usageColumns)+" JOIN usages u ON "+usageKeyJoin, data).
			Scan(&n).Error; err != nil {
			return 0, err
		}
		total += int(n)
	}
	return total, nil
}

// jsonParam is rows as the one JSON parameter of the bulk statements.
func jsonParam(rows [][]any) (string, error) {
	data, err := json.Marshal(rows)
	return string(data), err
}

// UsageImport is an import of a statistics file in the history: who, when, which file, what
// it held, and whether it was undone.
type UsageImport struct {
	ID              int64
	Fichier         string
	ImportedAt      time.Time
	Actor           string
	ActorID         *int64
	DepartementCode *string
	PeriodeDebut    time.Time
	PeriodeFin      time.Time
	Lignes          int
	Ecoles          int
	Ignorees        int
	Remplacees      int
	UndoneAt        *time.Time
	UndoneBy        *string
}

// TableName is the history's table.
func (UsageImport) TableName() string { return "usage_imports" }

// ImportUsages imports the rows of f the actor may import, all or nothing: each replaces
// the stored row of the same école, period, granularity and profile (kept to undo the
// import), the monthly figures of the départements and months touched are recomputed, and
// the import is kept in the history and the audit log, in one transaction. A file with
// faults, or without any row to import, is refused (*ValidationError); ErrForbidden when the
// actor imports no statistics. The report's ImportID is the import's.
func (s *Store) ImportUsages(ctx context.Context, actor Actor, f *UsageFile) (UsageImportReport, error) {
	var rep UsageImportReport
	err := s.usageTx(ctx, func(tx *gorm.DB) error {
		p, err := s.planUsages(tx, actor, f)
		if err != nil {
			return err
		}
		if err := refuseUsages(p.report); err != nil {
			return err
		}
		imp := s.newUsageImport(actor, p)
		if err := tx.Create(&imp).Error; err != nil {
			return err
		}
		n, err := s.writeUsages(tx, imp.ID, f.Granularite, p)
		if err != nil {
			return err
		}
		p.report.ImportID, p.report.Remplacees = imp.ID, n
		if err := tx.Model(&imp).Update("remplacees", n).Error; err != nil {
			return err
		}
		if err := s.refreshUsageMonths(tx, usageSpans(p.rows, p.places)); err != nil {
			return err
		}
		rep = p.report
		return s.audit(tx, actor, "import", "usage_imports", strconv.FormatInt(imp.ID, 10), usageImportChanges(p.report))
	})
	return rep, err
}

// usageImportLock is the PostgreSQL advisory lock that serialises the imports of statistics
// and their undoing (SQLite's immediate transactions do): an import then keeps, to undo it,
// the rows as the previous import left them.
const usageImportLock = 0x05a9e

// usageTx runs fn in the transaction of an import or an undoing, serialised on PostgreSQL.
// (A larger SQLite page cache, as the reference imports take, made the national import
// slower: 13 → 19 CPU seconds for 270,000 rows.)
func (s *Store) usageTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if s.dialect == Postgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", usageImportLock).Error; err != nil {
				return err
			}
		}
		return fn(tx)
	})
}

// refuseUsages is the refusal of a file that cannot be applied, nil when it can.
func refuseUsages(r UsageImportReport) error {
	if len(r.Errors) > 0 {
		return &ValidationError{Errors: r.Errors}
	}
	if r.Lignes == 0 {
		v := &ValidationError{}
		v.Add(0, "", "aucune ligne de ce fichier ne concerne une école que vous pouvez importer : rien n'a été enregistré.")
		return v
	}
	return nil
}

// newUsageImport is the history row of an import planned by p: its département is the
// actor's when they have one, or the only one of its rows.
func (s *Store) newUsageImport(actor Actor, p *usagePlan) UsageImport {
	imp := UsageImport{Fichier: p.report.Fichier, ImportedAt: s.now().UTC(), Actor: actor.Name,
		PeriodeDebut: p.report.Periodes[0], PeriodeFin: p.report.Periodes[len(p.report.Periodes)-1],
		Lignes: p.report.Lignes, Ecoles: p.report.Ecoles, Ignorees: len(p.report.Ignorees)}
	if actor.UserID != 0 {
		imp.ActorID = &actor.UserID
	}
	if d := actor.Scope.SoleDepartement(); d != "" {
		imp.DepartementCode = &d
	} else if len(p.report.Departements) == 1 {
		imp.DepartementCode = &p.report.Departements[0]
	}
	return imp
}

// writeUsages keeps the stored rows the planned rows replace, then writes the planned rows
// over them (import id), a chunk per statement; it returns the number of rows replaced.
func (s *Store) writeUsages(tx *gorm.DB, id int64, g string, p *usagePlan) (int, error) {
	names := make([]string, len(usageColumns))
	sets := make([]string, 0, len(usageColumns))
	for i, c := range usageColumns {
		names[i] = c.name
		if i >= 4 {
			sets = append(sets, c.name+" = excluded."+c.name)
		}
	}
	list := strings.Join(names, ", ")
	keep := "INSERT INTO usages_remplacees (import_id, uai, periode, granularite, profil, connexions, visiteurs, comptes_charges, comptes_actives, ancien_import_id) " +
		"SELECT ?, u.uai, u.periode, u.granularite, u.profil, u.connexions, u.visiteurs, u.comptes_charges, u.comptes_actives, u.import_id FROM " +
		s.jsonRows(usageColumns) + " JOIN usages u ON " + usageKeyJoin
	write := "INSERT INTO usages (" + list + ") SELECT v." + strings.ReplaceAll(list, ", ", ", v.") + " FROM " + s.jsonRows(usageColumns) +
		" WHERE TRUE ON CONFLICT (uai, periode, granularite, profil) DO UPDATE SET " + strings.Join(sets, ", ")
	// In the order of the primary key: each chunk then walks the key's index in order
	// instead of touching a page per école.
	rows := slices.Clone(p.rows)
	slices.SortFunc(rows, func(a, b UsageRow) int {
		return cmp.Or(strings.Compare(a.UAI, b.UAI), a.Periode.Compare(b.Periode), strings.Compare(a.Profil, b.Profil))
	})
	replaced := 0
	for chunk := range slices.Chunk(rows, deploiementBulk) {
		data, err := jsonParam(s.usageValues(chunk, g, id, p.places))
		if err != nil {
			return 0, err
		}
		res := tx.Exec(keep, id, data)
		if res.Error != nil {
			return 0, res.Error
		}
		replaced += int(res.RowsAffected)
		if err := tx.Exec(write, data).Error; err != nil {
			return 0, err
		}
	}
	return replaced, nil
}

// usageImportChanges is the audit of an import: its file and what it held.
func usageImportChanges(r UsageImportReport) []Change {
	periode := ""
	if len(r.Periodes) > 0 {
		periode = r.Periodes[0].Format("2006-01-02") + " – " + r.Periodes[len(r.Periodes)-1].Format("2006-01-02")
	}
	return []Change{
		{Field: "fichier", Label: "Fichier", New: r.Fichier},
		{Field: "periode", Label: "Période", New: periode},
		{Field: "granularite", Label: "Granularité", New: r.GranulariteLabel()},
		{Field: "lignes", Label: "Lignes importées", New: strconv.Itoa(r.Lignes)},
		{Field: "ecoles", Label: "Écoles", New: strconv.Itoa(r.Ecoles)},
		{Field: "remplacees", Label: "Lignes remplacées", New: strconv.Itoa(r.Remplacees)},
		{Field: "ignorees", Label: "Lignes ignorées", New: strconv.Itoa(len(r.Ignorees))},
	}
}
