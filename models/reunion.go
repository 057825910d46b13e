package models

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Statuses of a meeting.
const (
	ReunionPlanifiee = "planifiee"
	ReunionTenue     = "tenue"
	ReunionReportee  = "reportee"
	ReunionAnnulee   = "annulee"
)

// ReunionStatuses lists the statuses of a meeting with their French labels.
var ReunionStatuses = []Choice{
	{ReunionPlanifiee, "Planifiée"}, {ReunionTenue, "Tenue"}, {ReunionReportee, "Reportée"}, {ReunionAnnulee, "Annulée"},
}

// Presences lists the attendance values of an invitee.
var Presences = []Choice{{"invite", "Invité"}, {"present", "Présent"}, {"excuse", "Excusé"}, {"absent", "Absent"}}

// Limits of the meeting's text fields, in characters.
const (
	MaxReunionTitre       = 200
	MaxReunionLieu        = 300
	MaxReunionCompteRendu = 50000
)

// Reunion is a meeting of a body; it is scoped, and written, through its body.
type Reunion struct {
	ID          int64
	InstanceID  int64
	Titre       string
	Debut       time.Time
	Fin         time.Time
	Lieu        string
	Visio       string
	Statut      string
	CompteRendu string
	Sequence    int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ArchivedAt  *time.Time
	Version     int
}

// TableName is the reunions table.
func (Reunion) TableName() string { return "reunions" }

// ReunionRow is a meeting with its body's name and scope.
type ReunionRow struct {
	Reunion
	InstanceNom     string
	DepartementCode *string
}

// StatutLabel is the French label of the meeting's status.
func (r Reunion) StatutLabel() string { return LabelOf(ReunionStatuses, r.Statut) }

// Label is the meeting's title, or the body's name and date.
func (r ReunionRow) Label() string {
	if r.Titre != "" {
		return r.Titre
	}
	return r.InstanceNom + " du " + fr.ParisDay(r.Debut)
}

func (r ReunionRow) instance() Instance {
	return Instance{ID: r.InstanceID, DepartementCode: r.DepartementCode}
}

// ReunionInput is what the meeting form gives: the day and the times in Europe/Paris.
type ReunionInput struct {
	InstanceID  int64
	Titre       string
	Date        string // YYYY-MM-DD or DD/MM/YYYY
	HeureDebut  string // HH:MM
	HeureFin    string // HH:MM
	Lieu        string
	Visio       string
	Statut      string
	CompteRendu string
}

var reunionFields = []Choice{{"titre", "Titre"}, {"debut", "Début"}, {"fin", "Fin"}, {"lieu", "Lieu"},
	{"visio", "Visioconférence"}, {"statut", "Statut"}, {"compte_rendu", "Compte rendu"}}

func (r Reunion) auditValues() map[string]string {
	z := fr.Paris()
	return map[string]string{"titre": r.Titre, "debut": r.Debut.In(z).Format("02/01/2006 15:04"),
		"fin": r.Fin.In(z).Format("02/01/2006 15:04"), "lieu": r.Lieu, "visio": r.Visio, "statut": r.StatutLabel(),
		"compte_rendu": r.CompteRendu}
}

