package models

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Campaigns of candidatures (issue 12, "Pilot towns and the feasibility study"): a campaign
// ("Sites pilotes 2012") has its own weighted criteria, receives the candidatures of
// communes, and names the pilot wave where the écoles of a retained candidature go. It is
// the académie's (no département) or a département's: the registry (policy.go) says who
// reads and writes it. The candidatures are in candidature*.go.

// Statuses of a campaign.
var CampagneStatuts = []Choice{{"ouverte", "Ouverte"}, {"close", "Close"}}

// Limits of a campaign's fields.
const (
	MaxCampagneNom      = 200
	MaxCampagneNotes    = 5000
	MaxCritereLibelle   = 200
	MaxCampagneCriteres = 20
)

// Campagne is a campaign of candidatures as stored.
type Campagne struct {
	ID              int64
	Nom             string
	AnneeScolaire   string
	DepartementCode *string
	DateOuverture   *time.Time
	DateCloture     *time.Time
	Statut          string
	VagueID         *int64
	Notes           string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ArchivedAt      *time.Time
	Version         int
}

// TableName is the campagnes table.
func (Campagne) TableName() string { return "campagnes" }

// CampagneCritere is a weighted criterion of a campaign.
type CampagneCritere struct {
	ID         int64
	CampagneID int64
	Libelle    string
	Poids      int
	Ordre      int
}

// TableName is the campagne_criteres table.
func (CampagneCritere) TableName() string { return "campagne_criteres" }

// CritereInput is one criterion of the campaign form: ID 0 for a new one; a criterion of
// the campaign left out of the form is removed with its scores.
type CritereInput struct {
	ID      int64
	Libelle string
	Poids   string
}

// DefaultCriteres are the criteria of a new campaign, after the Rectorat's method for the
// choice of pilot towns; the campaign's form changes them.
func DefaultCriteres() []CritereInput {
	return []CritereInput{
		{Libelle: "Équipement des écoles", Poids: "20"},
		{Libelle: "Réseau et débit", Poids: "20"},
		{Libelle: "Référent local", Poids: "15"},
		{Libelle: "Capacité de financement", Poids: "15"},
		{Libelle: "Volontariat des équipes", Poids: "15"},
		{Libelle: "Portage intercommunal / mutualisation", Poids: "15"},
	}
}

// CampagneInput is what the campaign form gives. Criteres nil on creation takes the
// default criteria.
type CampagneInput struct {
	Nom, AnneeScolaire, Departement string
	DateOuverture, DateCloture      string // JJ/MM/AAAA, optional
	Statut                          string
	VagueID                         int64
	Notes                           string
	Criteres                        []CritereInput
}

// CampagneRow is a campaign as pages show it: with its wave's name, its criteria and the
// number of its live candidatures.
type CampagneRow struct {
	Campagne
	VagueNom       *string
	Criteres       []CampagneCritere `gorm:"-"`
	NbCandidatures int
}

// StatutLabel is the French label of the campaign's status.
func (c Campagne) StatutLabel() string { return LabelOf(CampagneStatuts, c.Statut) }

// Ouverte reports whether the campaign receives candidatures.
func (c Campagne) Ouverte() bool { return c.Statut == "ouverte" }

// TerritoireLabel is "Académie" or "Département 93".
func (c Campagne) TerritoireLabel() string {
	if c.DepartementCode == nil {
		return "Académie"
	}
	return "Département " + *c.DepartementCode
}

// PoidsTotal is the sum of the weights of the criteria.
func (c CampagneRow) PoidsTotal() int {
	n := 0
	for _, k := range c.Criteres {
		n += k.Poids
	}
	return n
}

// VagueLabel is the name of the pilot wave, "" without one.
func (c CampagneRow) VagueLabel() string {
	if c.VagueNom == nil {
		return ""
	}
	return *c.VagueNom
}

var campagneFields = []Choice{{"nom", "Nom"}, {"annee_scolaire", "Année scolaire"}, {"departement", "Département"},
	{"date_ouverture", "Ouverture"}, {"date_cloture", "Clôture"}, {"statut", "Statut"}, {"vague", "Vague pilote"},
	{"notes", "Notes"}, {"criteres", "Critères"}}

func (c CampagneRow) auditValues() map[string]string {
	dep := ""
	if c.DepartementCode != nil {
		dep = *c.DepartementCode
	}
	crit := make([]string, len(c.Criteres))
	for i, k := range c.Criteres {
		crit[i] = k.Libelle + " (" + strconv.Itoa(k.Poids) + ")"
	}
	return map[string]string{"nom": c.Nom, "annee_scolaire": c.AnneeScolaire, "departement": dep,
		"date_ouverture": frDate(c.DateOuverture), "date_cloture": frDate(c.DateCloture), "statut": c.StatutLabel(),
		"vague": c.VagueLabel(), "notes": c.Notes, "criteres": strings.Join(crit, ", ")}
}

