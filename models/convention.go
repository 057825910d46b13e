package models

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
)

// Conventions (issue 5): the convention cadre of the académie, one convention
// départementale per département under it, and the local conventions of the IA-DASEN with a
// commune, a group of communes or an EPCI, under their département's. This file holds the
// types, the labels and the scope; convention_write.go the form's checks and writes,
// convention_workflow.go the statuses, convention_avenant.go the avenants,
// convention_read.go the lists, convention_alerts.go the alerts.

// Kinds of conventions.
const (
	ConventionCadre          = "cadre"
	ConventionDepartementale = "departementale"
	ConventionLocale         = "locale"
)

// ConventionKinds lists the kinds with their French labels.
var ConventionKinds = []Choice{
	{ConventionCadre, "Convention cadre"},
	{ConventionDepartementale, "Convention départementale"},
	{ConventionLocale, "Convention locale"},
}

// Renouvellements are the ways a convention is renewed.
var Renouvellements = []Choice{{"avenant", "Par avenant"}, {"tacite", "Tacite reconduction"}}

// Limits of the convention's text fields, in characters.
const (
	MaxConventionTitre = 300
	MaxConventionObjet = 5000
	MaxSignataire      = 200
	MaxMotif           = 2000
)

// Convention is one convention. DateFin is the expiry after the avenants of prolongation
// (DateExpiration is the one signed).
type Convention struct {
	ID               int64
	Reference        string
	Kind             string
	ParentID         *int64
	DepartementCode  *string
	EPCISiren        *string `gorm:"column:epci_siren"`
	Titre            string
	Objet            string
	CharteVersionID  *int64
	Statut           string
	StatutDepuis     time.Time
	DateDeliberation *time.Time
	DateSignature    *time.Time
	DateEffet        *time.Time
	DateExpiration   *time.Time
	DateFin          *time.Time
	PreavisMois      *int
	Renouvellement   string
	DateResiliation  *time.Time
	MotifResiliation string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	ArchivedAt       *time.Time
	Version          int
	// ExpiryUnrecorded: recorded "en vigueur" but past its expiry, so read as échue until
	// the daily run records it (convention_expiry.go).
	ExpiryUnrecorded bool `gorm:"-"`
}

// TableName is the conventions table.
func (Convention) TableName() string { return "conventions" }

// KindLabel is the French label of the kind.
func (c Convention) KindLabel() string { return LabelOf(ConventionKinds, c.Kind) }

// StatutLabel is the French label of the status.
func (c Convention) StatutLabel() string { return LabelOf(ConventionStatuts, c.Statut) }

// RenouvellementLabel is the French label of the renewal.
func (c Convention) RenouvellementLabel() string { return LabelOf(Renouvellements, c.Renouvellement) }

// Departement is the convention's département code, "" for the cadre.
func (c Convention) Departement() string {
	if c.DepartementCode == nil {
		return ""
	}
	return *c.DepartementCode
}

// Prolongee reports whether avenants moved the expiry.
func (c Convention) Prolongee() bool {
	return c.DateFin != nil && (c.DateExpiration == nil || !c.DateFin.Equal(*c.DateExpiration))
}

// ConventionParty is a party to a convention: an organisation, its signatory and the day
// they signed.
type ConventionParty struct {
	ID                 int64
	ConventionID       int64
	OrganisationID     int64
	Position           int
	SignataireNom      string
	SignataireFonction string
	DateSignature      *time.Time
	OrganisationNom    string `gorm:"->;-:migration"`
	OrganisationKind   string `gorm:"->;-:migration"`
}

// TableName is the convention_parties table.
func (ConventionParty) TableName() string { return "convention_parties" }

// Signed reports whether the party has signed.
func (p ConventionParty) Signed() bool { return p.DateSignature != nil }