// checkReunion validates the input and returns the meeting it describes (without body).
func checkReunion(in ReunionInput) (Reunion, error) {
	var errs ValidationError
	r := Reunion{InstanceID: in.InstanceID, Titre: strings.TrimSpace(in.Titre), Lieu: strings.TrimSpace(in.Lieu),
		Visio: strings.TrimSpace(in.Visio), Statut: strings.TrimSpace(in.Statut),
		CompteRendu: strings.TrimSpace(strings.ReplaceAll(in.CompteRendu, "\r\n", "\n"))}
	if r.Statut == "" {
		r.Statut = ReunionPlanifiee
	}
	if in.InstanceID <= 0 {
		errs.Add(0, "instance", "Choisissez l'instance qui se réunit.")
	}
	if msg := textProblem("Le titre", r.Titre, MaxReunionTitre, false, false); msg != "" {
		errs.Add(0, "titre", msg)
	}
	day, dayMsg := DayProblem("La date", in.Date)
	okDay := dayMsg == ""
	switch {
	case strings.TrimSpace(in.Date) == "":
		errs.Add(0, "date", "La date est obligatoire.")
	case !okDay:
		errs.Add(0, "date", dayMsg)
	}
	hour := func(field, v string) (time.Duration, bool) {
		t, err := time.Parse("15:04", strings.TrimSpace(v))
		if err != nil {
			errs.Add(0, field, "Heure invalide : format HH:MM (exemple : 14:30).")
			return 0, false
		}
		return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, true
	}
	start, okStart := hour("heure_debut", in.HeureDebut)
	end, okEnd := hour("heure_fin", in.HeureFin)
	if okDay && okStart && okEnd {
		z := fr.Paris()
		base := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, z)
		r.Debut = time.Date(base.Year(), base.Month(), base.Day(), int(start.Hours()), int(start.Minutes())%60, 0, 0, z).UTC()
		r.Fin = time.Date(base.Year(), base.Month(), base.Day(), int(end.Hours()), int(end.Minutes())%60, 0, 0, z).UTC()
		if !r.Fin.After(r.Debut) {
			errs.Add(0, "heure_fin", "L'heure de fin doit suivre l'heure de début.")
		}
	}
	if msg := textProblem("Le lieu", r.Lieu, MaxReunionLieu, false, false); msg != "" {
		errs.Add(0, "lieu", msg)
	}
	if r.Visio != "" {
		u, err := url.Parse(r.Visio)
		if msg := textProblem("Le lien de visioconférence", r.Visio, MaxReunionLieu, false, false); msg != "" {
			errs.Add(0, "visio", msg)
		} else if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(r.Visio, " \"<>\\`") {
			errs.Add(0, "visio", "Lien de visioconférence invalide : il commence par https:// ou http://.")
		}
	}
	if !slices.Contains(ChoiceValues(ReunionStatuses), r.Statut) {
		errs.Add(0, "statut", "Statut inconnu : choisissez dans la liste.")
	}
	if msg := textProblem("Le compte rendu", r.CompteRendu, MaxReunionCompteRendu, false, true); msg != "" {
		errs.Add(0, "compte_rendu", msg)
	}
	return r, errs.OrNil()
}

// MeetingWarnings lists what is unusual about a meeting starting at start (Europe/Paris):
// a weekend, a public holiday, zone C school holidays. Scheduling is still allowed.
func (s *Store) MeetingWarnings(ctx context.Context, start time.Time) ([]string, error) {
	local := start.In(fr.Paris())
	var out []string
	switch local.Weekday() {
	case time.Saturday:
		out = append(out, "Cette date tombe un samedi.")
	case time.Sunday:
		out = append(out, "Cette date tombe un dimanche.")
	}
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	db := s.db.WithContext(ctx)
	var feries []JourFerie
	if err := db.Where("date = ?", day).Find(&feries).Error; err != nil {
		return nil, err
	}
	for _, f := range feries {
		out = append(out, "Cette date est un jour férié : "+f.Nom+".")
	}
	zone, err := academieZone(db)
	if err != nil {
		return nil, err
	}
	var vac []VacancesScolaires
	if err := db.Where("zone = ? AND premier_jour <= ? AND dernier_jour >= ?", zone, day, day).Find(&vac).Error; err != nil {
		return nil, err
	}
	for _, v := range vac {
		out = append(out, "Cette date tombe pendant les vacances scolaires de la zone "+zone+" : "+v.Nom+".")
	}
	return out, nil
}

func reunionsIn(tx *gorm.DB, scope Scope, archived bool) *gorm.DB {
	q := scope.restrictTo(tx.Table("reunions AS r").Joins("JOIN instances i ON i.id = r.instance_id"), EntityInstance, "i").
		Where("i.archived_at IS NULL")
	if archived {
		return q.Where("r.archived_at IS NOT NULL")
	}
	return q.Where("r.archived_at IS NULL")
}

const reunionColumns = "r.*, i.nom AS instance_nom, i.departement_code"

func getReunion(tx *gorm.DB, scope Scope, id int64, archived bool) (ReunionRow, error) {
	var rows []ReunionRow
	if err := reunionsIn(tx, scope, archived).Select(reunionColumns).Where("r.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return ReunionRow{}, err
	}
	if len(rows) == 0 {
		return ReunionRow{}, ErrNotFound
	}
	return rows[0], nil
}

// GetReunion returns one live meeting of the scope; ErrNotFound otherwise.
func (s *Store) GetReunion(ctx context.Context, scope Scope, id int64) (ReunionRow, error) {
	return getReunion(s.db.WithContext(ctx), scope, id, false)
}

// CanWriteReunion reports whether the actor may change the meeting: whoever writes its body.
func CanWriteReunion(actor Actor, r ReunionRow) bool { return canWriteInstance(actor, r.instance()) }

