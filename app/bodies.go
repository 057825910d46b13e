package app

import (
	"cmp"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/labstack/echo/v4"
)

// Request bodies: their size is checked, and forms are read, before the CSRF check looks
// for its token in them, so that a body too large is a 413 (never a 403), announced or
// chunked.
const (
	// formBodyLimit is the largest body of an ordinary form.
	formBodyLimit = 1 << 20
	// uploadBodyLimit is the largest body of an upload: a document of 10 Mo and the form
	// around it.
	uploadBodyLimit = models.MaxDocumentSize + 1<<20
	// uploadMemory is how much of an upload's form is kept in memory: beyond, its file is
	// streamed to a temporary file (removed when the request ends).
	uploadMemory = 64 << 10
	// defaultUploadSlots is how many uploads are read at once when Config.UploadSlots is 0.
	defaultUploadSlots = 2
)

// defaultUploadWait is how long an upload waits for a slot before it is refused, when
// Config.UploadWait is 0.
const defaultUploadWait = 5 * time.Second

// msgUploadsBusy answers an upload when every slot stayed taken.
const msgUploadsBusy = "Trop de fichiers sont en cours d'envoi : réessayez dans quelques instants. Rien n'a été enregistré."

// errUploadsBusy is the 503 of an upload that found no slot (app/errors.go shows msgUploadsBusy).
var errUploadsBusy = echo.NewHTTPError(http.StatusServiceUnavailable, msgUploadsBusy)

// isUpload reports whether the request sends a document (POST on a route ending in
// /documents), a deployment status file (POST under /deploiements/import) or an ENT
// statistics file (POST /usages/import and its confirmation), the only requests allowed a
// large body.
func isUpload(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && (strings.HasSuffix(c.Path(), "/documents") || strings.HasPrefix(c.Path(), importPath) ||
		c.Path() == usagesImportPath || c.Path() == usagesImportPath+"/confirmer")
}

// uploadLimit is the largest body of the upload c: a deployment status file
// (importMaxFileSize, 50 Mo by default) or the lot of a preview, and the form around it.
func (s *Server) uploadLimit(c echo.Context) int64 {
	if strings.HasPrefix(c.Path(), importPath) {
		return s.importMaxFileSize() + 1<<20
	}
	if strings.HasPrefix(c.Path(), usagesImportPath) {
		return seeds.MaxUsagesFileSize + 1<<20
	}
	return uploadBodyLimit
}

// importMaxFileSize is the largest deployment status file: Config.ImportMaxFileSize, at most
// the reader's own limit (seeds.MaxDeploiementsFileSize).
func (s *Server) importMaxFileSize() int64 {
	if n := s.cfg.ImportMaxFileSize; n > 0 && n < seeds.MaxDeploiementsFileSize {
		return n
	}
	return seeds.MaxDeploiementsFileSize
}

// megabytes writes a size in Mo, as the import's refusals say it.
func megabytes(n int64) string {
	return strconv.FormatInt(n>>20, 10) + " Mo"
}

// readBody runs after identify and before the CSRF check. An upload from a caller who is not
// signed in is refused from the cookie alone, before a byte of the body is read; a signed-in
// upload waits a few seconds for one of a few slots (then 503, its body drained so that the
// browser reads the answer), then its form is read as a stream, its file going to a
// temporary file. Other bodies are limited to formBodyLimit and their form read.
func (s *Server) readBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method == http.MethodGet || req.Method == http.MethodHead {
			return next(c)
		}
		if !isUpload(c) {
			return readForm(c, formBodyLimit, formBodyLimit, next)
		}
		if _, ok := currentUser(c); !ok {
			c.Response().Header().Set("Connection", "close")
			return echo.NewHTTPError(http.StatusUnauthorized)
		}
		limit := s.uploadLimit(c)
		if req.ContentLength > limit {
			c.Response().Header().Set("Connection", "close")
			return echo.ErrStatusRequestEntityTooLarge
		}
		wait := time.NewTimer(cmp.Or(s.cfg.UploadWait, defaultUploadWait))
		defer wait.Stop()
		select {
		case s.uploads <- struct{}{}:
			defer func() { <-s.uploads }()
		case <-wait.C:
			_, _ = io.Copy(io.Discard, http.MaxBytesReader(c.Response(), req.Body, limit))
			c.Response().Header().Set(echo.HeaderRetryAfter, "10")
			return errUploadsBusy
		case <-req.Context().Done():
			return req.Context().Err()
		}
		return readForm(c, limit, uploadMemory, next)
	}
}

// readForm limits the body to limit bytes and reads its form (URL-encoded or multipart,
// keeping at most memory bytes of a multipart form in memory), then calls next; the
// temporary files of a multipart form are removed when next returns.
func readForm(c echo.Context, limit, memory int64, next echo.HandlerFunc) error {
	req := c.Request()
	if req.ContentLength > limit {
		c.Response().Header().Set("Connection", "close")
		return echo.ErrStatusRequestEntityTooLarge
	}
	req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
	mt, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	var err error
	switch mt {
	case echo.MIMEMultipartForm:
		err = req.ParseMultipartForm(memory)
		if req.MultipartForm != nil {
			defer func() { _ = req.MultipartForm.RemoveAll() }()
		}
	case echo.MIMEApplicationForm:
		err = req.ParseForm()
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return echo.ErrStatusRequestEntityTooLarge
		}
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	return next(c)
}

// uploadSlots is the number of uploads read at once.
func uploadSlots(n int) int {
	if n <= 0 {
		return defaultUploadSlots
	}
	return n
}
