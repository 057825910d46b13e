package exports

import (
	"errors"
	"io"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/xuri/excelize/v2"
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
var AvenantsTable = Table{Sheet: "Avenants", Columns: []Column{
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
var AnnexTable = Table{Sheet: "Annexe écoles", Columns: []Column{
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
var PartiesTable = Table{Sheet: "Parties et signatures", Columns: []Column{
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

// ConventionSources feed the registry workbook's sheets, each in the registry's order.
type ConventionSources struct {
	Conventions func(fn func(models.ConventionRow) error) error
	Avenants    func(fn func(models.Avenant, models.ConventionRow) error) error
	Annex       func(fn func(models.ConventionEcole, models.ConventionRow) error) error
}

// WriteConventionsXLSX writes the registry workbook to w: the conventions (and, from the same
// pass, their parties), the avenants, the annex écoles. Texts are always text cells (a name
// starting with "=" is never a formula); dates are date cells, counts numbers.
func WriteConventionsXLSX(w io.Writer, src ConventionSources) (err error) {
	f := excelize.NewFile().SetZipWriter(fastZip)
	defer func() { err = errors.Join(err, f.Close()) }()
	if err := f.SetDocProps(&excelize.DocProperties{Creator: xlsxCreator, LastModifiedBy: xlsxCreator, Language: xlsxLanguage,
		Title: ConventionsTable.Title}); err != nil {
		return err
	}
	sheets := []Table{ConventionsTable, AvenantsTable, AnnexTable, PartiesTable}
	writers := make([]*sheetStream, len(sheets))
	for i, t := range sheets {
		name := sheetName(t.Sheet)
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if writers[i], err = newSheetStream(f, name, t); err != nil {
			return err
		}
	}
	// The StreamWriters of one workbook are flushed in turn: the parties are kept from the
	// conventions' pass and written after it.
	var parties [][]any
	if err := src.Conventions(func(c models.ConventionRow) error {
		for _, p := range c.Parties {
			parties = append(parties, PartyValues(p, c))
		}
		return writers[0].write(ConventionValues(c))
	}); err != nil {
		return err
	}
	if err := writers[0].flush(); err != nil {
		return err
	}
	if err := src.Avenants(func(a models.Avenant, c models.ConventionRow) error { return writers[1].write(AvenantValues(a, c)) }); err != nil {
		return err
	}
	if err := writers[1].flush(); err != nil {
		return err
	}
	if err := src.Annex(func(e models.ConventionEcole, c models.ConventionRow) error {
		return writers[2].write(AnnexValues(e, c))
	}); err != nil {
		return err
	}
	if err := writers[2].flush(); err != nil {
		return err
	}
	for _, p := range parties {
		if err := writers[3].write(p); err != nil {
			return err
		}
	}
	if err := writers[3].flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// sheetStream streams the rows of one sheet of a workbook of several sheets: bold frozen
// header, widths, date and decimal formats, autofilter.
type sheetStream struct {
	f       *excelize.File
	sw      *excelize.StreamWriter
	t       Table
	sheet   string
	styles  []int
	row     int
	lastCol string
}

func newSheetStream(f *excelize.File, sheet string, t Table) (*sheetStream, error) {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	x := &sheetStream{f: f, sw: sw, t: t, sheet: sheet, styles: make([]int, len(t.Columns)), row: 1}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Calibri", Size: 11}})
	if err != nil {
		return nil, err
	}
	decimalFmt, dateFmt := decimalFormat, dateFormat
	decimal, err := f.NewStyle(&excelize.Style{CustomNumFmt: &decimalFmt})
	if err != nil {
		return nil, err
	}
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return nil, err
	}
	for i, c := range t.Columns {
		switch c.Kind {
		case Decimal:
			x.styles[i] = decimal
		case Date:
			x.styles[i] = date
		}
	}
	if x.lastCol, err = excelize.ColumnNumberToName(len(t.Columns)); err != nil {
		return nil, err
	}
	for n := len(t.Columns); n >= 1; n-- {
		if err := sw.SetColWidth(n, n, t.Columns[n-1].width()); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return nil, err
	}
	header := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = excelize.Cell{StyleID: bold, Value: cleanText(c.Header)}
	}
	return x, sw.SetRow("A1", header)
}

func (x *sheetStream) write(values []any) error {
	if err := checkCount(len(values), len(x.t.Columns)); err != nil {
		return err
	}
	if x.row > maxDataRows {
		return errors.New("exports : une feuille Excel est pleine")
	}
	cells := make([]any, len(values))
	for i, v := range values {
		cell, err := xlsxCell(x.t.Columns[i].Kind, v)
		if err != nil {
			return columnError(i, x.t.Columns[i], err)
		}
		if cell != nil && x.styles[i] != 0 {
			cell = excelize.Cell{StyleID: x.styles[i], Value: cell}
		}
		cells[i] = cell
	}
	x.row++
	return x.sw.SetRow("A"+strconv.Itoa(x.row), cells)
}

func (x *sheetStream) flush() error {
	if err := x.f.AutoFilter(x.sheet, "A1:"+x.lastCol+strconv.Itoa(x.row), nil); err != nil {
		return err
	}
	return x.sw.Flush()
}