// CreateReunion schedules a meeting of a body the actor writes; its invitees are the body's
// current members.
func (s *Store) CreateReunion(ctx context.Context, actor Actor, in ReunionInput) (ReunionRow, error) {
	var row ReunionRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		r, verr := checkReunion(in)
		var inst InstanceRow
		if in.InstanceID > 0 {
			var err error
			if inst, err = getInstance(tx, actor.Scope, in.InstanceID, false); err == ErrNotFound {
				v, _ := verr.(*ValidationError)
				if v == nil {
					v = &ValidationError{}
				}
				v.Add(0, "instance", "Instance introuvable : choisissez dans la liste.")
				verr = v
			} else if err != nil {
				return err
			}
		}
		if verr != nil {
			return verr
		}
		if err := mayWriteInstance(actor, inst.Instance); err != nil {
			return err
		}
		now := s.now().UTC()
		r.CreatedAt, r.UpdatedAt, r.Version = now, now, 1
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		if err := tx.Exec(`INSERT INTO reunion_invites (reunion_id, contact_id, presence)
			SELECT DISTINCT CAST(? AS BIGINT), m.contact_id, 'invite' FROM instance_membres m JOIN contacts c ON c.id = m.contact_id
			WHERE m.instance_id = ? AND m.archived_at IS NULL AND c.archived_at IS NULL AND (m.fin IS NULL OR m.fin >= ?)`,
			r.ID, r.InstanceID, today).Error; err != nil {
			return err
		}
		var err error
		if row, err = getReunion(tx, actor.Scope, r.ID, false); err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "reunion", strconv.FormatInt(r.ID, 10), diff(reunionFields, nil, r.auditValues()))
	})
	return row, err
}

// UpdateReunion changes a meeting if it is still at version (its body cannot change). A
// change of date, place or status increments its iCalendar SEQUENCE.
func (s *Store) UpdateReunion(ctx context.Context, actor Actor, id int64, version int, in ReunionInput) (ReunionRow, error) {
	edit := recordEdit[ReunionRow]{entity: "reunion", model: &Reunion{}, fields: reunionFields, get: getReunion,
		version: func(r ReunionRow) int { return r.Version },
		may:     func(_ *gorm.DB, r ReunionRow) error { return mayWriteInstance(actor, r.instance()) }}
	return edit.apply(ctx, s, actor, id, version, func(_ *gorm.DB, before ReunionRow) (map[string]any, error) {
		in.InstanceID = before.InstanceID
		r, err := checkReunion(in)
		if err != nil {
			return nil, err
		}
		b := before.Reunion
		scheduling := !r.Debut.Equal(b.Debut) || !r.Fin.Equal(b.Fin) || r.Lieu != b.Lieu || r.Visio != b.Visio || r.Statut != b.Statut
		if !scheduling && r.Titre == b.Titre && r.CompteRendu == b.CompteRendu {
			return nil, nil
		}
		seq := b.Sequence
		if scheduling {
			seq++
		}
		return map[string]any{"titre": r.Titre, "debut": r.Debut, "fin": r.Fin, "lieu": r.Lieu, "visio": r.Visio,
			"statut": r.Statut, "compte_rendu": r.CompteRendu, "sequence": seq}, nil
	}, nil)
}

// ArchiveReunion archives a meeting the actor may write.
func (s *Store) ArchiveReunion(ctx context.Context, actor Actor, id int64) error {
	return s.setReunionArchived(ctx, actor, id, true)
}

// RestoreReunion brings an archived meeting back.
func (s *Store) RestoreReunion(ctx context.Context, actor Actor, id int64) error {
	return s.setReunionArchived(ctx, actor, id, false)
}

func (s *Store) setReunionArchived(ctx context.Context, actor Actor, id int64, archive bool) error {
	return setRecordArchived(ctx, s, actor, &Reunion{}, "reunion", id, archive, getReunion,
		func(r ReunionRow) error { return mayWriteInstance(actor, r.instance()) })
}

// ReunionFilter selects meetings; empty fields select everything. Du and Au are days.
type ReunionFilter struct {
	InstanceID int64
	Statut     string
	Du, Au     *time.Time
}

