package seeds

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// PDF is a one-page PDF of a few hundred bytes showing the title and saying that it is a
// fictional document (ASCII letters are kept, anything else becomes a space): the demo's
// documents and the tests' uploads.
func PDF(title string) []byte {
	clean := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '(' || r == ')' || r == '\\' {
			return ' '
		}
		return r
	}, title)
	text := "BT /F1 14 Tf 72 770 Td (" + clean + ") Tj 0 -24 Td (Document fictif de demonstration.) Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		"<< /Length " + strconv.Itoa(len(text)) + " >>\nstream\n" + text + "\nendstream",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
