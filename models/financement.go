package models

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
)

// Financing plans (issue 5, "Financing"): a plan belongs to a convention, or to a commune or
// a group of communes; its portage says who carries it (a commune alone, its
// intercommunalité, or a groupement de commandes); for a group, a split key gives each
// member commune its share of the amounts. Its lines are amounts in integer cents by year,
// funder and nature. A plan's territory is its département and its communes: scope and
// write rules are in financement_scope.go, the lines in financement_ligne.go, the derived
// figures in financement_figures.go.

// Portages of a financing plan.
const (
	PortageCommune          = "commune"
	PortageIntercommunalite = "intercommunalite"
	PortageGroupement       = "groupement"
)

// Portages lists the portages with their French labels.
var Portages = []Choice{
	{PortageCommune, "Commune seule"},
	{PortageIntercommunalite, "Intercommunalité / EPCI"},
	{PortageGroupement, "Groupement de commandes"},
}

// Split keys of a plan carried by several communes.
const (
	CleEleves     = "eleves"
	CleEcoles     = "ecoles"
	ClePopulation = "population"
	CleParts      = "parts"
)

// ClesRepartition lists the split keys with their French labels.
var ClesRepartition = []Choice{
	{CleEleves, "Au nombre d'élèves"},
	{CleEcoles, "Au nombre d'écoles"},
	{ClePopulation, "À la population"},
	{CleParts, "Parts fixes"},
}

// Financeurs lists the funders of a line with their French labels, in the order of tables.
var Financeurs = []Choice{
	{"commune", "Commune"},
	{"epci", "EPCI"},
	{"etat", "État / plan numérique"},
	{"departement", "Département"},
	{"region", "Région"},
	{"autre", "Autre"},
}

// Natures lists the natures of a line's spending.
var Natures = []Choice{{"investissement", "Investissement"}, {"fonctionnement", "Fonctionnement"}}

// TypesAnnee lists the kinds of year of a line.
var TypesAnnee = []Choice{{"scolaire", "Année scolaire"}, {"civile", "Année civile"}}

// Limits of a plan's fields.
const (
	MaxFinancementTitre = 200
	MaxFinancementNotes = 5000
	MinFinancementAnnee = 2011
	MaxFinancementAnnee = 2100
	// MaxFinancementCommunes bounds the communes of a group (a large EPCI has about 130).
	MaxFinancementCommunes = 300
)

// Financement is a financing plan as stored.
type Financement struct {
	ID              int64
	Titre           string
	ConventionID    *int64
	Portage         string
	DepartementCode string
	CodeINSEE       *string `gorm:"column:code_insee"`
	EPCISiren       *string `gorm:"column:epci_siren"`
	CleRepartition  string
	Notes           string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ArchivedAt      *time.Time
	Version         int
}

// TableName is the financements table.
func (Financement) TableName() string { return "financements" }

// FinancementCommune is a commune of a plan; PartFixe is its fixed share in hundredths of a
// percent (10000 = 100 %), used with the "parts" key.
type FinancementCommune struct {
	FinancementID int64
	CodeINSEE     string `gorm:"column:code_insee"`
	PartFixe      *int
}

// TableName is the financement_communes table.
func (FinancementCommune) TableName() string { return "financement_communes" }

// PortageLabel is the French label of the plan's portage.
func (f Financement) PortageLabel() string { return LabelOf(Portages, f.Portage) }

// CleLabel is the French label of the plan's split key ("" for a commune alone).
func (f Financement) CleLabel() string {
	if f.Portage == PortageCommune {
		return ""
	}
	return LabelOf(ClesRepartition, f.CleRepartition)
}

// FinancementRow is a plan as lists, pages and exports show it: with its convention, its
// EPCI, the names of its communes and the totals of its lines.
type FinancementRow struct {
	Financement
	ConventionReference *string
	ConventionTitre     *string
	EPCINom             *string  `gorm:"column:epci_nom"`
	Communes            []string `gorm:"-"` // names, by name
	CommuneCodes        []string `gorm:"-"`
	NbLignes            int      `gorm:"-"`
	PrevuCentimes       int64    `gorm:"-"`
	RealiseCentimes     int64    `gorm:"-"`
	NbRealises          int      `gorm:"-"` // lines with an actual amount
}

