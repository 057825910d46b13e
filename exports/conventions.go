package exports

import (
	"io"

	"github.com/ac-creteil/pilotage/models"
)

// The registry of conventions for the IA (issue 5): one workbook with a sheet of
// conventions (the filtered registry), one of their avenants, one of their annex écoles and
// one of their parties and signatures. The CSV export is the conventions sheet alone.

// ConventionsTable is the conventions sheet: one row per convention of the filtered list.
var ConventionsTable = Table{Sheet: "Conventions", Title: "Registre des conventions", Columns: []Column{
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Référence", Kind: Text, Width: 18},
	{Header: "Type", Kind: Text, Width: 24},
	{Header: "Département", Kind: Text, Width: 12},
	{Header: "Titre", Kind: Text, Width: 44},
	{Header: "Convention parente", Kind: Text, Width: 18},
	{Header: "Statut", Kind: Text, Width: 18},
	{Header: "EPCI", Kind: Text, Width: 30},
	{Header: "Version de la charte", Kind: Text, Width: 12},
	{Header: "Parties", Kind: Text, Width: 44},
	{Header: "Date de délibération", Kind: Date, Width: 14},
	{Header: "Date de signature", Kind: Date, Width: 14},
	{Header: "Date d'entrée en vigueur", Kind: Date, Width: 14},
	{Header: "Date d'expiration signée", Kind: Date, Width: 14},
	{Header: "Expiration après avenants", Kind: Date, Width: 14},
	{Header: "Préavis (mois)", Kind: Integer, Width: 10},
	{Header: "Renouvellement", Kind: Text, Width: 18},
	{Header: "Communes", Kind: Integer, Width: 10},
	{Header: "Écoles de l'annexe", Kind: Integer, Width: 10},
	{Header: "Élèves de l'annexe", Kind: Integer, Width: 10},
	{Header: "Avenants", Kind: Integer, Width: 10},
	{Header: "Date de résiliation", Kind: Date, Width: 14},
	{Header: "Motif de résiliation", Kind: Text, Width: 30},
}}

// ConventionValues is one row of the conventions sheet.
func ConventionValues(c models.ConventionRow) []any {
	return []any{c.ID, c.Reference, c.KindLabel(), c.Departement(), c.Titre, c.ParentReference, c.StatutLabel(),
		c.EPCINom, c.CharteNumero, c.PartiesLabel(), c.DateDeliberation, c.DateSignature, c.DateEffet, c.DateExpiration,
		c.DateFin, c.PreavisMois, c.RenouvellementLabel(), c.NbCommunes, c.NbEcoles, c.NbEleves, c.NbAvenants,
		c.DateResiliation, c.MotifResiliation}
}

// AvenantsTable is the avenants sheet.
var AvenantsTable = Table{Sheet: "Avenants", Title: "Avenants", Columns: []Column{
	{Header: "Référence de la convention", Kind: Text, Width: 18},
	{Header: "Convention", Kind: Text, Width: 40},
	{Header: "Numéro", Kind: Integer, Width: 10},
	{Header: "Objet", Kind: Text, Width: 30},
	{Header: "Description", Kind: Text, Width: 44},
	{Header: "Date de signature", Kind: Date, Width: 14},
	{Header: "Date d'effet", Kind: Date, Width: 14},
	{Header: "Nouvelle expiration", Kind: Date, Width: 14},
}}

// AvenantValues is one row of the avenants sheet.
func AvenantValues(a models.Avenant, c models.ConventionRow) []any {
	return []any{c.Reference, c.Titre, a.Numero, a.ObjetLabel(), a.Description, a.DateSignature, a.DateEffet, a.NouvelleExpiration}
}

// AnnexTable is the sheet of the annex écoles.
var AnnexTable = Table{Sheet: "Annexe écoles", Title: "Écoles des annexes", Columns: []Column{
	{Header: "Référence de la convention", Kind: Text, Width: 18},
	{Header: "UAI", Kind: Text, Width: 11},
	{Header: "École", Kind: Text, Width: 40},
	{Header: "Code INSEE", Kind: Text, Width: 11},
	{Header: "Commune", Kind: Text, Width: 28},
	{Header: "Élèves", Kind: Integer, Width: 10},
	{Header: "Ajoutée par l'avenant n°", Kind: Integer, Width: 12},
}}

// AnnexValues is one row of the annex sheet.
func AnnexValues(e models.ConventionEcole, c models.ConventionRow) []any {
	return []any{c.Reference, e.UAI, e.Nom, e.CodeINSEE, e.CommuneNom, e.NbEleves, e.AvenantNumero}
}

// PartiesTable is the sheet of the parties and their signatures.
var PartiesTable = Table{Sheet: "Parties et signatures", Title: "Parties et signatures", Columns: []Column{
	{Header: "Référence de la convention", Kind: Text, Width: 18},
	{Header: "Organisation", Kind: Text, Width: 40},
	{Header: "Signataire", Kind: Text, Width: 30},
	{Header: "Fonction", Kind: Text, Width: 30},
	{Header: "Date de signature", Kind: Date, Width: 14},
}}

// PartyValues is one row of the parties sheet.
func PartyValues(p models.ConventionParty, c models.ConventionRow) []any {
	return []any{c.Reference, p.OrganisationNom, p.SignataireNom, p.SignataireFonction, p.DateSignature}
}

// WriteConventionsXLSX writes the registry workbook to w from one pass over the filtered
// registry (each ConventionRow comes with its parts): the conventions sheet is streamed as
// the rows come, the avenants, annex écoles and parties are kept as cell values from the
// same pass and written after it, one sheet after the other. Texts are always text cells (a
// name starting with "=" is never a formula); dates are date cells, counts numbers.
func WriteConventionsXLSX(w io.Writer, doc Document, conventions func(fn func(models.ConventionRow) error) error) error {
	return writeWorkbook(w, doc, func(wb *Workbook) error {
		s, err := wb.AddSheet(ConventionsTable)
		if err != nil {
			return err
		}
		var avenants, annex, parties [][]any
		if err := conventions(func(c models.ConventionRow) error {
			for _, a := range c.Avenants {
				avenants = append(avenants, AvenantValues(a, c))
			}
			for _, e := range c.Ecoles {
				annex = append(annex, AnnexValues(e, c))
			}
			for _, p := range c.Parties {
				parties = append(parties, PartyValues(p, c))
			}
			return s.WriteRow(ConventionValues(c)...)
		}); err != nil {
			return err
		}
		for _, sheet := range []struct {
			t    Table
			rows [][]any
		}{{AvenantsTable, avenants}, {AnnexTable, annex}, {PartiesTable, parties}} {
			if s, err = wb.AddSheet(sheet.t); err != nil {
				return err
			}
			for _, r := range sheet.rows {
				if err := s.WriteRow(r...); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