// ConventionCommune is a commune a convention covers.
type ConventionCommune struct {
	ConventionID int64
	CodeINSEE    string `gorm:"column:code_insee"`
	Nom          string `gorm:"->;-:migration"`
}

// TableName is the convention_communes table.
func (ConventionCommune) TableName() string { return "convention_communes" }

// ConventionEcole is an école of the annex: by the convention itself (AvenantID nil) or
// added by an avenant.
type ConventionEcole struct {
	ConventionID   int64
	UAI            string `gorm:"column:uai"`
	AvenantID      *int64
	Nom            string `gorm:"->;-:migration"`
	CodeINSEE      string `gorm:"->;-:migration;column:code_insee"`
	CommuneNom     string `gorm:"->;-:migration"`
	NbEleves       int64  `gorm:"->;-:migration"`
	AvenantNumero  *int   `gorm:"->;-:migration"`
	TypeEtablissem string `gorm:"->;-:migration;column:type_ecole"`
}

// TableName is the convention_ecoles table.
func (ConventionEcole) TableName() string { return "convention_ecoles" }

// ConventionRow is a convention as the pages show it: with its parent, its counts, and
// (for one convention) its parties, communes, annex, avenants and timeline.
type ConventionRow struct {
	Convention
	ParentReference string
	ParentTitre     string
	DepartementNom  string
	EPCINom         string `gorm:"column:epci_nom"`
	CharteNumero    string
	NbCommunes      int64
	NbEcoles        int64
	NbEleves        int64
	NbAvenants      int64
	Parties         []ConventionParty      `gorm:"-"`
	Communes        []ConventionCommune    `gorm:"-"`
	Ecoles          []ConventionEcole      `gorm:"-"`
	Avenants        []Avenant              `gorm:"-"`
	Transitions     []ConventionTransition `gorm:"-"`
	Children        []ConventionRow        `gorm:"-"`
}

// CommunesLabel lists the covered communes' names.
func (c ConventionRow) CommunesLabel() string {
	names := make([]string, 0, len(c.Communes))
	for _, cc := range c.Communes {
		names = append(names, cc.Nom)
	}
	return strings.Join(names, ", ")
}

// PartiesLabel lists the parties' names.
func (c ConventionRow) PartiesLabel() string {
	names := make([]string, 0, len(c.Parties))
	for _, p := range c.Parties {
		names = append(names, p.OrganisationNom)
	}
	return strings.Join(names, ", ")
}

// AllSigned reports whether every party has signed (and there are parties).
func (c ConventionRow) AllSigned() bool {
	if len(c.Parties) == 0 {
		return false
	}
	for _, p := range c.Parties {
		if !p.Signed() {
			return false
		}
	}
	return true
}

// ElevesAnnexe is the pupils of the annex écoles.
func (c ConventionRow) ElevesAnnexe() int64 {
	var n int64
	for _, e := range c.Ecoles {
		n += e.NbEleves
	}
	return n
}

// CanWriteConvention is the write rule of conventions: the administrator and the pilotes
// académiques write every convention; an IA-DASEN the départementale and local conventions
// of their département. Every other role reads.
func CanWriteConvention(actor Actor, c Convention) bool {
	return writesDepartemental(actor, EntityConvention, c.DepartementCode)
}

// CanCreateConventions reports whether the actor may create some convention.
func CanCreateConventions(actor Actor) bool { return CanCreate(actor, EntityConvention) }

// referencePattern is the shape of a reference: letters, digits and dashes.
var referencePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{2,39}$`)

// referencePrefix is the start of the references suggested for a kind, a département and
// a year: CRE-AC-2011- for the cadre, CRE-93-2012- otherwise.
func referencePrefix(dep string, year int) string {
	if dep == "" {
		dep = "AC"
	}
	return fmt.Sprintf("CRE-%s-%d-", dep, year)
}

// frDate is a day (a DATE column, midnight UTC) as the pages show it (fr.Day), "" when nil.
func frDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return fr.Day(*t)
}
