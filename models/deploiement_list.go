package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The list of the deployments is the list of the écoles of the scope with their deployment,
// if any (LEFT JOIN): an école without one is "hors programme" (phase filter "aucun"). Its
// filter serves the page, its exports, its API and the bulk change of "all the écoles
// matching the filter".

// PhaseNone is the phase filter's value of the écoles without deployment.
const PhaseNone = "aucun"

// DeploiementPhaseFilters are the values of the phase filter: the phases, and none.
var DeploiementPhaseFilters = append(append([]Choice{}, DeploiementPhases...), Choice{PhaseNone, "Hors programme"})

// DeploiementFilter selects the écoles of the deployment list; empty fields select
// everything. Commune is an INSEE code, EPCI a SIREN (EPCI or EPT of the école's commune),
// Phase one of DeploiementPhaseFilters, Retard the écoles whose planned opening has passed
// and that are not open.
type DeploiementFilter struct {
	Departement     string
	Circonscription string
	Commune         string
	EPCI            string
	Phase           string
	VagueID         int64
	SolutionID      int64
	Retard          bool
	Q               string
	Sort            string
}

// DeploiementSorts are the sort keys of the deployment list.
var DeploiementSorts = sortKeys{
	list: "deploiements",
	keys: map[string]sortKey{
		"nom": by(textCol("e.nom_recherche")),
		"commune": {cols: []sortCol{textCol("c.nom_recherche"), textCol("e.nom_recherche")},
			joins: []string{"JOIN communes AS c ON c.code_insee = e.code_insee"}},
		"phase":     by(intCol(phaseRank), textCol("e.nom_recherche")),
		"ouverture": by(textCol("COALESCE(CAST(d.ouverture_prevue AS TEXT), '~')"), textCol("e.nom_recherche")),
	},
	fallback: "nom",
	id:       textCol("e.uai"),
}

// phaseRank orders the phases as the programme does, the écoles without deployment first.
const phaseRank = `CASE d.phase WHEN 'candidate' THEN 1 WHEN 'etude' THEN 2 WHEN 'pilote' THEN 3
	WHEN 'en_deploiement' THEN 4 WHEN 'ouvert' THEN 5 WHEN 'generalise' THEN 6 WHEN 'abandonne' THEN 7 ELSE 0 END`

// DeploiementRow is an école of the deployment list with its deployment (Phase "" and
// Version 0 when it has none).
type DeploiementRow struct {
	UAI                 string `gorm:"column:uai"`
	Nom                 string
	CodeINSEE           string `gorm:"column:code_insee"`
	CommuneNom          string
	DepartementCode     string
	CodeCirconscription string
	NbEleves            *int
	Phase               string
	DatePhase           *time.Time
	VagueID             *int64
	VagueNom            string
	SolutionID          *int64
	SolutionNom         string
	OuverturePrevue     *time.Time
	OuvertureEffective  *time.Time
	Version             int
	UpdatedAt           *time.Time
	// Ecart is the slippage in calendar days: the actual opening (today when not open yet)
	// minus the planned one; positive is late; nil without planned opening.
	Ecart *int `gorm:"-"`
}

// InProgramme reports whether the école has a deployment.
func (r DeploiementRow) InProgramme() bool { return r.Phase != "" }

// PhaseLabel is the French label of the phase, "Hors programme" without deployment.
func (r DeploiementRow) PhaseLabel() string {
	if r.Phase == "" {
		return "Hors programme"
	}
	return LabelOf(DeploiementPhases, r.Phase)
}

// Open reports whether the école's ENT is open.
func (r DeploiementRow) Open() bool { return PhaseOpen(r.Phase) }

// Late reports whether the école opened, or is still to open, after its planned date.
func (r DeploiementRow) Late() bool { return r.Ecart != nil && *r.Ecart > 0 }

const deploiementColumns = `e.uai, e.nom, e.code_insee, c.nom AS commune_nom, e.departement_code,
	COALESCE(e.code_circonscription, '') AS code_circonscription, e.nb_eleves, COALESCE(d.phase, '') AS phase,
	d.date_phase, d.vague_id, COALESCE(v.nom, '') AS vague_nom, d.solution_id, COALESCE(so.produit, '') AS solution_nom,
	d.ouverture_prevue, d.ouverture_effective, COALESCE(d.version, 0) AS version, d.updated_at`

