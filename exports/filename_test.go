package exports_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/exports"
)

func nan() float64 { return math.NaN() }

func TestSafeFileName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "export"},
		{"   ", "export"},
		{"---", "export"},
		{"???", "export"},
		{"Écoles de Créteil – 2024/2025", "ecoles-de-creteil-2024-2025"},
		{"Cœur de l'Île-de-France", "coeur-de-l-ile-de-france"},
		{"ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ", "aaaceeeeiioouuuyaeoe"},
		{"  --Effectifs__par  école--  ", "effectifs-par-ecole"},
		{"UAI 0930388S.xlsx", "uai-0930388s-xlsx"},
		{"日本語 report", "report"},
		{"bad\xffutf8", "bad-utf8"},
		{strings.Repeat("a", 80), strings.Repeat("a", 60)},
		{strings.Repeat("ab ", 30), strings.TrimSuffix(strings.Repeat("ab-", 20), "-")},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := exports.SafeFileName(tt.in)
			if got != tt.want {
				t.Errorf("SafeFileName(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if len(got) > 60 || strings.Trim(got, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
				t.Errorf("unsafe result %q", got)
			}
		})
	}
}

func ExampleSafeFileName() {
	fmt.Println(exports.SafeFileName("Effectifs des écoles – Créteil 2024/2025") + ".xlsx")
	// Output: effectifs-des-ecoles-creteil-2024-2025.xlsx
}
