package models

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// Kinds of decisions.
const (
	DecisionArbitrage   = "arbitrage"
	DecisionOrientation = "orientation"
	DecisionValidation  = "validation"
	DecisionInformation = "information"
)

// DecisionKinds lists the kinds of decisions with their French labels.
var DecisionKinds = []Choice{
	{DecisionArbitrage, "Arbitrage"}, {DecisionOrientation, "Orientation"},
	{DecisionValidation, "Validation"}, {DecisionInformation, "Information"},
}

// MaxDecisionTexte is the limit of a decision's text, in characters.
const MaxDecisionTexte = 5000

// Levels of the territories a decision concerns.
const (
	NiveauAcademie    = "academie"
	NiveauDepartement = "departement"
	NiveauCommune     = "commune"
)

// Decision is a decision taken in a meeting: it is scoped, and written, through the
// meeting's body (canWriteInstance).
type Decision struct {
	ID         int64
	ReunionID  int64
	Texte      string
	Kind       string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
	Version    int
}

// TableName is the decisions table.
func (Decision) TableName() string { return "decisions" }

// DecisionTerritoire is one territory a decision concerns; Nom is the commune's name.
type DecisionTerritoire struct {
	DecisionID int64
	Niveau     string
	Code       string
	Nom        string `gorm:"-"`
}

// TableName is the decision_territoires table.
func (DecisionTerritoire) TableName() string { return "decision_territoires" }

// Label is "Académie", "Département 93" or "Bobigny (93008)".
func (t DecisionTerritoire) Label() string {
	switch t.Niveau {
	case NiveauAcademie:
		return "Académie"
	case NiveauDepartement:
		return "Département " + t.Code
	}
	if t.Nom == "" {
		return t.Code
	}
	return t.Nom + " (" + t.Code + ")"
}

// DecisionRow is a decision with its meeting and body, as pages and exports show it.
type DecisionRow struct {
	Decision
	InstanceID      int64
	InstanceNom     string
	DepartementCode *string
	ReunionTitre    string
	ReunionDebut    time.Time
	Territoires     []DecisionTerritoire `gorm:"-"`
}

// KindLabel is the French label of the decision's kind.
func (d Decision) KindLabel() string { return LabelOf(DecisionKinds, d.Kind) }

// ReunionLabel is the meeting's title, or the body's name and date.
func (d DecisionRow) ReunionLabel() string {
	return ReunionRow{Reunion: Reunion{Titre: d.ReunionTitre, Debut: d.ReunionDebut}, InstanceNom: d.InstanceNom}.Label()
}

// TerritoiresLabel lists the territories, "" when none.
func (d DecisionRow) TerritoiresLabel() string {
	out := make([]string, 0, len(d.Territoires))
	for _, t := range d.Territoires {
		out = append(out, t.Label())
	}
	return strings.Join(out, ", ")
}

// Departements are the codes of the départements the decision concerns.
func (d DecisionRow) Departements() []string { return d.codes(NiveauDepartement) }

// Communes are the INSEE codes of the communes the decision concerns.
func (d DecisionRow) Communes() []string { return d.codes(NiveauCommune) }

// Academie reports whether the decision concerns the whole académie.
func (d DecisionRow) Academie() bool { return len(d.codes(NiveauAcademie)) > 0 }

func (d DecisionRow) codes(niveau string) []string {
	var out []string
	for _, t := range d.Territoires {
		if t.Niveau == niveau {
			out = append(out, t.Code)
		}
	}
	return out
}

func (d DecisionRow) instance() Instance {
	return Instance{ID: d.InstanceID, DepartementCode: d.DepartementCode}
}

// DecisionInput is what the decision form gives. Communes are INSEE codes separated by
// commas or spaces.
type DecisionInput struct {
	ReunionID    int64
	Texte        string
	Kind         string
	Academie     bool
	Departements []string
	Communes     string
}