// needsDeploiement reports whether the filter or the sort reads the deployments.
func (f DeploiementFilter) needsDeploiement() bool {
	k := strings.TrimPrefix(f.Sort, "-")
	return f.Phase != "" || f.VagueID != 0 || f.SolutionID != 0 || f.Retard || k == "phase" || k == "ouverture"
}

// deploiementsQuery is the filtered query of the list: the écoles of the scope (alias e),
// joined to their deployments (alias d) when the filter or sort needs them.
func (s *Store) deploiementsQuery(ctx context.Context, scope Scope, f DeploiementFilter, join bool) *gorm.DB {
	ef := EcoleFilter{Departement: f.Departement, Circonscription: f.Circonscription, Commune: f.Commune, Q: f.Q}
	q := scope.within(s.ecolesWhere(ctx, ef, s.searchWhere), "e", ecolesTerritory, reachRead)
	if e := dbText(strings.TrimSpace(f.EPCI)); e != "" {
		q = q.Where("e.code_insee IN (SELECT fc.code_insee FROM communes fc WHERE fc.epci_siren = ? OR fc.ept_siren = ?)", e, e)
	}
	if !join && !f.needsDeploiement() {
		return q
	}
	if f.Phase != "" && f.Phase != PhaseNone || f.VagueID != 0 || f.SolutionID != 0 || f.Retard {
		// Only écoles with a deployment match: an inner join lets the deployments' indexes drive.
		q = q.Joins("JOIN deploiements AS d ON d.uai = e.uai")
	} else {
		q = q.Joins("LEFT JOIN deploiements AS d ON d.uai = e.uai")
	}
	switch p := dbText(f.Phase); p {
	case "":
	case PhaseNone:
		q = q.Where("d.id IS NULL")
	default:
		q = q.Where("d.phase = ?", p)
	}
	if f.VagueID != 0 {
		q = q.Where("d.vague_id = ?", f.VagueID)
	}
	if f.SolutionID != 0 {
		q = q.Where("d.solution_id = ?", f.SolutionID)
	}
	if f.Retard {
		q = q.Where("d.ouverture_prevue < ? AND d.ouverture_effective IS NULL AND d.phase NOT IN ('ouvert', 'generalise')", s.todayDate())
	}
	return q
}

// deploiementsSelect reads the columns of the list on the filtered query q (joined to the
// deployments).
func deploiementsSelect(q *gorm.DB) *gorm.DB {
	return q.Select(deploiementColumns).
		Joins("JOIN communes AS c ON c.code_insee = e.code_insee").
		Joins("LEFT JOIN vagues AS v ON v.id = d.vague_id").
		Joins("LEFT JOIN solutions_ent AS so ON so.id = d.solution_id")
}

// ListDeploiements returns one page of the écoles of the scope matching f with their
// deployments, and their total.
func (s *Store) ListDeploiements(ctx context.Context, scope Scope, f DeploiementFilter, p PageRequest) (Page[DeploiementRow], error) {
	terms := ecoleTerms(searchText(f.Q))
	lq := listQuery{rows: func() *gorm.DB { return s.deploiementsQuery(ctx, scope, f, false) },
		order: DeploiementSorts.order(f.Sort), search: indexable(terms)}
	switch {
	case scope.Kind != ScopeAcademie:
	case f == (DeploiementFilter{Departement: f.Departement, Sort: f.Sort}):
		lq.count = s.referenceTotal(ctx, "nb_ecoles", dbText(f.Departement))
	case f == (DeploiementFilter{Departement: f.Departement, Phase: f.Phase, Sort: f.Sort}) && f.Phase != PhaseNone:
		lq.count = s.keptPhaseTotal(ctx, dbText(f.Departement), dbText(f.Phase))
	}
	today := s.todayDate()
	return readPage(ctx, s, lq, p, func(uais []string) ([]DeploiementRow, error) {
		var rows []DeploiementRow
		err := deploiementsSelect(s.deploiementsQuery(ctx, scope, DeploiementFilter{}, true)).Where("e.uai IN ?", uais).Scan(&rows).Error
		withEcarts(rows, today)
		return rows, err
	}, func(r DeploiementRow) string { return r.UAI })
}

