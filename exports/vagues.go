package exports

import "github.com/ac-creteil/pilotage/models"

// VaguesTable is the shape of the waves export: one row per wave, in the order of the plan,
// with the figures of its écoles in the reader's scope.
var VaguesTable = Table{Sheet: "Vagues", Title: "Vagues du plan de déploiement", Columns: []Column{
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Vague", Kind: Text, Width: 36},
	{Header: "Année scolaire", Kind: Text, Width: 12},
	{Header: "Sites pilotes", Kind: Text, Width: 8},
	{Header: "Périmètre", Kind: Text, Width: 28},
	{Header: "Ouverture prévue", Kind: Date, Width: 12},
	{Header: "Cible (écoles)", Kind: Integer, Width: 10},
	{Header: "Écoles", Kind: Integer, Width: 10},
	{Header: "Écoles ouvertes", Kind: Integer, Width: 10},
	{Header: "Part des écoles ouvertes", Kind: Percent, Width: 10},
	{Header: "Élèves", Kind: Integer, Width: 10},
	{Header: "Communes", Kind: Integer, Width: 10},
}}

// VagueValues is one row of the waves export.
func VagueValues(v models.VagueRow) []any {
	pilote := "non"
	if v.Pilote {
		pilote = "oui"
	}
	var part any
	if v.NbEcoles > 0 {
		part = v.ShareOuvertes()
	}
	return []any{v.ID, v.Nom, v.AnneeScolaire, pilote, v.ScopeLabel(), v.OuverturePrevue, v.CibleEcoles,
		v.NbEcoles, v.NbOuvertes, part, v.NbEleves, v.NbCommunes}
}

// SolutionsTable is the shape of the ENT solutions export.
var SolutionsTable = Table{Sheet: "Solutions ENT", Title: "Solutions ENT", Columns: []Column{
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Produit", Kind: Text, Width: 36},
	{Header: "Éditeur", Kind: Text, Width: 36},
	{Header: "Version", Kind: Text, Width: 12},
	{Header: "Hébergement", Kind: Text, Width: 28},
	{Header: "Fédération d'identité", Kind: Text, Width: 32},
	{Header: "Écoles", Kind: Integer, Width: 10},
	{Header: "Communes", Kind: Integer, Width: 10},
}}

// SolutionValues is one row of the ENT solutions export.
func SolutionValues(s models.SolutionRow) []any {
	return []any{s.ID, s.Produit, s.EditeurNom, s.VersionProduit, s.Hebergement, s.FederationLabel(), s.NbEcoles, s.NbCommunes}
}
