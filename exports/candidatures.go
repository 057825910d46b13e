package exports

import (
	"math"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
)

// CandidaturesTable is the shape of the candidatures export: one row per candidature, in
// the order of the list on screen, with its derived score (out of 5) and ranks.
var CandidaturesTable = Table{Sheet: "Candidatures", Title: "Candidatures", Columns: []Column{
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Campagne", Kind: Text, Width: 30},
	{Header: "Candidature", Kind: Text, Width: 36},
	{Header: "Département", Kind: Text, Width: 12},
	{Header: "Communes", Kind: Text, Width: 36},
	{Header: "EPCI porteur", Kind: Text, Width: 30},
	{Header: "Écoles proposées", Kind: Integer, Width: 10},
	{Header: "Score sur 5", Kind: Decimal, Width: 10},
	{Header: "Critères notés", Kind: Text, Width: 12},
	{Header: "Rang département", Kind: Integer, Width: 10},
	{Header: "Rang académie", Kind: Integer, Width: 10},
	{Header: "Décision", Kind: Text, Width: 16},
	{Header: "Date de la décision", Kind: Date, Width: 12},
	{Header: "Modifiée le", Kind: Date, Width: 12},
}}

// CandidatureValues is one row of the candidatures export.
func CandidatureValues(c models.CandidatureRow) []any {
	var score, depRank, acadRank any
	if c.Score.Scored() {
		score = math.Round(c.Score.Value()*10) / 10
	}
	if c.Rangs.Departement > 0 {
		depRank = c.Rangs.Departement
	}
	if c.Rangs.Academie > 0 {
		acadRank = c.Rangs.Academie
	}
	var date any
	if c.DecisionDate != nil {
		date = *c.DecisionDate
	}
	notes := ""
	if c.Score.NbCriteres > 0 {
		notes = strconv.Itoa(c.Score.NbNotes) + " sur " + strconv.Itoa(c.Score.NbCriteres)
	}
	return []any{c.ID, c.CampagneNom, c.Titre, c.DepartementCode, c.CommunesLabel(), c.EPCILabel(), len(c.Ecoles),
		score, notes, depRank, acadRank, c.DecisionLabel(), date, c.UpdatedAt.In(paris())}
}
