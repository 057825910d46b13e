package models

import "time"

// EntityUsage is the ENT usage statistics of an école (issue 14): rows lie where their école
// lies (they repeat its territory columns); every role reads them within its scope, and they
// are written only through the import of the platform's statistics file.
const EntityUsage Entity = "usages"

// usagesTerritory is how a usage row lies in the territory: on the columns repeated from its
// école.
var usagesTerritory = Territory{Departement: "departement_code", Circonscription: "code_circonscription", Commune: "code_insee"}

// UsageProfils are the profiles of the ENT's accounts, with their French labels.
var UsageProfils = []Choice{
	{"eleve", "Élève"},
	{"parent", "Parent"},
	{"enseignant", "Enseignant"},
	{"personnel", "Personnel"},
	{"invite", "Invité"},
}

// UsageGranularites are the lengths of the periods of a statistics file, as the platform
// exports them: a month by default, a week or a day when chosen.
var UsageGranularites = []Choice{
	{"mois", "Mois"},
	{"semaine", "Semaine"},
	{"jour", "Jour"},
}

// UsageRow is one row of a statistics file, parsed: the figures of a structure for a period
// and a profile. A nil count is unknown (empty in the file), never 0. ComptesActives is a
// cumulative stock, ComptesCharges a stock at the date, Connexions and Visiteurs flows of
// the period.
type UsageRow struct {
	Line           int    // line of the file (1 = header)
	Etablissement  string // the platform's name, HTML entities decoded
	UAI            string // "" for structures without one
	Periode        time.Time
	Profil         string // a value of UsageProfils
	Connexions     *int64
	Visiteurs      *int64
	ComptesCharges *int64
	ComptesActives *int64
}

// UsageFile is a statistics file parsed: its name, its format, the granularity detected
// from its dates (a value of UsageGranularites), its rows, and the faults of its rows
// (FieldError.Line is the line in the file, Field the column's label): a file with faults is
// previewed but not applied.
type UsageFile struct {
	Fichier     string
	Format      string
	Granularite string
	Rows        []UsageRow
	Errors      []FieldError
}
