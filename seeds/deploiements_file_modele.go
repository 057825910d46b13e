package seeds

import (
	"io"

	"github.com/ac-creteil/pilotage/models"
	"github.com/xuri/excelize/v2"
)

// WriteDeploiementsTemplate writes the template of a status file: a first sheet with the
// header and two example rows, ready to be filled and imported, and a sheet listing the
// values accepted (phases, and the waves and solutions given).
func WriteDeploiementsTemplate(w io.Writer, vagues []models.Vague, solutions []models.SolutionENT) error {
	wb := excelize.NewFile()
	defer func() { _ = wb.Close() }()
	const sheet = "Écoles"
	if err := wb.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	rows := [][]any{
		{"UAI", "Phase", "Date d'effet", "Vague", "Solution", "Ouverture prévue", "Ouverture effective"},
		{"0930001A", "En déploiement", "09/01/2012", "", "", "03/09/2012", ""},
		{"0930002B", "Ouvert", "03/09/2012", "", "", "", "03/09/2012"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := wb.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	if err := wb.SetColWidth(sheet, "A", "G", 20); err != nil {
		return err
	}
	if err := wb.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := writeTemplateValues(wb, vagues, solutions); err != nil {
		return err
	}
	return wb.Write(w)
}

// writeTemplateValues adds the sheet of the values accepted.
func writeTemplateValues(wb *excelize.File, vagues []models.Vague, solutions []models.SolutionENT) error {
	const sheet = "Valeurs acceptées"
	if _, err := wb.NewSheet(sheet); err != nil {
		return err
	}
	cols := [][]string{{"Phase"}, {"Vague"}, {"Solution"}}
	for _, p := range models.DeploiementPhases {
		cols[0] = append(cols[0], p.Label)
	}
	for _, v := range vagues {
		cols[1] = append(cols[1], v.Nom)
	}
	for _, s := range solutions {
		cols[2] = append(cols[2], s.Produit)
	}
	for i, col := range cols {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := wb.SetSheetCol(sheet, cell, &col); err != nil {
			return err
		}
	}
	return wb.SetColWidth(sheet, "A", "C", 30)
}