func filterReunions(q *gorm.DB, f ReunionFilter) *gorm.DB {
	if f.InstanceID > 0 {
		q = q.Where("r.instance_id = ?", f.InstanceID)
	}
	if st := dbText(f.Statut); st != "" {
		q = q.Where("r.statut = ?", st)
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

// ListReunions returns one page of the live meetings of the scope matching f: upcoming
// ones first (soonest first), then past ones (latest first).
func (s *Store) ListReunions(ctx context.Context, scope Scope, f ReunionFilter, p PageRequest) (Page[ReunionRow], error) {
	p = p.normalized()
	page := Page[ReunionRow]{Number: p.Number, Size: p.Size}
	db := s.db.WithContext(ctx)
	if err := filterReunions(reunionsIn(db, scope, false), f).Count(&page.Total).Error; err != nil {
		return page, err
	}
	now := s.now().UTC()
	err := filterReunions(reunionsIn(db, scope, false), f).Select(reunionColumns).
		// gorm's Order drops a bare gorm.Expr: wrap it in a clause.
		Order(clause.OrderBy{Expression: gorm.Expr("CASE WHEN r.fin >= ? THEN 0 ELSE 1 END, CASE WHEN r.fin >= ? THEN r.debut END ASC, r.debut DESC, r.id ASC", now, now)}).
		Limit(p.Size).Offset(p.offset()).Scan(&page.Items).Error
	return page, err
}

// EachReunion calls fn for every live meeting of the scope matching f, by date.
func (s *Store) EachReunion(ctx context.Context, scope Scope, f ReunionFilter, fn func(ReunionRow) error) error {
	var rows []ReunionRow
	if err := filterReunions(reunionsIn(s.db.WithContext(ctx), scope, false), f).Select(reunionColumns).
		Order("r.debut ASC, r.id ASC").Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// ReunionPoint is an agenda item.
type ReunionPoint struct {
	ID           int64
	ReunionID    int64
	Position     int
	Titre        string
	Presentateur string
	DureeMin     *int
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int
}

// TableName is the reunion_points table.
func (ReunionPoint) TableName() string { return "reunion_points" }

// InviteRow is an invitee with their attendance: a person acting in a public capacity
// (name, function, organisation; the contact id only when the reader may read the
// contact, and the attendance buttons of the meeting's page only then).
type InviteRow struct {
	ReunionID int64
	Person
	Presence string
}

// PresenceLabel is the French label of the attendance.
func (i InviteRow) PresenceLabel() string { return LabelOf(Presences, i.Presence) }

// writableReunion reads a meeting the actor may write.
func writableReunion(tx *gorm.DB, actor Actor, id int64) (ReunionRow, error) {
	r, err := getReunion(tx, actor.Scope, id, false)
	if err != nil {
		return r, err
	}
	return r, mayWriteInstance(actor, r.instance())
}

// AddPoint appends an agenda item to a meeting.
func (s *Store) AddPoint(ctx context.Context, actor Actor, reunionID int64, titre, presentateur string) error {
	titre, presentateur = strings.TrimSpace(titre), strings.TrimSpace(presentateur)
	var errs ValidationError
	if msg := textProblem("Le titre du point", titre, MaxReunionTitre, true, false); msg != "" {
		errs.Add(0, "point_titre", msg)
	}
	if msg := textProblem("Le présentateur", presentateur, MaxReunionTitre, false, false); msg != "" {
		errs.Add(0, "point_presentateur", msg)
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := getReunion(tx, actor.Scope, reunionID, false); err != nil {
			return err
		}
		if err := errs.OrNil(); err != nil {
			return err
		}
		if _, err := writableReunion(tx, actor, reunionID); err != nil {
			return err
		}
		var max struct{ M int }
		if err := tx.Table("reunion_points").Select("COALESCE(MAX(position), 0) AS m").Where("reunion_id = ?", reunionID).Scan(&max).Error; err != nil {
			return err
		}
		now := s.now().UTC()
		p := ReunionPoint{ReunionID: reunionID, Position: max.M + 1, Titre: titre, Presentateur: presentateur, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := tx.Create(&p).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", "reunion", strconv.FormatInt(reunionID, 10),
			[]Change{{Field: "ordre_du_jour", Label: "Ordre du jour", New: "point ajouté : " + titre}})
	})
}

// writablePoint reads an agenda item of a meeting the actor may write.
func writablePoint(tx *gorm.DB, actor Actor, reunionID, pointID int64) (ReunionPoint, error) {
	var p ReunionPoint
	if _, err := writableReunion(tx, actor, reunionID); err != nil {
		return p, err
	}
	if err := tx.Where("id = ? AND reunion_id = ?", pointID, reunionID).Take(&p).Error; err != nil {
		return p, ErrNotFound
	}
	return p, nil
}

// RemovePoint removes an agenda item.
func (s *Store) RemovePoint(ctx context.Context, actor Actor, reunionID, pointID int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		p, err := writablePoint(tx, actor, reunionID, pointID)
		if err != nil {
			return err
		}
		if err := tx.Delete(&ReunionPoint{}, pointID).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", "reunion", strconv.FormatInt(reunionID, 10),
			[]Change{{Field: "ordre_du_jour", Label: "Ordre du jour", Old: p.Titre, New: "point retiré"}})
	})
}