// keptPhaseTotal counts the deployments in a phase, of a département or of all, from the
// kept figures (chiffres_deploiements).
func (s *Store) keptPhaseTotal(ctx context.Context, dep, phase string) func() (int64, error) {
	return func() (int64, error) {
		q := s.db.WithContext(ctx).Table("chiffres_deploiements").Where("phase = ?", phase)
		if dep != "" {
			q = q.Where("departement_code = ?", dep)
		}
		var n int64
		err := q.Select("COALESCE(SUM(nb_ecoles), 0)").Scan(&n).Error
		return n, err
	}
}

// withEcarts computes the slippage of the rows on today.
func withEcarts(rows []DeploiementRow, today time.Time) {
	for i := range rows {
		rows[i].Ecart = Ecart(rows[i].OuverturePrevue, rows[i].OuvertureEffective, today)
	}
}

// Ecart is the slippage in calendar days of an opening: actual (today when nil) minus
// planned; nil without a planned date.
func Ecart(prevue, effective *time.Time, today time.Time) *int {
	if prevue == nil {
		return nil
	}
	end := today
	if effective != nil {
		end = *effective
	}
	a, b := dateOnly(end), dateOnly(*prevue)
	n := int(a.Sub(time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, a.Location())).Hours() / 24)
	return &n
}

// EachDeploiement calls fn for every école of the scope matching f with its deployment, in
// list order, from a cursor (the exports).
func (s *Store) EachDeploiement(ctx context.Context, scope Scope, f DeploiementFilter, fn func(DeploiementRow) error) error {
	q := deploiementsSelect(s.deploiementsQuery(ctx, scope, f, true)).Order(DeploiementSorts.orderBy(f.Sort))
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	today := s.todayDate()
	for rows.Next() {
		var r DeploiementRow
		if err := s.db.ScanRows(rows, &r); err != nil {
			return err
		}
		r.Ecart = Ecart(r.OuverturePrevue, r.OuvertureEffective, today)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// MatchingEcoles returns the UAI of every école of the scope matching f: the selection
// "all the écoles matching the filter" of the bulk change.
func (s *Store) MatchingEcoles(ctx context.Context, scope Scope, f DeploiementFilter) ([]string, error) {
	var out []string
	err := s.deploiementsQuery(ctx, scope, f, false).Order("e.uai").Pluck("e.uai", &out).Error
	return out, err
}

// GetDeploiementRow returns the école uai of the scope with its deployment, as the list
// shows it; ErrNotFound outside the scope.
func (s *Store) GetDeploiementRow(ctx context.Context, scope Scope, uai string) (DeploiementRow, error) {
	var rows []DeploiementRow
	err := deploiementsSelect(s.deploiementsQuery(ctx, scope, DeploiementFilter{}, true)).Where("e.uai = ?", dbText(uai)).Limit(1).Scan(&rows).Error
	if err != nil {
		return DeploiementRow{}, err
	}
	if len(rows) == 0 {
		return DeploiementRow{}, ErrNotFound
	}
	withEcarts(rows, s.todayDate())
	return rows[0], nil
}

// CanWriteDeploiement reports whether the actor writes the deployment of the école uai
// (whether it has one or not): the pages offer the forms only then.
func (s *Store) CanWriteDeploiement(ctx context.Context, actor Actor, uai string) (bool, error) {
	var n int64
	err := writableIn(s.db.WithContext(ctx).Table("ecoles AS w"), actor, EntityDeploiement, "w").Where("w.uai = ?", dbText(uai)).Count(&n).Error
	return n > 0, err
}

// SetsDeploiementPlan reports whether the actor's role sets the wave and solution of the
// deployments it writes (the IEN sets only the phase and dates).
func SetsDeploiementPlan(actor Actor) bool {
	return CanCreate(actor, EntityDeploiement) && actor.Role != RoleIEN
}

// PhaseTone is the tone of a phase's badge: success for an open ENT, error for an
// abandoned one, info before the pilot, new in pilot or deployment, "" without deployment.
func PhaseTone(phase string) string {
	switch phase {
	case "ouvert", "generalise":
		return "success"
	case "abandonne":
		return "error"
	case "candidate", "etude":
		return "info"
	case "pilote", "en_deploiement":
		return "new"
	}
	return ""
}

// Tone is the tone of the row's phase badge (PhaseTone).
func (r DeploiementRow) Tone() string { return PhaseTone(r.Phase) }
