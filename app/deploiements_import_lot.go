package app

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
)

// The preview of a status file carries what it previewed to its confirmation in one hidden
// field, the "lot": the edits read from the file, the line of each and the version of each
// école's deployment as the preview read it, one tab-separated line per edit, gzipped and
// base64url-encoded (about 6 bytes per row: 300 Ko for 45,000 écoles). The server keeps
// nothing between the two requests and the file is not sent again.
//
// The lot is not signed, on purpose: it grants nothing. The confirmation applies it with
// ChangeDeploiements as the signed-in user, who could have sent any file anyway; the scope,
// the roles, the phases, waves and solutions are checked again, and the versions only make
// the change refuse the écoles changed since the preview (a tampered version refuses, never
// allows). Its size is bounded twice: by the body limit of the route, and when inflated
// (lotMaxInflated, seeds.MaxDeploiementsRows lines).

// lotMaxInflated bounds the lot once inflated: a gzip bomb in the hidden field is refused.
const lotMaxInflated = 32 << 20

// errLot is a lot that cannot be read (tampered with, truncated).
var errLot = errors.New("l'aperçu envoyé est illisible : importez le fichier à nouveau ; rien n'a été enregistré")

// encodeLot writes the lot of a preview.
func encodeLot(imp *seeds.DeploiementsImport) (string, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	w := bufio.NewWriter(zw)
	id := func(v *int64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatInt(*v, 10)
	}
	day := func(t *time.Time) string {
		switch {
		case t == nil:
			return ""
		case t.IsZero():
			return "-"
		}
		return t.Format(time.DateOnly)
	}
	for i, e := range imp.Edits {
		effet := ""
		if !e.DateEffet.IsZero() {
			effet = e.DateEffet.Format(time.DateOnly)
		}
		fields := []string{strconv.Itoa(imp.Lines[i]), e.UAI, e.Phase, effet, id(e.VagueID), id(e.SolutionID),
			day(e.OuverturePrevue), day(e.OuvertureEffective), strconv.Itoa(imp.Versions[e.UAI])}
		_, _ = w.WriteString(strings.Join(fields, "\t"))
		_ = w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// decodeLot reads a lot back into the edits, their lines and the versions read.
func decodeLot(lot string) (*seeds.DeploiementsImport, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(lot))
	if err != nil || len(raw) == 0 {
		return nil, errLot
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, errLot
	}
	sc := bufio.NewScanner(io.LimitReader(zr, lotMaxInflated))
	imp := &seeds.DeploiementsImport{Versions: map[string]int{}}
	for sc.Scan() {
		if len(imp.Edits) >= seeds.MaxDeploiementsRows {
			return nil, errLot
		}
		line, e, version, ok := decodeLotLine(sc.Text())
		if !ok {
			return nil, errLot
		}
		imp.Edits = append(imp.Edits, e)
		imp.Lines = append(imp.Lines, line)
		imp.Versions[e.UAI] = version
	}
	if sc.Err() != nil || len(imp.Edits) == 0 {
		return nil, errLot
	}
	return imp, nil
}

// decodeLotLine reads one line of a lot.
func decodeLotLine(s string) (int, models.DeploiementEdit, int, bool) {
	var e models.DeploiementEdit
	f := strings.Split(s, "\t")
	if len(f) != 9 {
		return 0, e, 0, false
	}
	line, err1 := strconv.Atoi(f[0])
	version, err2 := strconv.Atoi(f[8])
	ok := err1 == nil && err2 == nil && f[1] != ""
	e.UAI, e.Phase = f[1], f[2]
	if f[3] != "" {
		t, err := time.Parse(time.DateOnly, f[3])
		ok = ok && err == nil
		e.DateEffet = t
	}
	id := func(v string) *int64 {
		if v == "" {
			return nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		ok = ok && err == nil
		return &n
	}
	day := func(v string) *time.Time {
		var t time.Time
		switch v {
		case "":
			return nil
		case "-":
			return &t
		}
		t, err := time.Parse(time.DateOnly, v)
		ok = ok && err == nil
		return &t
	}
	e.VagueID, e.SolutionID = id(f[4]), id(f[5])
	e.OuverturePrevue, e.OuvertureEffective = day(f[6]), day(f[7])
	return line, e, version, ok
}
