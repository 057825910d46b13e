package models

import (
	"context"

	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// Limits of the adoption's text fields, in characters.
const MaxAdoptionRef = 200

// Adoption is the délibération by which a commune (CodeINSEE) or an EPCI (EPCISiren) adopts a
// version of the charter; an EPCI's adoption with CouvreMembres covers its member communes.
type Adoption struct {
	ID               int64
	CharteVersionID  int64
	CodeINSEE        *string `gorm:"column:code_insee"`
	EPCISiren        *string `gorm:"column:epci_siren"`
	CouvreMembres    bool
	DeliberationRef  string
	DeliberationDate time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
	ArchivedAt       *time.Time
	Version          int
}

// TableName is the adoptions table.
func (Adoption) TableName() string { return "adoptions" }

// AdoptionRow is an adoption as lists show it, with the names of its collectivité and version.
type AdoptionRow struct {
	Adoption
	CommuneNom      string
	EPCINom         string `gorm:"column:epci_nom"`
	DepartementCode string
	CharteNumero    string
	EPCIType        string `gorm:"column:epci_type"`
}

// Collectivite is "Bobigny (93008)" or "Est Ensemble (200057875)".
func (a AdoptionRow) Collectivite() string {
	if a.CodeINSEE != nil {
		return a.CommuneNom + " (" + *a.CodeINSEE + ")"
	}
	return a.EPCINom + " (" + deref(a.EPCISiren) + ")"
}

// AdoptionInput is what the form gives: Commune (INSEE) or EPCI (SIREN), exactly one.
type AdoptionInput struct {
	CharteVersionID int64
	Commune         string
	EPCI            string
	CouvreMembres   bool
	Ref             string
	Date            string
}

var adoptionFields = []Choice{{"version", "Version"}, {"commune", "Commune"}, {"epci", "EPCI"},
	{"couvre_membres", "Couvre les communes membres"}, {"deliberation_ref", "Délibération"}, {"deliberation_date", "Date de la délibération"}}

func (a Adoption) auditValues() map[string]string {
	cm := "non"
	if a.CouvreMembres {
		cm = "oui"
	}
	return map[string]string{"version": strconv.FormatInt(a.CharteVersionID, 10), "commune": deref(a.CodeINSEE), "epci": deref(a.EPCISiren),
		"couvre_membres": cm, "deliberation_ref": a.DeliberationRef, "deliberation_date": fr.Day(a.DeliberationDate)}
}

// checkAdoption validates the input against the reference data.
func checkAdoption(tx *gorm.DB, in AdoptionInput, now time.Time) (Adoption, error) {
	var errs ValidationError
	a := Adoption{CharteVersionID: in.CharteVersionID, DeliberationRef: strings.TrimSpace(in.Ref)}
	var n int64
	if err := tx.Model(&CharteVersion{}).Where("id = ? AND archived_at IS NULL", in.CharteVersionID).Count(&n).Error; err != nil {
		return a, err
	}
	if n == 0 {
		errs.Add(0, "version", "Choisissez la version de la charte adoptée.")
	}
	commune, epci := strings.ToUpper(strings.TrimSpace(in.Commune)), strings.TrimSpace(in.EPCI)
	switch {
	case commune == "" && epci == "":
		errs.Add(0, "commune", "Indiquez la commune (code INSEE) ou choisissez l'EPCI qui adopte la charte.")
	case commune != "" && epci != "":
		errs.Add(0, "commune", "Indiquez une commune ou un EPCI, pas les deux.")
	case commune != "":
		var c Commune
		found, err := lookup(tx.Select("code_insee").Where("code_insee = ?", commune), &c, ValidINSEE(commune))
		if err != nil {
			return a, err
		}
		if !found {
			errs.Add(0, "commune", "Commune inconnue du référentiel : indiquez son code INSEE (exemple : 93008).")
		}
		a.CodeINSEE = &commune
	default:
		var e EPCI
		found, err := lookup(tx.Select("siren").Where("siren = ?", epci), &e, ValidSIREN(epci))
		if err != nil {
			return a, err
		}
		if !found {
			errs.Add(0, "epci", "Choisissez un EPCI du référentiel.")
		}
		a.EPCISiren, a.CouvreMembres = &epci, in.CouvreMembres
	}
	if msg := textProblem("La référence de la délibération", a.DeliberationRef, MaxAdoptionRef, true, false); msg != "" {
		errs.Add(0, "deliberation_ref", msg)
	}
	d, msg := dateProblem("La date de la délibération", in.Date, now, true)
	if msg != "" {
		errs.Add(0, "deliberation_date", msg)
	}
	a.DeliberationDate = d
	return a, errs.OrNil()
}

// canWriteAdoption is the one write rule of adoptions, checked on the adoption as it is and
// as it would become: admin, pilote académique and AMIF record adoptions for any
// collectivité; an IA-DASEN for the communes of their département and the EPCI with a member
// there; a référent for their own communes; IEN and lecteur never.
func canWriteAdoption(tx *gorm.DB, actor Actor, a Adoption) (bool, error) {
	sc := actor.Scope
	if !sc.valid() {
		return false, nil
	}
	switch actor.Role {
	case RoleAdmin, RolePilote, RoleAMIF:
		return true, nil
	case RoleIA:
		if sc.Kind != ScopeDepartement {
			return false, nil
		}
		var n int64
		q := tx.Table("communes")
		if a.CodeINSEE != nil {
			q = q.Where("code_insee = ? AND departement_code IN ?", *a.CodeINSEE, sc.Departements)
		} else {
			q = q.Where("(epci_siren = ? OR ept_siren = ?) AND departement_code IN ?", deref(a.EPCISiren), deref(a.EPCISiren), sc.Departements)
		}
		err := q.Count(&n).Error
		return n > 0, err
	case RoleReferent:
		return sc.Kind == ScopeCommunes && a.CodeINSEE != nil && containsString(sc.Communes, *a.CodeINSEE), nil
	}
	return false, nil
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// CanRecordAdoptions reports whether the actor's role records adoptions at all (the form is
// open); the data layer checks the collectivité on every write.
func CanRecordAdoptions(actor Actor) bool {
	switch actor.Role {
	case RoleAdmin, RolePilote, RoleAMIF, RoleIA, RoleReferent:
		return actor.Scope.valid()
	}
	return false
}

// CanWriteAdoption reports whether the actor may change the adoption.
func (s *Store) CanWriteAdoption(ctx context.Context, actor Actor, a Adoption) (bool, error) {
	return canWriteAdoption(s.db.WithContext(ctx), actor, a)
}

func mayWriteAdoption(tx *gorm.DB, actor Actor, a Adoption) error {
	ok, err := canWriteAdoption(tx, actor, a)
	if err != nil {
		return err
	}
	if !ok {
		return ErrForbidden
	}
	return nil
}

// AdoptionFilter selects adoptions; empty fields select everything.
type AdoptionFilter struct {
	CharteVersionID int64
	Departement     string
	Commune         string // INSEE code: the adoptions that apply to it (its own, its EPCI's or EPT's covering its members)
	EPCI            string // SIREN
}

const adoptionColumns = `a.id, a.charte_version_id, a.code_insee, a.epci_siren, a.couvre_membres, a.deliberation_ref,
	a.deliberation_date, a.created_at, a.updated_at, a.archived_at, a.version,
	COALESCE(c.nom, '') AS commune_nom, COALESCE(x.nom, '') AS epci_nom, COALESCE(c.departement_code, '') AS departement_code,
	v.numero AS charte_numero, COALESCE(x.type, '') AS epci_type`

func adoptionsIn(tx *gorm.DB, scope Scope, f AdoptionFilter) *gorm.DB {
	q := scope.restrictTo(tx.Table("adoptions AS a"), EntityAdoption, "a").Where("a.archived_at IS NULL")
	if f.CharteVersionID != 0 {
		q = q.Where("a.charte_version_id = ?", f.CharteVersionID)
	}
	if f.Departement != "" {
		q = q.Where(`(a.code_insee IN (SELECT fd.code_insee FROM communes fd WHERE fd.departement_code = ?) OR EXISTS (SELECT 1 FROM communes fc
			WHERE (fc.epci_siren = a.epci_siren OR fc.ept_siren = a.epci_siren) AND fc.departement_code = ?))`, dbText(f.Departement), dbText(f.Departement))
	}
	if f.Commune != "" {
		code := dbText(strings.ToUpper(f.Commune))
		q = q.Where(`(a.code_insee = ? OR (a.couvre_membres AND a.epci_siren IN
			(SELECT fm.epci_siren FROM communes fm WHERE fm.code_insee = ? UNION SELECT fm.ept_siren FROM communes fm WHERE fm.code_insee = ?)))`,
			code, code, code)
	}
	if f.EPCI != "" {
		q = q.Where("a.epci_siren = ?", dbText(f.EPCI))
	}
	return q
}

func withAdoptionNames(q *gorm.DB) *gorm.DB {
	return q.Select(adoptionColumns).
		Joins("LEFT JOIN communes c ON c.code_insee = a.code_insee").
		Joins("LEFT JOIN epci x ON x.siren = a.epci_siren").
		Joins("JOIN charte_versions v ON v.id = a.charte_version_id")
}

// adoptionsOrder is the order of the adoptions list: the latest deliberations first.
var adoptionsOrder = fixedOrder("adoptions", true, timeCol("a.deliberation_date"), intCol("a.id"))

// ListAdoptions returns one page of the live adoptions of the scope matching f, latest first.
func (s *Store) ListAdoptions(ctx context.Context, scope Scope, f AdoptionFilter, p PageRequest) (Page[AdoptionRow], error) {
	db := s.db.WithContext(ctx)
	lq := listQuery{rows: func() *gorm.DB { return adoptionsIn(db, scope, f) }, order: adoptionsOrder}
	return readPage(ctx, s, lq, p, func(ids []int64) ([]AdoptionRow, error) {
		var rows []AdoptionRow
		err := withAdoptionNames(adoptionsIn(db, scope, AdoptionFilter{})).Where("a.id IN ?", ids).Scan(&rows).Error
		return rows, err
	}, func(r AdoptionRow) int64 { return r.ID })
}

// EachAdoption calls fn for every live adoption of the scope matching f, from a cursor.
func (s *Store) EachAdoption(ctx context.Context, scope Scope, f AdoptionFilter, fn func(AdoptionRow) error) error {
	db := s.db.WithContext(ctx)
	rows, err := withAdoptionNames(adoptionsIn(db, scope, f)).Order("a.deliberation_date DESC, a.id DESC").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r AdoptionRow
		if err := db.ScanRows(rows, &r); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

func getAdoption(tx *gorm.DB, scope Scope, id int64) (AdoptionRow, error) {
	var rows []AdoptionRow
	if err := withAdoptionNames(adoptionsIn(tx, scope, AdoptionFilter{})).Where("a.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return AdoptionRow{}, err
	}
	if len(rows) == 0 {
		return AdoptionRow{}, ErrNotFound
	}
	return rows[0], nil
}

// GetAdoption returns one live adoption of the scope; ErrNotFound outside it.
func (s *Store) GetAdoption(ctx context.Context, scope Scope, id int64) (AdoptionRow, error) {
	return getAdoption(s.db.WithContext(ctx), scope, id)
}

// CreateAdoption records an adoption: the input is checked, then the write rule.
func (s *Store) CreateAdoption(ctx context.Context, actor Actor, in AdoptionInput) (AdoptionRow, error) {
	rows, err := s.CreateAdoptions(ctx, actor, []AdoptionInput{in})
	if err != nil {
		return AdoptionRow{}, err
	}
	return rows[0], nil
}

// CreateAdoptions records adoptions all or nothing, each checked and audited as by
// CreateAdoption; the charter's coverage is recomputed once, for all of them.
func (s *Store) CreateAdoptions(ctx context.Context, actor Actor, ins []AdoptionInput) ([]AdoptionRow, error) {
	rows := make([]AdoptionRow, 0, len(ins))
	err := s.tx(ctx, func(tx *gorm.DB) error {
		created := make([]Adoption, 0, len(ins))
		for _, in := range ins {
			a, err := s.createAdoption(tx, actor, in)
			if err != nil {
				return err
			}
			created = append(created, a)
		}
		if err := refreshAdoptionCoverage(tx, created...); err != nil {
			return err
		}
		for _, a := range created {
			row, err := getAdoption(tx, AcademieScope(), a.ID)
			if err != nil {
				return err
			}
			rows = append(rows, row)
		}
		return nil
	})
	return rows, err
}

// createAdoption checks and inserts one adoption and audits it; the caller refreshes the
// coverage.
func (s *Store) createAdoption(tx *gorm.DB, actor Actor, in AdoptionInput) (Adoption, error) {
	a, err := checkAdoption(tx, in, s.now())
	if err != nil {
		return a, err
	}
	if err := mayWriteAdoption(tx, actor, a); err != nil {
		return a, err
	}
	now := s.now().UTC()
	a.CreatedAt, a.UpdatedAt, a.Version = now, now, 1
	if err := tx.Create(&a).Error; err != nil {
		return a, err
	}
	return a, s.audit(tx, actor, "creation", "adoption", strconv.FormatInt(a.ID, 10), diff(adoptionFields, nil, a.auditValues()))
}

// UpdateAdoption changes an adoption if it is still at version (*ConflictError otherwise).
func (s *Store) UpdateAdoption(ctx context.Context, actor Actor, id int64, version int, in AdoptionInput) (AdoptionRow, error) {
	var row AdoptionRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		before, err := getAdoption(tx, actor.Scope, id)
		if err != nil {
			return err
		}
		if err := mayWriteAdoption(tx, actor, before.Adoption); err != nil {
			return err
		}
		key := strconv.FormatInt(id, 10)
		if before.Version != version {
			return s.conflict(tx, "adoption", key, before)
		}
		a, err := checkAdoption(tx, in, s.now())
		if err != nil {
			return err
		}
		if err := mayWriteAdoption(tx, actor, a); err != nil {
			return err
		}
		changes := diff(adoptionFields, before.auditValues(), a.auditValues())
		if len(changes) == 0 {
			row = before
			return nil
		}
		if err := s.updateVersioned(tx, &Adoption{}, "adoption", id, version, map[string]any{
			"charte_version_id": a.CharteVersionID, "code_insee": a.CodeINSEE, "epci_siren": a.EPCISiren,
			"couvre_membres": a.CouvreMembres, "deliberation_ref": a.DeliberationRef, "deliberation_date": a.DeliberationDate,
		}, func() (any, error) { return getAdoption(tx, actor.Scope, id) }); err != nil {
			return err
		}
		if err := refreshAdoptionCoverage(tx, before.Adoption, a); err != nil {
			return err
		}
		if row, err = getAdoption(tx, AcademieScope(), id); err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", "adoption", key, changes)
	})
	return row, err
}

// ArchiveAdoption archives an adoption the actor may write: it no longer counts in coverage.
func (s *Store) ArchiveAdoption(ctx context.Context, actor Actor, id int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		before, err := getAdoption(tx, actor.Scope, id)
		if err != nil {
			return err
		}
		if err := mayWriteAdoption(tx, actor, before.Adoption); err != nil {
			return err
		}
		if err := s.markArchived(tx, &Adoption{}, id, true); err != nil {
			return err
		}
		if err := refreshAdoptionCoverage(tx, before.Adoption); err != nil {
			return err
		}
		return s.auditArchived(tx, actor, "adoption", id, true)
	})
}