// CommunesLabel lists the names of the plan's communes, the first ten then a count.
func (f FinancementRow) CommunesLabel() string {
	if len(f.Communes) <= 10 {
		return strings.Join(f.Communes, ", ")
	}
	return strings.Join(f.Communes[:10], ", ") + " et " + strconv.Itoa(len(f.Communes)-10) + " autres"
}

// ConventionLabel is the convention's reference and title, "" without a convention.
func (f FinancementRow) ConventionLabel() string {
	if f.ConventionReference == nil {
		return ""
	}
	label := *f.ConventionReference
	if f.ConventionTitre != nil && *f.ConventionTitre != "" {
		label += " — " + *f.ConventionTitre
	}
	return label
}

// EPCILabel is the name of the plan's EPCI, "" without one.
func (f FinancementRow) EPCILabel() string {
	if f.EPCINom == nil {
		return ""
	}
	return *f.EPCINom
}

// PrevuLabel and RealiseLabel are the plan's totals, "12 500,50 €".
func (f FinancementRow) PrevuLabel() string { return fr.Euros(f.PrevuCentimes) }

// RealiseLabel is the total of the actual amounts, "—" when none is known.
func (f FinancementRow) RealiseLabel() string {
	if f.NbRealises == 0 {
		return "—"
	}
	return fr.Euros(f.RealiseCentimes)
}

// FinancementInput is what the plan form gives. Communes lists INSEE codes separated by
// commas, spaces, semicolons or line breaks; with the "parts" key each entry is
// "93008 : 60" (percent, two decimals at most), entries separated by line breaks or ";".
type FinancementInput struct {
	Titre        string
	ConventionID int64
	Portage      string
	Departement  string
	Commune      string // commune seule
	EPCI         string // intercommunalité
	Communes     string // intercommunalité (a choice among the members, empty for all) or groupement
	Cle          string
	Notes        string
}

var financementFields = []Choice{{"titre", "Titre"}, {"convention", "Convention"}, {"portage", "Portage"},
	{"departement", "Département"}, {"epci", "EPCI"}, {"communes", "Communes"}, {"cle", "Clé de répartition"}, {"notes", "Notes"}}

func (f FinancementRow) auditValues(parts []FinancementCommune) map[string]string {
	entries := make([]string, len(parts))
	for i, p := range parts {
		entries[i] = p.CodeINSEE
		if p.PartFixe != nil {
			entries[i] += " : " + fr.Percent(*p.PartFixe)
		}
	}
	return map[string]string{"titre": f.Titre, "convention": f.ConventionLabel(), "portage": f.PortageLabel(),
		"departement": f.DepartementCode, "epci": f.EPCILabel(), "communes": strings.Join(entries, ", "),
		"cle": f.CleLabel(), "notes": f.Notes}
}

// ValidFinanceur, ValidNature, ValidTypeAnnee and ValidPortage check a value against its list.
func ValidFinanceur(v string) bool { return slices.Contains(ChoiceValues(Financeurs), v) }

// ValidNature reports whether v is one of Natures.
func ValidNature(v string) bool { return slices.Contains(ChoiceValues(Natures), v) }

// ValidTypeAnnee reports whether v is one of TypesAnnee.
func ValidTypeAnnee(v string) bool { return slices.Contains(ChoiceValues(TypesAnnee), v) }

// ValidPortage reports whether v is one of Portages.
func ValidPortage(v string) bool { return slices.Contains(ChoiceValues(Portages), v) }

// ValidCle reports whether v is one of ClesRepartition.
func ValidCle(v string) bool { return slices.Contains(ChoiceValues(ClesRepartition), v) }

// AnneeLabel is "2012-2013" for a school year, "2012" for a calendar year.
func AnneeLabel(annee int, typeAnnee string) string {
	if typeAnnee == "scolaire" {
		return strconv.Itoa(annee) + "-" + strconv.Itoa(annee+1)
	}
	return strconv.Itoa(annee)
}
