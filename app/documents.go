package app

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
	"golang.org/x/text/unicode/norm"
)

// Documents: PDF files attached to meetings and charter adoptions (the owners). Upload from
// the owner's page, download, removal. Who may read or write is the owner's rule, decided by
// the data layer (models.AddDocument and the others); outside the scope everything is 404.

// ctxDocuments is where an upload that failed leaves its messages for the owner's page.
const ctxDocuments = "documents"

// documentFeedback is what a refused upload shows in the documents section.
type documentFeedback struct {
	Errors  map[string]string
	Refused string
}

const msgDocumentRefused = "Rien n'a été enregistré : votre rôle ne permet pas de modifier les documents de cet enregistrement."

// documentItem is one line of the documents table.
type documentItem struct {
	ID                                         int64
	Nom, Description, Of, Taille, Date, Auteur string
}

// documentsView is the documents section of an owner's page (partial "documents").
type documentsView struct {
	Action        string // the upload URL
	CSRF          string
	Items         []documentItem
	CanWrite      bool
	Done, Refused string
	FichierError  string
	Description   formField
	// Owners, when not empty, lets the upload choose what the document is attached to (the
	// convention or one of its avenants): field "avenant", "" for the owner itself.
	Owners     []models.Choice
	Owner      string
	OwnerError string
}

var documentDone = map[string]string{
	"ajout":   "Le document a été ajouté.",
	"retrait": "Le document a été retiré.",
}

// documentOwnerURLs are, per kind of owner, the URL prefix of its records (the upload route
// is prefix + id + "/documents") and the suffix of the page that shows the documents.
var documentOwnerURLs = map[string]struct{ prefix, page string }{
	models.DocumentReunion:     {"/reunions/", ""},
	models.DocumentAdoption:    {"/adoptions/", "/modifier"},
	models.DocumentConvention:  {"/conventions/", ""},
	models.DocumentAvenant:     {"/avenants/", ""}, // redirects to its convention's page
	models.DocumentCandidature: {"/candidatures/", ""},
	models.DocumentMarche:      {"/marches/", ""},
	models.DocumentCahier:      {"/cahiers-des-charges/", ""},
}

// documentOwnerPage is the URL of the page showing the owner's documents.
func documentOwnerPage(kind string, id int64) string {
	u := documentOwnerURLs[kind]
	return u.prefix + strconv.FormatInt(id, 10) + u.page
}

// documentsSection builds the documents section of the owner's page. The caller has read
// the owner in the scope and decided whether the actor writes it.
func (s *Server) documentsSection(c echo.Context, kind string, ownerID int64, canWrite bool) (*documentsView, error) {
	docs, err := s.store.ListDocuments(c.Request().Context(), s.scope(c), kind, ownerID)
	if err != nil {
		return nil, err
	}
	fb, _ := c.Get(ctxDocuments).(documentFeedback)
	v := &documentsView{Action: documentOwnerURLs[kind].prefix + strconv.FormatInt(ownerID, 10) + "/documents", CSRF: csrfToken(c), CanWrite: canWrite,
		Done: documentDone[c.QueryParam("document")], Refused: fb.Refused, FichierError: fb.Errors["fichier"], OwnerError: fb.Errors["avenant"],
		Description: formField{ID: "document-description", Name: "description", Label: "Description",
			Hint: "Facultatif. Exemple : délibération, compte rendu signé", Type: "text", Error: fb.Errors["description"]}}
	if fb.Errors != nil {
		v.Description.Value = c.FormValue("description")
	}
	for _, d := range docs {
		v.Items = append(v.Items, newDocumentItem(d, ""))
	}
	return v, nil
}

// newDocumentItem is one line of the documents table; of is what the document is attached
// to when the section gathers several owners ("Avenant n° 2"), "" otherwise.
func newDocumentItem(d models.DocumentRow, of string) documentItem {
	auteur := d.Auteur
	if auteur == "" {
		auteur = "—"
	}
	return documentItem{ID: d.ID, Nom: d.Nom, Description: d.Description, Of: of, Taille: formatSize(d.Taille),
		Date: fr.DateTime(d.CreatedAt), Auteur: auteur}
}

// formatSize writes a size in French: 512 octets, 2,4 Ko, 350 Ko, 1,2 Mo.
func formatSize(n int64) string {
	const nbsp = "\u00a0"
	unit := func(v float64, name string) string {
		prec := 0
		if v < 10 {
			prec = 1
		}
		return strings.TrimSuffix(fr.Decimal(v, prec), ",0") + nbsp + name
	}
	switch {
	case n < 1024:
		return strconv.FormatInt(n, 10) + nbsp + "octets"
	case n < 1024*1024:
		return unit(float64(n)/1024, "Ko")
	}
	return unit(float64(n)/(1024*1024), "Mo")
}

func (s *Server) addReunionDocument(c echo.Context) error {
	return s.addDocument(c, models.DocumentReunion)
}

func (s *Server) addAdoptionDocument(c echo.Context) error {
	return s.addDocument(c, models.DocumentAdoption)
}