var decisionFields = []Choice{{"reunion", "Réunion"}, {"texte", "Texte"}, {"type", "Type"}, {"territoires", "Territoires"}}

func (d DecisionRow) auditValues() map[string]string {
	return map[string]string{"reunion": d.ReunionLabel(), "texte": d.Texte, "type": d.KindLabel(), "territoires": d.TerritoiresLabel()}
}

// ValidDecisionKind reports whether kind is one of DecisionKinds.
func ValidDecisionKind(kind string) bool { return slices.Contains(ChoiceValues(DecisionKinds), kind) }

// checkDecision validates the input against the rules, the reference data and the actor's
// scope, and returns the decision and the territories it describes (sorted, without
// duplicates). A territory outside the actor's scope (the académie for a département's
// IA-DASEN, another département, a commune of another département) is a field error: a
// decision speaks for its author's territory only.
func checkDecision(tx *gorm.DB, actor Actor, in DecisionInput) (Decision, []DecisionTerritoire, error) {
	var errs ValidationError
	d := Decision{ReunionID: in.ReunionID, Texte: strings.TrimSpace(strings.ReplaceAll(in.Texte, "\r\n", "\n")), Kind: strings.TrimSpace(in.Kind)}
	if in.ReunionID <= 0 {
		errs.Add(0, "reunion", "Choisissez la réunion où la décision a été prise.")
	}
	if msg := textProblem("Le texte de la décision", d.Texte, MaxDecisionTexte, true, true); msg != "" {
		errs.Add(0, "texte", msg)
	}
	switch {
	case d.Kind == "":
		errs.Add(0, "type", "Choisissez le type de décision.")
	case !ValidDecisionKind(d.Kind):
		errs.Add(0, "type", "Type de décision inconnu : choisissez dans la liste.")
	}
	terr, err := checkTerritoires(tx, actor.Scope, in, &errs)
	if err != nil {
		return d, nil, err
	}
	return d, terr, errs.OrNil()
}

// checkTerritoires reads the territories of the input, known to the reference data and
// inside the scope, and records a field error for the others.
func checkTerritoires(tx *gorm.DB, scope Scope, in DecisionInput, errs *ValidationError) ([]DecisionTerritoire, error) {
	var terr []DecisionTerritoire
	var outside []string // the académie and the départements outside the scope
	if in.Academie {
		if scope.CoversAcademie() {
			terr = append(terr, DecisionTerritoire{Niveau: NiveauAcademie})
		} else {
			outside = append(outside, "toute l'académie")
		}
	}
	deps := map[string]bool{}
	for _, code := range in.Departements {
		if code = strings.TrimSpace(code); code != "" {
			deps[code] = true
		}
	}
	if len(deps) > 0 {
		var known []string
		if err := tx.Table("departements").Where("code IN ?", dbTexts(keys(deps))).Pluck("code", &known).Error; err != nil {
			return nil, err
		}
		for _, code := range keys(deps) {
			switch {
			case !slices.Contains(known, code):
				errs.Add(0, "departements", "Département inconnu : "+code+".")
			case !scope.CoversDepartement(code):
				outside = append(outside, "département "+code)
			default:
				terr = append(terr, DecisionTerritoire{Niveau: NiveauDepartement, Code: code})
			}
		}
	}
	if len(outside) > 0 {
		errs.Add(0, "departements", "Hors de votre périmètre ("+scope.String()+") : "+strings.Join(outside, ", ")+
			". Une décision ne concerne que des territoires de votre périmètre.")
	}
	communes := map[string]bool{}
	for _, code := range strings.FieldsFunc(strings.ToUpper(in.Communes), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		communes[code] = true
	}
	if len(communes) > 0 {
		codes := dbTexts(keys(communes))
		var known []struct {
			CodeINSEE string `gorm:"column:code_insee"`
			Nom       string
		}
		if err := tx.Table("communes AS c").Select("c.code_insee, c.nom").Where("c.code_insee IN ?", codes).Scan(&known).Error; err != nil {
			return nil, err
		}
		var inScope []string
		if err := scope.within(tx.Table("communes AS c"), "c", communesTerritory, reachRead).Where("c.code_insee IN ?", codes).
			Pluck("c.code_insee", &inScope).Error; err != nil {
			return nil, err
		}
		names := map[string]string{}
		for _, c := range known {
			names[c.CodeINSEE] = c.Nom
		}
		var unknown, foreign []string
		for _, code := range keys(communes) {
			switch nom, ok := names[code]; {
			case !ok:
				unknown = append(unknown, code)
			case !slices.Contains(inScope, code):
				foreign = append(foreign, nom+" ("+code+")")
			default:
				terr = append(terr, DecisionTerritoire{Niveau: NiveauCommune, Code: code})
			}
		}
		if len(unknown) > 0 {
			errs.Add(0, "communes", "Codes INSEE inconnus du référentiel : "+strings.Join(unknown, ", ")+" (exemple attendu : 93008).")
		}
		if len(foreign) > 0 {
			errs.Add(0, "communes", "Communes hors de votre périmètre ("+scope.String()+") : "+strings.Join(foreign, ", ")+
				". Une décision ne concerne que des communes de votre périmètre.")
		}
	}
	return terr, nil
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func dbTexts(in []string) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = dbText(v)
	}
	return out
}