// MovePointUp swaps an agenda item with the one before it.
func (s *Store) MovePointUp(ctx context.Context, actor Actor, reunionID, pointID int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		p, err := writablePoint(tx, actor, reunionID, pointID)
		if err != nil {
			return err
		}
		var prev []ReunionPoint
		if err := tx.Where("reunion_id = ? AND position < ?", reunionID, p.Position).Order("position DESC").Limit(1).Find(&prev).Error; err != nil {
			return err
		}
		if len(prev) == 0 {
			return nil
		}
		if err := tx.Model(&ReunionPoint{}).Where("id = ?", p.ID).Update("position", prev[0].Position).Error; err != nil {
			return err
		}
		return tx.Model(&ReunionPoint{}).Where("id = ?", prev[0].ID).Update("position", p.Position).Error
	})
}

// SetPresence records an invitee's attendance.
func (s *Store) SetPresence(ctx context.Context, actor Actor, reunionID, contactID int64, presence string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := writableReunion(tx, actor, reunionID); err != nil {
			return err
		}
		if !slices.Contains(ChoiceValues(Presences), presence) {
			return &ValidationError{Errors: []FieldError{{Field: "presence", Msg: "Présence inconnue : choisissez dans la liste."}}}
		}
		res := tx.Table("reunion_invites").Where("reunion_id = ? AND contact_id = ?", reunionID, contactID).Update("presence", presence)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return s.audit(tx, actor, "modification", "reunion", strconv.FormatInt(reunionID, 10),
			[]Change{{Field: "presence", Label: "Présence", New: "contact n° " + strconv.FormatInt(contactID, 10) + " : " + LabelOf(Presences, presence)}})
	})
}

// ReunionDetails returns the agenda and the invitees of a meeting of the scope.
func (s *Store) ReunionDetails(ctx context.Context, actor Actor, reunionID int64) ([]ReunionPoint, []InviteRow, error) {
	db := s.db.WithContext(ctx)
	if _, err := getReunion(db, actor.Scope, reunionID, false); err != nil {
		return nil, nil, err
	}
	var points []ReunionPoint
	if err := db.Where("reunion_id = ?", reunionID).Order("position, id").Find(&points).Error; err != nil {
		return nil, nil, err
	}
	invites, err := invitesOf(db, actor.Scope, []int64{reunionID})
	return points, invites[reunionID], err
}

// ReunionInvites returns the invitees of the meetings, by meeting id, as ReunionDetails
// gives them (the API of a page of meetings). Like ReunionPoints, the ids come from a
// scoped list: the meetings' scope is not checked again, the contacts' is.
func (s *Store) ReunionInvites(ctx context.Context, scope Scope, ids []int64) (map[int64][]InviteRow, error) {
	return invitesOf(s.db.WithContext(ctx), scope, ids)
}

func invitesOf(tx *gorm.DB, scope Scope, ids []int64) (map[int64][]InviteRow, error) {
	out := map[int64][]InviteRow{}
	for chunk := range chunks(ids, 500) {
		var rows []InviteRow
		if err := tx.Table("reunion_invites AS ri").Select("ri.reunion_id, ri.presence, "+personColumns).
			Joins("JOIN contacts c ON c.id = ri.contact_id").Joins("JOIN organisations o ON o.id = c.organisation_id").
			Where("ri.reunion_id IN ?", chunk).Order("ri.reunion_id, c.nom_recherche, ri.contact_id").Scan(&rows).Error; err != nil {
			return nil, err
		}
		if err := publishPersons(tx, scope, peopleOf(rows, func(r *InviteRow) *Person { return &r.Person })); err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.ReunionID] = append(out[r.ReunionID], r)
		}
	}
	return out, nil
}

// CheckReunionStart returns the start of the meeting the input describes, when its date
// and times are valid (for the warnings of a form being filled in).
func CheckReunionStart(in ReunionInput) (time.Time, error) {
	if in.InstanceID <= 0 {
		in.InstanceID = 1 // the body is not what is checked here
	}
	r, err := checkReunion(in)
	if err != nil {
		var v *ValidationError
		if errors.As(err, &v) {
			for _, fe := range v.Errors {
				if fe.Field == "date" || fe.Field == "heure_debut" || r.Debut.IsZero() {
					return time.Time{}, err
				}
			}
			return r.Debut, nil
		}
		return time.Time{}, err
	}
	return r.Debut, nil
}