// addConventionDocument attaches a document to a convention, or to one of its avenants
// (field "avenant"); either way the convention's page shows it.
func (s *Server) addConventionDocument(c echo.Context) error {
	if c.FormValue("avenant") == "" {
		return s.addDocument(c, models.DocumentConvention)
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	avenant, err := strconv.ParseInt(c.FormValue("avenant"), 10, 64)
	if err == nil {
		err = s.store.CheckAvenantOf(ctx, actor.Scope, id, avenant)
	}
	if err != nil {
		c.Set(ctxDocuments, documentFeedback{Errors: map[string]string{"avenant": "Choisissez l'avenant dans la liste."}})
		return s.showDocumentOwner(c, models.DocumentConvention, http.StatusUnprocessableEntity)
	}
	name, file, closeFile, err := uploadedFile(c)
	if err != nil {
		return err
	}
	defer closeFile()
	_, err = s.store.AddDocument(ctx, actor, models.DocumentAvenant, avenant, name, c.FormValue("description"), file)
	return s.afterUpload(c, models.DocumentConvention, id, err)
}

// addDocument stores the uploaded file (field "fichier") and goes back to the owner's page;
// a refused file shows the owner's page again with the message next to the field.
func (s *Server) addDocument(c echo.Context, kind string) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	name, file, closeFile, err := uploadedFile(c)
	if err != nil {
		return err
	}
	defer closeFile()
	_, err = s.store.AddDocument(c.Request().Context(), s.actor(c), kind, id, name, c.FormValue("description"), file)
	return s.afterUpload(c, kind, id, err)
}

// uploadedFile opens the form's file (field "fichier"); file is nil when none was chosen.
func uploadedFile(c echo.Context) (name string, file io.Reader, closeFile func(), err error) {
	fh, ferr := c.FormFile("fichier")
	if ferr != nil {
		return "", nil, func() {}, nil
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, func() {}, err
	}
	return fh.Filename, f, func() { f.Close() }, nil
}

// afterUpload goes back to the owner's page, or shows it again with the upload's error.
func (s *Server) afterUpload(c echo.Context, kind string, id int64, err error) error {
	if errs, ok := formErrors(err); ok {
		c.Set(ctxDocuments, documentFeedback{Errors: errs})
		return s.showDocumentOwner(c, kind, http.StatusUnprocessableEntity)
	}
	if errors.Is(err, models.ErrForbidden) {
		c.Set(ctxDocuments, documentFeedback{Refused: msgDocumentRefused})
		return s.showDocumentOwner(c, kind, http.StatusForbidden)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, documentOwnerPage(kind, id)+"?document=ajout#documents")
}

// showDocumentOwner shows the owner's page again (its route has the same :id).
func (s *Server) showDocumentOwner(c echo.Context, kind string, status int) error {
	switch kind {
	case models.DocumentReunion:
		return s.reunionPage(c, status, nil, "", "")
	case models.DocumentAdoption:
		a, err := s.adoptionOf(c)
		if err != nil {
			return err
		}
		return s.adoptionFormPage(c, status, &a, adoptionFormOf(a), nil, "", "")
	case models.DocumentConvention:
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		return s.conventionPage(c, status, id, conventionState{})
	case models.DocumentCandidature:
		return s.candidaturePage(c, status)
	case models.DocumentMarche:
		return s.marchePage(c, status, "", nil, nil)
	}
	return models.ErrNotFound
}

// downloadDocument sends a document as an attachment, never displayed in the page's origin.
func (s *Server) downloadDocument(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	d, data, err := s.store.OpenDocument(c.Request().Context(), s.scope(c), id)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, contentDisposition(d.Nom))
	h.Set(echo.HeaderXContentTypeOptions, "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set(echo.HeaderContentSecurityPolicy, "default-src 'none'; sandbox")
	return c.Blob(http.StatusOK, "application/pdf", data)
}

// archiveDocument removes a document from its owner's page.
func (s *Server) archiveDocument(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.store.ArchiveDocument(c.Request().Context(), s.actor(c), id)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, documentOwnerPage(d.OwnerKind, d.OwnerID)+"?document=retrait#documents")
}

// contentDisposition is "attachment" with the file name twice: in ASCII for old clients
// (accents removed, anything else replaced by "_") and in UTF-8 (RFC 6266, RFC 8187).
func contentDisposition(name string) string {
	var ascii strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r >= 0x20 && r < 0x7f && r != '"' && r != '\\' && r != '%':
			ascii.WriteRune(r)
		default:
			ascii.WriteByte('_')
		}
	}
	var ext strings.Builder
	const attrChar = "!#$&+-.^_`|~"
	for _, b := range []byte(name) {
		if b < 0x80 && (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte(attrChar, b) >= 0) {
			ext.WriteByte(b)
		} else {
			fmt.Fprintf(&ext, "%%%02X", b)
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + ext.String()
}

// showAvenant is an avenant's address (where its documents lead back): its convention's page.
func (s *Server) showAvenant(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	conv, err := s.store.AvenantConventionID(c.Request().Context(), s.scope(c), id)
	if err != nil {
		return err
	}
	q := ""
	if c.QueryString() != "" {
		q = "?" + c.QueryString()
	}
	return c.Redirect(http.StatusSeeOther, "/conventions/"+strconv.FormatInt(conv, 10)+q+"#documents")
}
