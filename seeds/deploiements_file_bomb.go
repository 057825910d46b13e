package seeds

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
)

// DeploiementsZipBomb returns a small workbook (a few hundred Ko) whose sheet inflates to
// more than mib Mio of blanks: the file the import must refuse before inflating it. It is
// for the tests of the import's limits (seeds and app).
func DeploiementsZipBomb(mib int) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestCompression) })
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>`},
		{"xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="A" sheetId="1"/></sheets></workbook>`},
		{"xl/worksheets/sheet1.xml", `<?xml version="1.0"?><worksheet><sheetData>`},
	}
	var w io.Writer
	for _, p := range parts {
		var err error
		if w, err = zw.Create(p.name); err != nil {
			return nil, err
		}
		if _, err := io.WriteString(w, p.body); err != nil {
			return nil, err
		}
	}
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for range mib + 1 {
		if _, err := w.Write(chunk); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
