package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Circonscriptions kept by the administrator. The reference data holds those of the 94
// only; the administrator creates the others (code in the UAI format, with its check
// letter, in the département's range: 093xxxx for the 93), renames and archives them, and
// assigns écoles to them, by commune or by a list of UAI, so that IEN accounts can be
// created everywhere. Every change is audited in its transaction: the circonscription under
// "circonscription", and each école whose circonscription changes under "ecole" (its page's
// history). An archived circonscription leaves the choices; its code is never reused.

// Limits of the circonscription forms.
const (
	MaxCirconscriptionNom = 150
	MaxAssignedEcoles     = 3000
)

// CirconscriptionRow is a circonscription as the administration lists it.
type CirconscriptionRow struct {
	Code            string
	Nom             string
	DepartementCode string
	DepartementNom  string
	NbEcoles        int
	NbEleves        int
	NbIEN           int // live IEN accounts attached to it
	ArchivedAt      *time.Time
	Version         int
}

// Label is "Circonscription de Villejuif (0940920P)".
func (c CirconscriptionRow) Label() string { return PlaceLabel(c.Nom, c.Code) }

// Archived reports whether the circonscription is archived.
func (c CirconscriptionRow) Archived() bool { return c.ArchivedAt != nil }

// CirconscriptionEdit is what the circonscription form gives: the code and the
// département at creation only, the name always.
type CirconscriptionEdit struct {
	Code        string
	Nom         string
	Departement string
}

var circonscriptionFields = []Choice{{"code", "Code"}, {"nom", "Nom"}, {"departement", "Département"}}

func (c CirconscriptionRow) auditValues() map[string]string {
	return map[string]string{"code": c.Code, "nom": c.Nom, "departement": c.DepartementCode}
}

const circonscriptionColumns = `ci.code, ci.nom, ci.departement_code, d.nom AS departement_nom, ci.archived_at, ci.version,
	(SELECT COUNT(*) FROM ecoles e WHERE e.code_circonscription = ci.code) AS nb_ecoles,
	(SELECT COALESCE(SUM(e.nb_eleves), 0) FROM ecoles e WHERE e.code_circonscription = ci.code) AS nb_eleves,
	(SELECT COUNT(*) FROM users u WHERE u.code_circonscription = ci.code AND u.role = 'ien' AND u.archived_at IS NULL) AS nb_ien`

func circonscriptionsSelect(tx *gorm.DB) *gorm.DB {
	return tx.Table("circonscriptions AS ci").Select(circonscriptionColumns).Joins("JOIN departements AS d ON d.code = ci.departement_code")
}

// mayAdminister returns ErrForbidden unless the actor administers the application.
func mayAdminister(actor Actor) error {
	if !Administers(actor) {
		return ErrForbidden
	}
	return nil
}

// ListCirconscriptionsAdmin lists the circonscriptions of a département ("" for all),
// live or archived, by département and name, with their écoles and IEN: the
// administrator's page.
func (s *Store) ListCirconscriptionsAdmin(ctx context.Context, actor Actor, departement string, archived bool) ([]CirconscriptionRow, error) {
	if err := mayAdminister(actor); err != nil {
		return nil, err
	}
	q := circonscriptionsSelect(s.db.WithContext(ctx))
	if archived {
		q = q.Where("ci.archived_at IS NOT NULL")
	} else {
		q = q.Where("ci.archived_at IS NULL")
	}
	if departement = dbText(strings.TrimSpace(departement)); departement != "" {
		q = q.Where("ci.departement_code = ?", departement)
	}
	var out []CirconscriptionRow
	return out, q.Order("ci.departement_code, ci.nom, ci.code").Scan(&out).Error
}

// GetCirconscription returns one circonscription, live or archived.
func (s *Store) GetCirconscription(ctx context.Context, actor Actor, code string) (CirconscriptionRow, error) {
	if err := mayAdminister(actor); err != nil {
		return CirconscriptionRow{}, err
	}
	return getCirconscription(s.db.WithContext(ctx), code)
}

