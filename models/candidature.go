package models

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Candidatures of a campaign: a commune or a group of communes of one département,
// optionally carried by an EPCI, proposes écoles of its communes, with a contact and the
// documents of its file. The IA-DASEN of the département (or a pilote) scores each
// criterion of the campaign from 0 to 5; the weighted score and the ranks are derived
// (candidature_score.go). A decision closes it (candidature_decision.go): retaining it puts
// its écoles into the campaign's pilot wave. A candidature lies in its département and its
// communes (registry, policy.go); a référent proposes and edits, before the decision, the
// candidatures of their own communes, and never scores nor decides.

// Decisions of a candidature ("" while undecided).
var CandidatureDecisions = []Choice{
	{"retenue", "Retenue"},
	{"liste_attente", "Liste d'attente"},
	{"refusee", "Refusée"},
	{"retiree", "Retirée"},
}

// Limits of a candidature's fields.
const (
	MaxCandidatureTitre    = 200
	MaxCandidatureNotes    = 5000
	MaxCandidatureCommunes = 300
	MaxCandidatureEcoles   = 600
	MaxNoteCommentaire     = 2000
)

// Candidature is a candidature as stored.
type Candidature struct {
	ID              int64
	CampagneID      int64
	Titre           string
	DepartementCode string
	EPCISiren       *string `gorm:"column:epci_siren"`
	ContactID       *int64
	Decision        string
	DecisionDate    *time.Time
	DecisionID      *int64
	Notes           string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ArchivedAt      *time.Time
	Version         int
}

// TableName is the candidatures table.
func (Candidature) TableName() string { return "candidatures" }

// CandidatureCommune links a candidature to one of its communes.
type CandidatureCommune struct {
	CandidatureID int64
	CodeINSEE     string `gorm:"column:code_insee"`
}

// TableName is the candidature_communes table.
func (CandidatureCommune) TableName() string { return "candidature_communes" }

// CandidatureEcole links a candidature to an école it proposes.
type CandidatureEcole struct {
	CandidatureID int64
	UAI           string `gorm:"column:uai"`
}

// TableName is the candidature_ecoles table.
func (CandidatureEcole) TableName() string { return "candidature_ecoles" }

// NamedPlace is a commune or an école of a candidature: its code and name.
type NamedPlace struct {
	Code, Nom string
}

// CandidatureRow is a candidature as lists, pages, exports and the API show it: with its
// campaign, its EPCI, its communes and écoles, its contact (when the reader may read it),
// its derived score and ranks.
type CandidatureRow struct {
	Candidature
	CampagneNom     string
	CampagneVagueID *int64
	EPCINom         *string      `gorm:"column:epci_nom"`
	Communes        []NamedPlace `gorm:"-"`
	Ecoles          []NamedPlace `gorm:"-"`
	Contact         string       `gorm:"-"` // "" when none, or not readable by the reader
	DecisionTexte   string       `gorm:"-"` // the cited décision, when readable
	Score           Score        `gorm:"-"`
	Rangs           Rangs        `gorm:"-"`
}

// DecisionLabel is the French label of the decision, "En attente" while undecided.
func (c Candidature) DecisionLabel() string {
	if c.Decision == "" {
		return "En attente"
	}
	return LabelOf(CandidatureDecisions, c.Decision)
}

// EPCILabel is the name of the carrying EPCI, "" without one.
func (c CandidatureRow) EPCILabel() string {
	if c.EPCINom == nil {
		return ""
	}
	return *c.EPCINom
}

// CommuneCodes are the INSEE codes of the candidature's communes.
func (c CandidatureRow) CommuneCodes() []string { return placeCodes(c.Communes) }

// EcoleCodes are the UAI of the écoles it proposes.
func (c CandidatureRow) EcoleCodes() []string { return placeCodes(c.Ecoles) }

// CommunesLabel lists the names of its communes.
func (c CandidatureRow) CommunesLabel() string { return placeNames(c.Communes) }

// EcolesLabel lists the names of its écoles.
func (c CandidatureRow) EcolesLabel() string { return placeNames(c.Ecoles) }

func placeCodes(p []NamedPlace) []string {
	out := make([]string, len(p))
	for i, x := range p {
		out[i] = x.Code
	}
	return out
}

func placeNames(p []NamedPlace) string {
	out := make([]string, len(p))
	for i, x := range p {
		out[i] = x.Nom
	}
	return strings.Join(out, ", ")
}

var candidatureFields = []Choice{{"titre", "Titre"}, {"campagne", "Campagne"}, {"departement", "Département"},
	{"communes", "Communes"}, {"epci", "EPCI porteur"}, {"ecoles", "Écoles proposées"}, {"contact", "Contact"},
	{"notes", "Notes"}, {"decision", "Décision"}, {"decision_date", "Date de la décision"}, {"decision_ref", "Décision d'instance"}}

func (c CandidatureRow) auditValues() map[string]string {
	ref := ""
	if c.DecisionID != nil {
		ref = "n° " + strconv.FormatInt(*c.DecisionID, 10)
	}
	contact := ""
	if c.ContactID != nil {
		contact = "n° " + strconv.FormatInt(*c.ContactID, 10)
	}
	decision := ""
	if c.Decision != "" {
		decision = c.DecisionLabel()
	}
	return map[string]string{"titre": c.Titre, "campagne": c.CampagneNom, "departement": c.DepartementCode,
		"communes": strings.Join(c.CommuneCodes(), ", "), "epci": c.EPCILabel(), "ecoles": strings.Join(c.EcoleCodes(), ", "),
		"contact": contact, "notes": c.Notes, "decision": decision, "decision_date": frDate(c.DecisionDate), "decision_ref": ref}
}

