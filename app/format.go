package app

import (
	"strconv"
	"strings"
)

// formatRatio writes a/b with one decimal and a decimal comma: 24,5.
func formatRatio(a, b int) string {
	return strings.Replace(strconv.FormatFloat(float64(a)/float64(b), 'f', 1, 64), ".", ",", 1)
}