// CanWriteDecision reports whether the actor may change the decision: whoever writes the
// body of its meeting (canWriteInstance, the one rule of governance).
func CanWriteDecision(actor Actor, d DecisionRow) bool { return canWriteInstance(actor, d.instance()) }

// writableMeeting returns the meeting of the scope a decision or an action hangs on, once
// the actor may write its body; a meeting outside the scope is a field error.
func writableMeeting(tx *gorm.DB, actor Actor, id int64) (ReunionRow, error) {
	r, err := getReunion(tx, actor.Scope, id, false)
	if errors.Is(err, ErrNotFound) {
		return r, &ValidationError{Errors: []FieldError{{Field: "reunion", Msg: "Réunion inconnue : choisissez dans la liste."}}}
	}
	if err != nil {
		return r, err
	}
	if !canWriteInstance(actor, r.instance()) {
		return r, ErrForbidden
	}
	return r, nil
}

func insertTerritoires(tx *gorm.DB, id int64, terr []DecisionTerritoire) error {
	if err := tx.Where("decision_id = ?", id).Delete(&DecisionTerritoire{}).Error; err != nil {
		return err
	}
	for i := range terr {
		terr[i].DecisionID = id
	}
	if len(terr) == 0 {
		return nil
	}
	return tx.Create(&terr).Error
}

// CreateDecision records a decision of a meeting whose body the actor writes. Field errors
// come first, then the write rule (ErrForbidden).
func (s *Store) CreateDecision(ctx context.Context, actor Actor, in DecisionInput) (DecisionRow, error) {
	var row DecisionRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		d, terr, err := checkDecision(tx, actor, in)
		if err != nil {
			return err
		}
		if _, err := writableMeeting(tx, actor, d.ReunionID); err != nil {
			return err
		}
		now := s.now().UTC()
		d.CreatedAt, d.UpdatedAt, d.Version = now, now, 1
		if err := tx.Create(&d).Error; err != nil {
			return err
		}
		if err := insertTerritoires(tx, d.ID, terr); err != nil {
			return err
		}
		if row, err = getDecision(tx, actor.Scope, d.ID, false); err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "decision", strconv.FormatInt(d.ID, 10), diff(decisionFields, nil, row.auditValues()))
	})
	return row, err
}