// CanCreateCampagnes reports whether the actor creates campaigns (of some territory).
func CanCreateCampagnes(actor Actor) bool { return CanCreate(actor, EntityCampagne) }

// CanWriteCampagne reports whether the actor changes the campaign: the administrator and
// the pilotes académiques, the IA-DASEN of its département.
func CanWriteCampagne(actor Actor, c Campagne) bool {
	return writesDepartemental(actor, EntityCampagne, c.DepartementCode)
}

// campagnesIn starts every query of campaigns: the live ones of the scope (alias k).
func campagnesIn(tx *gorm.DB, scope Scope) *gorm.DB {
	return scope.restrictTo(tx.Table("campagnes AS k"), EntityCampagne, "k").Where("k.archived_at IS NULL")
}

const campagneColumns = `k.*, v.nom AS vague_nom,
	(SELECT COUNT(*) FROM candidatures kc WHERE kc.campagne_id = k.id AND kc.archived_at IS NULL) AS nb_candidatures`

func getCampagne(tx *gorm.DB, scope Scope, id int64) (CampagneRow, error) {
	var rows []CampagneRow
	if err := campagnesIn(tx, scope).Joins("LEFT JOIN vagues v ON v.id = k.vague_id").Select(campagneColumns).
		Where("k.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return CampagneRow{}, err
	}
	if len(rows) == 0 {
		return CampagneRow{}, ErrNotFound
	}
	err := tx.Where("campagne_id = ?", id).Order("ordre, id").Find(&rows[0].Criteres).Error
	return rows[0], err
}

// GetCampagne returns one live campaign of the scope with its criteria; ErrNotFound
// otherwise.
func (s *Store) GetCampagne(ctx context.Context, scope Scope, id int64) (CampagneRow, error) {
	return getCampagne(s.db.WithContext(ctx), scope, id)
}

// campagnesOrder is the order of the campaigns list: the latest school year first.
var campagnesOrder = fixedOrder("campagnes", true, textCol("k.annee_scolaire"), intCol("k.id"))

// ListCampagnes returns one page of the live campaigns of the scope, the latest first.
func (s *Store) ListCampagnes(ctx context.Context, scope Scope, p PageRequest) (Page[CampagneRow], error) {
	db := s.db.WithContext(ctx)
	lq := listQuery{rows: func() *gorm.DB { return campagnesIn(db, scope) }, order: campagnesOrder}
	return readPage(ctx, s, lq, p, func(ids []int64) ([]CampagneRow, error) {
		var rows []CampagneRow
		if err := campagnesIn(db, scope).Joins("LEFT JOIN vagues v ON v.id = k.vague_id").Select(campagneColumns).
			Where("k.id IN ?", ids).Scan(&rows).Error; err != nil {
			return nil, err
		}
		return rows, withCriteres(db, rows)
	}, func(r CampagneRow) int64 { return r.ID })
}

// withCriteres loads the criteria of the campaigns in one query.
func withCriteres(tx *gorm.DB, rows []CampagneRow) error {
	at := map[int64]int{}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i], at[r.ID] = r.ID, i
	}
	var crit []CampagneCritere
	if err := tx.Where("campagne_id IN ?", ids).Order("campagne_id, ordre, id").Find(&crit).Error; err != nil {
		return err
	}
	for _, k := range crit {
		r := &rows[at[k.CampagneID]]
		r.Criteres = append(r.Criteres, k)
	}
	return nil
}

// CampagneChoices lists the live campaigns of the scope, the latest first: "Sites pilotes
// 2012 (2011-2012)".
func (s *Store) CampagneChoices(ctx context.Context, scope Scope) ([]Choice, error) {
	var rows []Campagne
	if err := campagnesIn(s.db.WithContext(ctx), scope).Select("k.id, k.nom, k.annee_scolaire").
		Order("k.annee_scolaire DESC, k.id DESC").Limit(MaxChoices).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(rows))
	for i, r := range rows {
		out[i] = Choice{Value: strconv.FormatInt(r.ID, 10), Label: r.Nom + " (" + r.AnneeScolaire + ")"}
	}
	return out, nil
}

// PilotVagueChoices lists the live waves of the scope a campaign may send its retained
// écoles to, the pilot waves first.
func (s *Store) PilotVagueChoices(ctx context.Context, scope Scope) ([]Choice, error) {
	var rows []Vague
	q := scope.restrictTo(s.db.WithContext(ctx).Table("vagues AS v"), EntityVague, "v").Where("v.archived_at IS NULL")
	if err := q.Select("v.id, v.nom, v.annee_scolaire").Order("v.pilote DESC, v.annee_scolaire, v.nom, v.id").
		Limit(MaxChoices).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(rows))
	for i, r := range rows {
		out[i] = Choice{Value: strconv.FormatInt(r.ID, 10), Label: r.Nom + " (" + r.AnneeScolaire + ")"}
	}
	return out, nil
}
