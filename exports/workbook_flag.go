package exports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Highlight asks for the rows whose column f.Column holds f.Value to be shown on a light
// red fill in dark red bold (a conditional format of the sheet, set when it is finished: a
// reader who sorts or filters the sheet keeps the highlight on the right rows). The formula
// compares with a constant of the program, never with user data.
func (s *Sheet) Highlight(f Flag) error {
	if f.Column < 0 || f.Column >= len(s.t.Columns) || strings.ContainsRune(f.Value, '"') {
		return fmt.Errorf("exports: mise en évidence invalide (colonne %d, valeur %q)", f.Column, f.Value)
	}
	s.flag = &f
	return nil
}

// applyFlag sets the conditional format of the highlight over the data rows.
func (s *Sheet) applyFlag() error {
	if s.flag == nil || s.row <= s.header {
		return nil
	}
	style, err := s.wb.f.NewConditionalStyle(&excelize.Style{
		Font: &excelize.Font{Color: "7A0000", Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFE1E1"}},
	})
	if err != nil {
		return err
	}
	col, _ := excelize.ColumnNumberToName(s.flag.Column + 1)
	first := strconv.Itoa(s.header + 1)
	return s.wb.f.SetConditionalFormat(s.name, "A"+first+":"+s.lastCol+strconv.Itoa(s.row),
		[]excelize.ConditionalFormatOptions{{Type: "formula", Format: &style,
			Criteria: "$" + col + first + `="` + s.flag.Value + `"`}})
}