func getCirconscription(tx *gorm.DB, code string) (CirconscriptionRow, error) {
	var rows []CirconscriptionRow
	if err := circonscriptionsSelect(tx).Where("ci.code = ?", dbText(strings.ToUpper(strings.TrimSpace(code)))).Limit(1).Scan(&rows).Error; err != nil {
		return CirconscriptionRow{}, err
	}
	if len(rows) == 0 {
		return CirconscriptionRow{}, ErrNotFound
	}
	return rows[0], nil
}

// checkCirconscriptionNom validates a name, unique among the live circonscriptions of the
// département.
func checkCirconscriptionNom(tx *gorm.DB, errs *ValidationError, nom, departement, self string) error {
	if msg := textProblem("Le nom", nom, MaxCirconscriptionNom, true, false); msg != "" {
		errs.Add(0, "nom", msg)
		return nil
	}
	if departement == "" {
		return nil
	}
	var n int64
	if err := tx.Table("circonscriptions").Where("departement_code = ? AND archived_at IS NULL AND code <> ? AND LOWER(nom) = LOWER(?)",
		departement, self, nom).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		errs.Add(0, "nom", "Une circonscription de ce département porte déjà ce nom : choisissez-en un autre.")
	}
	return nil
}

// CreateCirconscription creates a circonscription: its code has the UAI format (seven
// digits starting with the département's three, and the check letter), is new (archived
// ones included), and its name is unique in the département.
func (s *Store) CreateCirconscription(ctx context.Context, actor Actor, in CirconscriptionEdit) (CirconscriptionRow, error) {
	if err := mayAdminister(actor); err != nil {
		return CirconscriptionRow{}, err
	}
	code, nom, dep := strings.ToUpper(strings.TrimSpace(dbText(in.Code))), strings.TrimSpace(in.Nom), strings.TrimSpace(dbText(in.Departement))
	var row CirconscriptionRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var errs ValidationError
		var n int64
		if err := tx.Table("departements").Where("code = ?", dep).Count(&n).Error; err != nil {
			return err
		}
		if dep == "" || n == 0 {
			errs.Add(0, "departement", "Choisissez le département dans la liste.")
			dep = ""
		}
		switch msg := CheckUAI(code); {
		case code == "":
			errs.Add(0, "code", "Le code est obligatoire : celui de l'annuaire de l'éducation, au format d'une UAI (exemple : 0930999F).")
		case msg != "":
			errs.Add(0, "code", strings.Replace(msg, "UAI invalide", "Code invalide", 1)+".")
		case dep != "" && departementOfUAI(code) != dep:
			errs.Add(0, "code", fmt.Sprintf("Le code d'une circonscription du %s commence par 0%s (exemple : 0%s0999…).", dep, dep, dep))
		default:
			if existing, err := getCirconscription(tx, code); err == nil {
				what := "de la circonscription « " + existing.Nom + " »"
				if existing.Archived() {
					what += ", archivée"
				}
				errs.Add(0, "code", "Ce code est déjà celui "+what+" : un code ne sert qu'une fois.")
			} else if err != ErrNotFound {
				return err
			}
		}
		if err := checkCirconscriptionNom(tx, &errs, nom, dep, code); err != nil {
			return err
		}
		if err := errs.OrNil(); err != nil {
			return err
		}
		now := s.now().UTC()
		if err := tx.Exec("INSERT INTO circonscriptions (code, nom, departement_code, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, 1)",
			code, nom, dep, now, now).Error; err != nil {
			return err
		}
		var err error
		if row, err = getCirconscription(tx, code); err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "circonscription", code, diff(circonscriptionFields, nil, row.auditValues()))
	})
	return row, err
}