// candidaturesIn starts every query of candidatures: the live ones of the scope (alias ca).
func candidaturesIn(tx *gorm.DB, scope Scope) *gorm.DB {
	return scope.restrictTo(tx.Table("candidatures AS ca"), EntityCandidature, "ca").Where("ca.archived_at IS NULL")
}

const candidatureColumns = `ca.*, k.nom AS campagne_nom, k.vague_id AS campagne_vague_id, x.nom AS epci_nom`

func withCandidatureJoins(q *gorm.DB) *gorm.DB {
	return q.Joins("JOIN campagnes k ON k.id = ca.campagne_id").Joins("LEFT JOIN epci x ON x.siren = ca.epci_siren")
}

// getCandidature reads a live candidature of the scope with its details.
func getCandidature(tx *gorm.DB, scope Scope, id int64) (CandidatureRow, error) {
	var rows []CandidatureRow
	if err := withCandidatureJoins(candidaturesIn(tx, scope)).Select(candidatureColumns).
		Where("ca.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return CandidatureRow{}, err
	}
	if len(rows) == 0 {
		return CandidatureRow{}, ErrNotFound
	}
	if err := withCandidatureDetails(tx, scope, rows); err != nil {
		return CandidatureRow{}, err
	}
	return rows[0], nil
}

// GetCandidature returns one live candidature of the scope with its communes, écoles,
// score and ranks; ErrNotFound otherwise.
func (s *Store) GetCandidature(ctx context.Context, scope Scope, id int64) (CandidatureRow, error) {
	return getCandidature(s.db.WithContext(ctx), scope, id)
}

// withCandidatureDetails loads, in a few queries for all rows, their communes and écoles,
// their contacts and cited décisions (those the scope reads), their scores and ranks.
func withCandidatureDetails(tx *gorm.DB, scope Scope, rows []CandidatureRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids, at := idsOf(rows, func(r CandidatureRow) int64 { return r.ID })
	var links []struct {
		CandidatureID int64
		Code, Nom     string
		Ecole         bool
	}
	if err := tx.Raw(`SELECT cc.candidature_id, cc.code_insee AS code, c.nom, FALSE AS ecole FROM candidature_communes cc
		JOIN communes c ON c.code_insee = cc.code_insee WHERE cc.candidature_id IN ?
		UNION ALL SELECT ce.candidature_id, ce.uai AS code, e.nom, TRUE AS ecole FROM candidature_ecoles ce
		JOIN ecoles e ON e.uai = ce.uai WHERE ce.candidature_id IN ? ORDER BY 1, 4, 3, 2`, ids, ids).Scan(&links).Error; err != nil {
		return err
	}
	for _, l := range links {
		r := &rows[at[l.CandidatureID]]
		if l.Ecole {
			r.Ecoles = append(r.Ecoles, NamedPlace{l.Code, l.Nom})
		} else {
			r.Communes = append(r.Communes, NamedPlace{l.Code, l.Nom})
		}
	}
	if err := withCandidatureRefs(tx, scope, rows); err != nil {
		return err
	}
	return withScores(tx, rows)
}

// withCandidatureRefs names the contacts and the cited décisions that the scope reads.
func withCandidatureRefs(tx *gorm.DB, scope Scope, rows []CandidatureRow) error {
	var contacts, decisions []int64
	for _, r := range rows {
		if r.ContactID != nil {
			contacts = append(contacts, *r.ContactID)
		}
		if r.DecisionID != nil {
			decisions = append(decisions, *r.DecisionID)
		}
	}
	readable, err := readableContacts(tx, scope, contacts)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	if len(readable) > 0 {
		var cs []struct {
			ID          int64
			Nom, Prenom string
		}
		if err := tx.Table("contacts").Select("id, nom, prenom").Where("id IN ?", slices.Collect(maps.Keys(readable))).Scan(&cs).Error; err != nil {
			return err
		}
		for _, c := range cs {
			names[c.ID] = strings.TrimSpace(c.Prenom + " " + c.Nom)
		}
	}
	texts := map[int64]string{}
	if len(decisions) > 0 {
		var ds []struct {
			ID    int64
			Texte string
		}
		q := scope.restrictTo(tx.Table("decisions AS d").Joins("JOIN reunions dr ON dr.id = d.reunion_id").
			Joins("JOIN instances di ON di.id = dr.instance_id"), EntityInstance, "di")
		if err := q.Select("d.id, d.texte").Where("d.id IN ? AND d.archived_at IS NULL", decisions).Scan(&ds).Error; err != nil {
			return err
		}
		for _, d := range ds {
			texts[d.ID] = d.Texte
		}
	}
	for i := range rows {
		if id := rows[i].ContactID; id != nil {
			rows[i].Contact = names[*id]
		}
		if id := rows[i].DecisionID; id != nil {
			rows[i].DecisionTexte = texts[*id]
		}
	}
	return nil
}