// UpdateDecision changes a decision if it is still at version: ErrNotFound outside the
// scope, ErrForbidden when the actor may not write it (or move it to that meeting), a
// *ConflictError on a stale version. Empty territories clear them.
func (s *Store) UpdateDecision(ctx context.Context, actor Actor, id int64, version int, in DecisionInput) (DecisionRow, error) {
	var terr []DecisionTerritoire
	return decisionEdit(actor).apply(ctx, s, actor, id, version, func(tx *gorm.DB, _ DecisionRow) (map[string]any, error) {
		d, t, err := checkDecision(tx, actor, in)
		if err != nil {
			return nil, err
		}
		if _, err := writableMeeting(tx, actor, d.ReunionID); err != nil {
			return nil, err
		}
		terr = t
		return map[string]any{"reunion_id": d.ReunionID, "texte": d.Texte, "kind": d.Kind}, nil
	}, func(tx *gorm.DB) error { return insertTerritoires(tx, id, terr) })
}

// decisionEdit is the write path of an existing decision.
func decisionEdit(actor Actor) recordEdit[DecisionRow] {
	return recordEdit[DecisionRow]{entity: "decision", model: &Decision{}, fields: decisionFields, get: getDecision,
		version: func(d DecisionRow) int { return d.Version },
		may:     func(_ *gorm.DB, d DecisionRow) error { return forbiddenUnless(CanWriteDecision(actor, d)) }}
}

// ArchiveDecision archives a decision (whoever writes its body): it vanishes from lists,
// exports and pages, with its actions. RestoreDecision brings it back.
func (s *Store) ArchiveDecision(ctx context.Context, actor Actor, id int64) error {
	return s.setDecisionArchived(ctx, actor, id, true)
}

// RestoreDecision brings an archived decision back.
func (s *Store) RestoreDecision(ctx context.Context, actor Actor, id int64) error {
	return s.setDecisionArchived(ctx, actor, id, false)
}

func (s *Store) setDecisionArchived(ctx context.Context, actor Actor, id int64, archive bool) error {
	return setRecordArchived(ctx, s, actor, &Decision{}, "decision", id, archive, getDecision,
		func(d DecisionRow) error { return forbiddenUnless(CanWriteDecision(actor, d)) })
}

// DecisionFilter selects decisions; empty fields select everything. Territoire is a
// département code or a commune's INSEE code; Du and Au are days of the meeting.
type DecisionFilter struct {
	InstanceID int64
	ReunionID  int64 // the decisions taken at one meeting
	Kind       string
	Territoire string
	Du, Au     *time.Time
	Q          string
}

// decisionsIn starts every query of decisions: those whose meeting's body is in the scope.
func decisionsIn(tx *gorm.DB, scope Scope, archived bool) *gorm.DB {
	q := scope.restrictTo(tx.Table("decisions AS d").
		Joins("JOIN reunions r ON r.id = d.reunion_id").Joins("JOIN instances i ON i.id = r.instance_id"), EntityInstance, "i").
		Where("r.archived_at IS NULL AND i.archived_at IS NULL")
	if archived {
		return q.Where("d.archived_at IS NOT NULL")
	}
	return q.Where("d.archived_at IS NULL")
}

const decisionColumns = `d.id, d.reunion_id, d.texte, d.kind, d.created_at, d.updated_at, d.archived_at, d.version,
	i.id AS instance_id, i.nom AS instance_nom, i.departement_code, r.titre AS reunion_titre, r.debut AS reunion_debut`

func filterDecisions(q *gorm.DB, f DecisionFilter) *gorm.DB {
	return filterDecisionMeetings(filterOwnDecisions(q, f), f)
}