// RenameCirconscription changes the name of a live circonscription if it is still at
// version (*ConflictError otherwise).
func (s *Store) RenameCirconscription(ctx context.Context, actor Actor, code string, version int, nom string) error {
	if err := mayAdminister(actor); err != nil {
		return err
	}
	nom = strings.TrimSpace(nom)
	return s.tx(ctx, func(tx *gorm.DB) error {
		before, err := getCirconscription(tx, code)
		if err != nil {
			return err
		}
		if before.Archived() {
			return ErrNotFound
		}
		if before.Version != version {
			return s.conflict(tx, "circonscription", before.Code, before)
		}
		var errs ValidationError
		if err := checkCirconscriptionNom(tx, &errs, nom, before.DepartementCode, before.Code); err != nil {
			return err
		}
		if err := errs.OrNil(); err != nil {
			return err
		}
		if nom == before.Nom {
			return nil
		}
		res := tx.Table("circonscriptions").Where("code = ? AND version = ? AND archived_at IS NULL", before.Code, version).
			Updates(map[string]any{"nom": nom, "updated_at": s.now().UTC(), "version": gorm.Expr("version + 1")})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return s.conflict(tx, "circonscription", before.Code, before)
		}
		after := before
		after.Nom = nom
		return s.audit(tx, actor, "modification", "circonscription", before.Code, diff(circonscriptionFields, before.auditValues(), after.auditValues()))
	})
}

// ArchiveCirconscription archives a circonscription without écoles nor live IEN account
// (a French validation error says which to move first), or restores an archived one.
func (s *Store) ArchiveCirconscription(ctx context.Context, actor Actor, code string, archive bool) error {
	if err := mayAdminister(actor); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		c, err := getCirconscription(tx, code)
		if err != nil {
			return err
		}
		if c.Archived() == archive {
			return ErrNotFound
		}
		var msgs []string
		if archive && c.NbEcoles > 0 {
			msgs = append(msgs, fmt.Sprintf("Cette circonscription compte encore %d école(s) : affectez-les à une autre circonscription avant de l'archiver.", c.NbEcoles))
		}
		if archive && c.NbIEN > 0 {
			msgs = append(msgs, fmt.Sprintf("%d compte(s) IEN y sont rattachés : changez d'abord leur circonscription.", c.NbIEN))
		}
		if len(msgs) > 0 {
			return &ValidationError{Errors: []FieldError{{Field: "archive", Msg: strings.Join(msgs, " ")}}}
		}
		var at any
		if archive {
			at = s.now().UTC()
		}
		if err := tx.Table("circonscriptions").Where("code = ?", c.Code).
			Updates(map[string]any{"archived_at": at, "updated_at": s.now().UTC(), "version": gorm.Expr("version + 1")}).Error; err != nil {
			return err
		}
		if archive {
			return s.audit(tx, actor, "archivage", "circonscription", c.Code, []Change{archiveChange("non", "oui")})
		}
		return s.audit(tx, actor, "restauration", "circonscription", c.Code, []Change{archiveChange("oui", "non")})
	})
}

// AssignResult says what an assignment of écoles did.
type AssignResult struct {
	Assigned int // écoles now in the circonscription that were not
	Moved    int // of which taken from another circonscription
	Already  int // écoles asked that were in it already
}

// AssignEcoles puts écoles in a live circonscription: those of the UAI given, and all the
// écoles of the communes given (INSEE codes), all of its département. Unknown or malformed
// UAI, unknown communes, and places of another département are refused with a French
// message on the form's field ("uai", "communes"), and nothing changes.
func (s *Store) AssignEcoles(ctx context.Context, actor Actor, code string, uais, communes []string) (AssignResult, error) {
	var res AssignResult
	if err := mayAdminister(actor); err != nil {
		return res, err
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		c, err := getCirconscription(tx, code)
		if err != nil {
			return err
		}
		if c.Archived() {
			return ErrNotFound
		}
		var errs ValidationError
		wanted, err := s.ecolesToAssign(tx, &errs, c, uais, communes)
		if err != nil {
			return err
		}
		if err := errs.OrNil(); err != nil {
			return err
		}
		return s.moveEcoles(tx, actor, c, wanted, &res)
	})
	return res, err
}

// ecoleCirco is an école and its circonscription, as an assignment reads them.
type ecoleCirco struct {
	UAI                 string `gorm:"column:uai"`
	DepartementCode     string
	CodeCirconscription *string
	CirconscriptionNom  *string
}

