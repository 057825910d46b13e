package exports_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/xuri/excelize/v2"
)

// TestMarchesWorkbook: a market's row reads back with its amounts as euro cells from
// integer cents, its dates as dates, and its awards named; its calendar has its key dates.
func TestMarchesWorkbook(t *testing.T) {
	debut := day(2013, time.September, 1)
	m := models.MarcheRow{Marche: models.Marche{ID: 7, Reference: "GC-94", Objet: "ENT du groupement", DepartementCode: "94",
		Acheteur: "groupement", Procedure: "ao_ouvert", MontantEstime: ptr(int64(30000050)), DateLimite: ptr(day(2013, time.March, 15)),
		Statut: "attribue", Version: 3},
		Membres: []models.MarcheMembre{{MarcheCommune: models.MarcheCommune{CodeINSEE: "94028", Coordinateur: true}, Nom: "Créteil"},
			{MarcheCommune: models.MarcheCommune{CodeINSEE: "94033"}, Nom: "Fontenay-sous-Bois"}},
		Lots: []models.LotRow{{MarcheLot: models.MarcheLot{ID: 1, Numero: 1, Intitule: "ENT", MontantAttribue: ptr(int64(25000000)),
			SolutionID: ptr(int64(2)), DureeMois: ptr(36), Reconductions: 1, DateDebut: &debut}, Titulaire: "Éditeur", Solution: "ENT Val",
			Offres: []models.MarcheOffre{{Montant: 25000000}, {Montant: 27500050}}}}}
	f, _ := buildXLSX(t, exports.MarchesTable, [][]any{exports.MarcheValues(m)})
	sheet := f.GetSheetName(0)
	h := headerRow(t, f, sheet)
	for col, want := range map[int]string{5: "Groupement de commandes", 6: "Créteil", 7: "Créteil, Fontenay-sous-Bois",
		9: "300000.5", 11: "15/03/2013", 14: "2", 15: "Éditeur", 16: "ENT Val", 17: "250000"} {
		got, err := f.GetCellValue(sheet, cell(col, h+1), excelize.Options{RawCellValue: col == 9 || col == 17})
		if err != nil || got != want {
			t.Errorf("colonne %d : %q, attendu %q (%v)", col, got, want, err)
		}
	}
	ics := string(exports.MarcheICS(m, "https://pilotage.example/marches/7", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	for _, want := range []string{"UID:marche-7-limite@pilotage-ent-1d", "DTSTART;VALUE=DATE:20130315", "UID:marche-7-lot-1-fin@",
		"DTSTART;VALUE=DATE:20190901", "SEQUENCE:2"} {
		if !strings.Contains(ics, want) {
			t.Errorf("calendrier sans %q :\n%s", want, ics)
		}
	}
}
