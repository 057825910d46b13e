package exports

import "github.com/ac-creteil/pilotage/models"

// MarchesTable is the shape of the markets export: one row per market, in the order of the
// list on screen; amounts are euros from integer cents.
var MarchesTable = Table{Sheet: "Marchés", Title: "Marchés (appels d'offres)", Columns: []Column{
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Référence", Kind: Text, Width: 16},
	{Header: "Objet", Kind: Text, Width: 40},
	{Header: "Département", Kind: Text, Width: 12},
	{Header: "Acheteur", Kind: Text, Width: 24},
	{Header: "Coordonnateur", Kind: Text, Width: 24},
	{Header: "Communes", Kind: Text, Width: 40},
	{Header: "Procédure", Kind: Text, Width: 24},
	{Header: "Montant estimé", Kind: Euros, Width: 16},
	{Header: "Publication", Kind: Date, Width: 12},
	{Header: "Date limite des offres", Kind: Date, Width: 12},
	{Header: "Statut", Kind: Text, Width: 14},
	{Header: "Lots", Kind: Integer, Width: 8},
	{Header: "Offres reçues", Kind: Integer, Width: 10},
	{Header: "Titulaires", Kind: Text, Width: 30},
	{Header: "Solutions ENT", Kind: Text, Width: 30},
	{Header: "Montant attribué", Kind: Euros, Width: 16},
}}

// MarcheValues is one row of the markets export.
func MarcheValues(m models.MarcheRow) []any {
	offres := 0
	for _, l := range m.Lots {
		offres += len(l.Offres)
	}
	var estime, attribue, pub, limite any
	if m.MontantEstime != nil {
		estime = *m.MontantEstime
	}
	if models.AnyAwarded(m) {
		attribue = m.MontantAttribue()
	}
	if m.DatePublication != nil {
		pub = *m.DatePublication
	}
	if m.DateLimite != nil {
		limite = *m.DateLimite
	}
	acheteur := m.AcheteurLabel()
	if m.EPCINom != nil {
		acheteur += " : " + *m.EPCINom
	}
	return []any{m.ID, m.Reference, m.Objet, m.DepartementCode, acheteur, m.Coordinateur(), m.CommunesLabel(),
		m.ProcedureLabel(), estime, pub, limite, m.StatutLabel(), len(m.Lots), offres, m.TitulairesLabel(),
		m.SolutionsLabel(), attribue}
}
