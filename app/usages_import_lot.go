package app

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"io"
	"strings"

	"github.com/ac-creteil/pilotage/seeds"
)

// The preview of a statistics file carries the file itself to its confirmation in one
// hidden field, the "lot": gzipped and base64url-encoded (an export, whose names repeat on
// every row, shrinks about twentyfold). The confirmation reads it again with the same reader
// and imports it as the signed-in user: the server keeps nothing between the two requests,
// and the lot grants nothing (the user could have sent any file). Its size is bounded by
// the body limit of the route, and once inflated by the reader's own limit.

// errUsageLot is a lot that cannot be read (tampered with, truncated).
var errUsageLot = errors.New("l'aperçu envoyé est illisible : importez le fichier à nouveau ; rien n'a été enregistré")

// encodeUsageLot writes the lot of a file.
func encodeUsageLot(data []byte) (string, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return "", err
	}
	if _, err := zw.Write(data); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// decodeUsageLot reads a lot back into the file, refusing one that inflates beyond the
// largest file read.
func decodeUsageLot(lot string) ([]byte, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(lot))
	if err != nil || len(raw) == 0 {
		return nil, errUsageLot
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, errUsageLot
	}
	data, err := io.ReadAll(io.LimitReader(zr, seeds.MaxUsagesFileSize+1))
	if err != nil || len(data) > seeds.MaxUsagesFileSize {
		return nil, errUsageLot
	}
	return data, nil
}