// ecolesToAssign reads the écoles of the UAI and communes given, checking them.
func (s *Store) ecolesToAssign(tx *gorm.DB, errs *ValidationError, c CirconscriptionRow, uais, communes []string) ([]ecoleCirco, error) {
	codes := checkedUAIs(errs, uais)
	if len(codes) > MaxAssignedEcoles {
		errs.Add(0, "uai", fmt.Sprintf("Trop d'écoles d'un coup : %d au plus.", MaxAssignedEcoles))
		return nil, nil
	}
	seen := map[string]bool{}
	out, err := ecolesByUAI(tx, errs, codes, seen)
	if err != nil {
		return nil, err
	}
	more, err := ecolesOfCommunes(tx, errs, c.DepartementCode, communes, seen)
	if err != nil {
		return nil, err
	}
	out = append(out, more...)
	var foreign []string
	for _, e := range out {
		if e.DepartementCode != c.DepartementCode {
			foreign = append(foreign, e.UAI)
		}
	}
	if len(foreign) > 0 {
		errs.Add(0, "uai", "Ces écoles ne sont pas dans le département "+c.DepartementCode+" : "+shortList(foreign)+".")
	}
	if len(out) == 0 && len(errs.Errors) == 0 {
		errs.Add(0, "uai", "Indiquez des écoles : leurs UAI, ou les communes dont toutes les écoles rejoignent la circonscription.")
	}
	return out, nil
}

// checkedUAIs are the well-formed UAI of the list, upper-cased; the malformed ones are
// reported on errs.
func checkedUAIs(errs *ValidationError, uais []string) []string {
	var codes, bad []string
	for _, u := range uais {
		u = strings.ToUpper(strings.TrimSpace(u))
		switch {
		case u == "":
		case CheckUAI(u) != "":
			bad = append(bad, u)
		default:
			codes = append(codes, u)
		}
	}
	if len(bad) > 0 {
		errs.Add(0, "uai", "UAI invalides (7 chiffres et la lettre de contrôle, exemple : 0930388S) : "+shortList(bad)+".")
	}
	return codes
}

// ecolesCircoQuery reads écoles with their circonscription.
func ecolesCircoQuery(tx *gorm.DB) *gorm.DB {
	return tx.Table("ecoles AS e").Select("e.uai, e.departement_code, e.code_circonscription, ci.nom AS circonscription_nom").
		Joins("LEFT JOIN circonscriptions AS ci ON ci.code = e.code_circonscription")
}

// ecolesByUAI reads the écoles of the codes (by batches of 100), marks them in seen, and
// reports the codes the reference does not know.
func ecolesByUAI(tx *gorm.DB, errs *ValidationError, codes []string, seen map[string]bool) ([]ecoleCirco, error) {
	var out []ecoleCirco
	for start := 0; start < len(codes); start += 100 {
		var rows []ecoleCirco
		if err := ecolesCircoQuery(tx).Where("e.uai IN ?", codes[start:min(start+100, len(codes))]).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			seen[r.UAI] = true
		}
		out = append(out, rows...)
	}
	var unknown []string
	for _, u := range codes {
		if !seen[u] {
			unknown = append(unknown, u)
		}
	}
	if len(unknown) > 0 {
		errs.Add(0, "uai", "UAI inconnues du référentiel : "+shortList(unknown)+".")
	}
	return out, nil
}

// ecolesOfCommunes reads the écoles of the communes of the département not yet seen (and
// marks them); communes unknown or of another département are reported on errs.
func ecolesOfCommunes(tx *gorm.DB, errs *ValidationError, departement string, communes []string, seen map[string]bool) ([]ecoleCirco, error) {
	if len(communes) == 0 {
		return nil, nil
	}
	var known []struct {
		CodeINSEE       string `gorm:"column:code_insee"`
		DepartementCode string
	}
	if err := tx.Table("communes").Select("code_insee, departement_code").Where("code_insee IN ?", communes).Scan(&known).Error; err != nil {
		return nil, err
	}
	var elsewhere, ok []string
	for _, k := range known {
		if k.DepartementCode != departement {
			elsewhere = append(elsewhere, k.CodeINSEE)
		} else {
			ok = append(ok, k.CodeINSEE)
		}
	}
	if len(known) < len(communes) {
		errs.Add(0, "communes", "Communes inconnues du référentiel : choisissez-les dans les suggestions.")
	}
	if len(elsewhere) > 0 {
		errs.Add(0, "communes", "Ces communes ne sont pas dans le département "+departement+" : "+shortList(elsewhere)+".")
	}
	if len(ok) == 0 {
		return nil, nil
	}
	var rows, out []ecoleCirco
	if err := ecolesCircoQuery(tx).Where("e.code_insee IN ?", ok).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		if !seen[r.UAI] {
			seen[r.UAI] = true
			out = append(out, r)
		}
	}
	return out, nil
}

