package models

import (
	"slices"
	"time"
)

// Training (issue 13): the académie's catalogue of modules, a training plan per school year
// and département, the sessions of a plan (Formation, table formations), the registrations
// of participants or of écoles with a headcount (formation_inscription*.go), the answers
// to the evaluation questionnaire (formation_evaluation*.go) and the coverage of the écoles
// opened (formation_couverture*.go). Migration 00056 holds the tables; the registry
// (policy.go) says who reads and writes a session and its registrations.

// FormationPublics are the audiences of a session.
var FormationPublics = []Choice{
	{"enseignants", "Enseignants"},
	{"directeurs", "Directeurs d'école"},
	{"formateurs", "Formateurs et ERUN"},
	{"agents_municipaux", "Agents municipaux"},
	{"elus", "Élus"},
}

// FormationStatuts are the statuses of a session.
var FormationStatuts = []Choice{
	{"planifiee", "Planifiée"},
	{"ouverte", "Ouverte aux inscriptions"},
	{"complete", "Complète"},
	{"tenue", "Tenue"},
	{"annulee", "Annulée"},
}

// FormationAClore is the status filter of the sessions to close: their day is past, and
// they are neither held nor cancelled (the attendance was not taken).
const FormationAClore = "a_clore"

// FormationStatutFilters are the choices of the sessions' status filter: the statuses,
// and the sessions to close.
var FormationStatutFilters = append(slices.Clone(FormationStatuts),
	Choice{FormationAClore, "À clore (passée, présence non relevée)"})

// InscriptionStatuts are the statuses of a registration.
var InscriptionStatuts = []Choice{{"inscrit", "Inscrit"}, {"attente", "Liste d'attente"}, {"annulee", "Annulée"}}

// FormationPresences are the attendance marks of a registration ("" : not taken yet).
var FormationPresences = []Choice{{PresencePresent, "Présent"}, {"absent", "Absent"}, {"excuse", "Excusé"}}

// PresencePresent is the attendance mark of the present.
const PresencePresent = "present"

// UsagesClasse are the answers to "j'utiliserai l'ENT en classe".
var UsagesClasse = []Choice{{"oui", "Oui"}, {"non", "Non"}, {"peut_etre", "Peut-être"}}

// FormationModule is a module of the académie's catalogue.
type FormationModule struct {
	ID           int64
	Libelle      string
	Description  string
	DureeMinutes *int
	Ordre        int
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ArchivedAt   *time.Time
	Version      int
}

// TableName is the formation_modules table.
func (FormationModule) TableName() string { return "formation_modules" }

// PlanFormation is the training plan of a school year and a département.
type PlanFormation struct {
	ID              int64
	AnneeScolaire   string
	DepartementCode string
	Titre           string
	Notes           string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ArchivedAt      *time.Time
	Version         int
}

// TableName is the plans_formation table.
func (PlanFormation) TableName() string { return "plans_formation" }

// Formation is a training session as stored. Inscrits is the number of seats taken,
// changed only in the transaction of a registration (never by the session's form).
type Formation struct {
	ID                  int64
	PlanID              int64
	ModuleID            int64
	Public              string
	DepartementCode     string
	CodeCirconscription *string
	Lieu                string
	ADistance           bool
	Lien                string
	DateSession         time.Time
	HeureDebut          string // "HH:MM", Paris time
	DureeMinutes        int
	FormateurID         *int64
	Capacite            int
	Inscrits            int
	Statut              string
	Sequence            int
	Notes               string
	CreatedAt           time.Time
	UpdatedAt           time.Time
	ArchivedAt          *time.Time
	Version             int
}

// TableName is the formations table.
func (Formation) TableName() string { return "formations" }

// FormationInscription is a registration as stored: a participant (Effectif 1) or an école
// with a headcount.
type FormationInscription struct {
	ID          int64
	FormationID int64
	Kind        string // "participant" or "ecole"
	Nom         string
	Fonction    string
	Email       string
	UAI         *string `gorm:"column:uai"`
	CodeINSEE   *string `gorm:"column:code_insee"`
	Effectif    int
	Statut      string
	Presence    string
	Presents    *int
	CreatedBy   *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ErasedAt    *time.Time
	Version     int
}

// TableName is the formation_inscriptions table.
func (FormationInscription) TableName() string { return "formation_inscriptions" }

// FormationEvaluation is one answer to a session's questionnaire.
type FormationEvaluation struct {
	ID           int64
	FormationID  int64
	Satisfaction int
	Utilite      int
	UsageClasse  string
	Commentaire  string
	CreatedBy    *int64
	CreatedAt    time.Time
}

// TableName is the formation_evaluations table.
func (FormationEvaluation) TableName() string { return "formation_evaluations" }
