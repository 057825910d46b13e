package exports_test

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/exports"
)

const benchRows, benchCols = 45000, 20

// benchTable returns a 20-column table mixing every kind, and a row
// generator reusing one value slice.
func benchTable() (exports.Table, func(i int) []any) {
	kinds := []exports.Kind{exports.Text, exports.Text, exports.Integer, exports.Decimal, exports.Date}
	table := exports.Table{Sheet: "Bench"}
	for c := range benchCols {
		table.Columns = append(table.Columns, exports.Column{
			Header: fmt.Sprintf("Colonne %d", c+1), Kind: kinds[c%len(kinds)],
		})
	}
	names := []string{"École élémentaire Jean Jaurès", "Maternelle Les Tilleuls", "EPPU Paul Bert"}
	date := time.Date(2024, 9, 2, 0, 0, 0, 0, time.UTC)
	row := make([]any, benchCols)
	return table, func(i int) []any {
		for c, col := range table.Columns {
			switch col.Kind {
			case exports.Text:
				if c%2 == 0 {
					row[c] = "0930388S"
				} else {
					row[c] = names[i%len(names)]
				}
			case exports.Integer:
				row[c] = i
			case exports.Decimal:
				row[c] = float64(i) / 7
			case exports.Date:
				row[c] = date
			}
		}
		return row
	}
}

func benchmarkExport(b *testing.B, newWriter func(io.Writer, exports.Table) (exports.RowWriter, error)) {
	table, next := benchTable()
	b.ReportAllocs()
	for b.Loop() {
		rw, err := newWriter(io.Discard, table)
		if err != nil {
			b.Fatal(err)
		}
		for i := range benchRows {
			if err := rw.WriteRow(next(i)...); err != nil {
				b.Fatal(err)
			}
		}
		if err := rw.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkXLSX45000x20(b *testing.B) {
	benchmarkExport(b, func(w io.Writer, t exports.Table) (exports.RowWriter, error) {
		return exports.NewXLSX(w, exports.Document{Title: "Banc d'essai"}, t)
	})
}

func BenchmarkCSV45000x20(b *testing.B) { benchmarkExport(b, exports.NewCSV) }