// moveEcoles puts the écoles in the circonscription c, one audit event per école moved and
// one on the circonscription.
func (s *Store) moveEcoles(tx *gorm.DB, actor Actor, c CirconscriptionRow, ecoles []ecoleCirco, res *AssignResult) error {
	now := s.now().UTC()
	var moved []string
	for _, e := range ecoles {
		if e.CodeCirconscription != nil && *e.CodeCirconscription == c.Code {
			res.Already++
			continue
		}
		old := ""
		if e.CodeCirconscription != nil {
			old = PlaceLabel(deref(e.CirconscriptionNom), *e.CodeCirconscription)
			res.Moved++
		}
		if err := tx.Table("ecoles").Where("uai = ?", e.UAI).Updates(map[string]any{
			"code_circonscription": c.Code, "updated_at": now, "version": gorm.Expr("version + 1")}).Error; err != nil {
			return err
		}
		if err := s.audit(tx, actor, "modification", "ecole", e.UAI,
			[]Change{{Field: "circonscription", Label: "Circonscription", Old: old, New: c.Label()}}); err != nil {
			return err
		}
		moved = append(moved, e.UAI)
	}
	res.Assigned = len(moved)
	if len(moved) == 0 {
		return nil
	}
	return s.audit(tx, actor, "modification", "circonscription", c.Code,
		[]Change{{Field: "ecoles", Label: "Écoles affectées", New: fmt.Sprintf("%d : %s", len(moved), shortList(moved))}})
}

// RemoveEcoles takes écoles (UAI) out of a live circonscription: they have none until
// assigned to another. UAI that are not in it are ignored.
func (s *Store) RemoveEcoles(ctx context.Context, actor Actor, code string, uais []string) (int, error) {
	if err := mayAdminister(actor); err != nil {
		return 0, err
	}
	var n int
	err := s.tx(ctx, func(tx *gorm.DB) error {
		c, err := getCirconscription(tx, code)
		if err != nil {
			return err
		}
		if c.Archived() {
			return ErrNotFound
		}
		var inside []string
		for start := 0; start < len(uais); start += 100 {
			var part []string
			if err := tx.Table("ecoles").Where("code_circonscription = ? AND uai IN ?", c.Code, uais[start:min(start+100, len(uais))]).
				Order("uai").Pluck("uai", &part).Error; err != nil {
				return err
			}
			inside = append(inside, part...)
		}
		now := s.now().UTC()
		for _, u := range inside {
			if err := tx.Table("ecoles").Where("uai = ?", u).Updates(map[string]any{
				"code_circonscription": nil, "updated_at": now, "version": gorm.Expr("version + 1")}).Error; err != nil {
				return err
			}
			if err := s.audit(tx, actor, "modification", "ecole", u,
				[]Change{{Field: "circonscription", Label: "Circonscription", Old: c.Label(), New: ""}}); err != nil {
				return err
			}
		}
		n = len(inside)
		if n == 0 {
			return nil
		}
		return s.audit(tx, actor, "modification", "circonscription", c.Code,
			[]Change{{Field: "ecoles", Label: "Écoles retirées", New: fmt.Sprintf("%d : %s", n, shortList(inside))}})
	})
	return n, err
}

// shortList joins codes, the first 30 of them.
func shortList(codes []string) string {
	if len(codes) > 30 {
		return strings.Join(codes[:30], ", ") + fmt.Sprintf("… (%d en tout)", len(codes))
	}
	return strings.Join(codes, ", ")
}