// filterOwnDecisions applies the filters on the decisions' own columns.
func filterOwnDecisions(q *gorm.DB, f DecisionFilter) *gorm.DB {
	if f.ReunionID > 0 {
		q = q.Where("d.reunion_id = ?", f.ReunionID)
	}
	if k := dbText(f.Kind); k != "" {
		q = q.Where("d.kind = ?", k)
	}
	if t := strings.ToUpper(dbText(strings.TrimSpace(f.Territoire))); t != "" {
		niveau := NiveauCommune
		if len(t) <= 3 {
			niveau = NiveauDepartement
		}
		// Uncorrelated: the decisions of the territory are read once from their index, not
		// looked up decision by decision.
		q = q.Where("d.id IN (SELECT ft.decision_id FROM decision_territoires ft WHERE ft.niveau = ? AND ft.code = ?)", niveau, t)
	}
	if text := strings.ToLower(strings.TrimSpace(dbText(f.Q))); text != "" {
		q = q.Where(`LOWER(d.texte) LIKE ? ESCAPE '\'`, likeContains(text))
	}
	return q
}

// filterDecisionMeetings applies the filters on the decisions' meeting (r) and body (i).
func filterDecisionMeetings(q *gorm.DB, f DecisionFilter) *gorm.DB {
	if f.InstanceID > 0 {
		q = q.Where("i.id = ?", f.InstanceID)
	}
	z := fr.Paris()
	if f.Du != nil {
		q = q.Where("r.debut >= ?", time.Date(f.Du.Year(), f.Du.Month(), f.Du.Day(), 0, 0, 0, 0, z).UTC())
	}
	if f.Au != nil {
		q = q.Where("r.debut < ?", time.Date(f.Au.Year(), f.Au.Month(), f.Au.Day()+1, 0, 0, 0, 0, z).UTC())
	}
	return q
}

// decisionsCount counts the decisions of the list on the decisions table alone, where the
// list's three-table join looked up the meeting and the body of every decision (30,000 at
// national scale): the live decisions of the meetings that count (live, of a live body of
// the scope, matching the filters on meetings), read once in a subquery. Over the whole
// académie, all meetings count but the archived ones and those of archived bodies: the
// live decisions are counted from their index, less those of these few meetings.
func decisionsCount(tx *gorm.DB, scope Scope, f DecisionFilter) (int64, error) {
	live := func() *gorm.DB {
		return filterOwnDecisions(tx.Table("decisions AS d").Where("d.archived_at IS NULL"), f)
	}
	var n, dead int64
	if scope.CoversAcademie() && f.InstanceID == 0 && f.Du == nil && f.Au == nil {
		if err := live().Count(&n).Error; err != nil {
			return 0, err
		}
		archived := tx.Table("reunions AS r").Joins("JOIN instances i ON i.id = r.instance_id").
			Where("r.archived_at IS NOT NULL OR i.archived_at IS NOT NULL").Select("r.id")
		err := live().Where("d.reunion_id IN (?)", archived).Count(&dead).Error
		return n - dead, err
	}
	meetings := filterDecisionMeetings(scope.restrictTo(tx.Table("reunions AS r").
		Joins("JOIN instances i ON i.id = r.instance_id"), EntityInstance, "i").
		Where("r.archived_at IS NULL AND i.archived_at IS NULL"), f).Select("r.id")
	err := live().Where("d.reunion_id IN (?)", meetings).Count(&n).Error
	return n, err
}

const decisionOrder = "r.debut DESC, d.id DESC"

// decisionsOrder is the order of the decisions list: latest meetings first.
var decisionsOrder = fixedOrder("decisions", true, timeCol("r.debut"), intCol("d.id"))

// ListDecisions returns one page of the live decisions of the scope matching f, latest
// meetings first, with their territories.
func (s *Store) ListDecisions(ctx context.Context, scope Scope, f DecisionFilter, p PageRequest) (Page[DecisionRow], error) {
	db := s.db.WithContext(ctx)
	lq := listQuery{rows: func() *gorm.DB { return filterDecisions(decisionsIn(db, scope, false), f) },
		count: func() (int64, error) { return decisionsCount(db, scope, f) }, order: decisionsOrder}
	return readPage(ctx, s, lq, p, func(ids []int64) ([]DecisionRow, error) {
		var rows []DecisionRow
		if err := decisionsIn(db, scope, false).Select(decisionColumns).Where("d.id IN ?", ids).Scan(&rows).Error; err != nil {
			return nil, err
		}
		return rows, withTerritoires(db, rows)
	}, func(r DecisionRow) int64 { return r.ID })
}

// EachDecision calls fn for every live decision of the scope matching f, in list order,
// by batches of 500 (territories loaded once per batch).
func (s *Store) EachDecision(ctx context.Context, scope Scope, f DecisionFilter, fn func(DecisionRow) error) error {
	db := s.db.WithContext(ctx)
	return eachInBatches(500, func(limit, offset int) ([]DecisionRow, error) {
		var rows []DecisionRow
		if err := filterDecisions(decisionsIn(db, scope, false), f).Select(decisionColumns).Order(decisionOrder).
			Limit(limit).Offset(offset).Scan(&rows).Error; err != nil {
			return nil, err
		}
		return rows, withTerritoires(db, rows)
	}, fn)
}

// withTerritoires loads the territories of the decisions in one query.
func withTerritoires(tx *gorm.DB, rows []DecisionRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var terr []struct {
		DecisionID int64
		Niveau     string
		Code       string
		Nom        string
	}
	if err := tx.Table("decision_territoires AS t").Select("t.decision_id, t.niveau, t.code, COALESCE(c.nom, '') AS nom").
		Joins("LEFT JOIN communes c ON t.niveau = 'commune' AND c.code_insee = t.code").Where("t.decision_id IN ?", ids).
		Order("t.decision_id, CASE t.niveau WHEN 'academie' THEN 0 WHEN 'departement' THEN 1 ELSE 2 END, t.code").Scan(&terr).Error; err != nil {
		return err
	}
	at := map[int64]int{}
	for i, r := range rows {
		at[r.ID] = i
	}
	for _, t := range terr {
		i := at[t.DecisionID]
		rows[i].Territoires = append(rows[i].Territoires, DecisionTerritoire{DecisionID: t.DecisionID, Niveau: t.Niveau, Code: t.Code, Nom: t.Nom})
	}
	return nil
}

func getDecision(tx *gorm.DB, scope Scope, id int64, archived bool) (DecisionRow, error) {
	var rows []DecisionRow
	if err := decisionsIn(tx, scope, archived).Select(decisionColumns).Where("d.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return DecisionRow{}, err
	}
	if len(rows) == 0 {
		return DecisionRow{}, ErrNotFound
	}
	if err := withTerritoires(tx, rows); err != nil {
		return DecisionRow{}, err
	}
	return rows[0], nil
}

// GetDecision returns one live decision of the scope; ErrNotFound otherwise.
func (s *Store) GetDecision(ctx context.Context, scope Scope, id int64) (DecisionRow, error) {
	return getDecision(s.db.WithContext(ctx), scope, id, false)
}

// GetArchivedDecision returns one archived decision of the scope, for its restoration.
func (s *Store) GetArchivedDecision(ctx context.Context, scope Scope, id int64) (DecisionRow, error) {
	return getDecision(s.db.WithContext(ctx), scope, id, true)
}

// MeetingChoices lists the live meetings whose body the actor writes, latest first, for
// the decision and action forms.
func (s *Store) MeetingChoices(ctx context.Context, actor Actor) ([]Choice, error) {
	var rows []ReunionRow
	if err := reunionsIn(s.db.WithContext(ctx), actor.Scope, false).Select(reunionColumns).
		Order("r.debut DESC, r.id DESC").Limit(MaxChoices).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := []Choice{}
	for _, r := range rows {
		if CanWriteReunion(actor, r) {
			out = append(out, Choice{Value: strconv.FormatInt(r.ID, 10),
				Label: r.InstanceNom + " — " + fr.ParisDay(r.Debut) + " — " + r.Label()})
		}
	}
	return out, nil
}
