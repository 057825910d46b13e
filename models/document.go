package models

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Documents are PDF files attached to a record of another module, its owner: a meeting, a
// charter adoption (conventions and avenants later). A document has no scope of its own:
// whoever reads the owner reads its documents, whoever writes the owner adds and removes
// them (documentOwners). The bytes are stored in document_contenus, read only to download.

// Limits of documents.
const (
	MaxDocumentSize        = 10 << 20 // bytes: 10 Mo
	MaxDocumentName        = 120      // characters of the file name, before ".pdf"
	MaxDocumentDescription = 200      // characters
	pdfTrailerWindow       = 2048     // "%%EOF" must be in the last 2 Ko
)

// French messages of the file field.
const (
	MsgDocumentMissing = "Choisissez un fichier."
	MsgDocumentNotPDF  = "Le fichier n'est pas un PDF : seul le format PDF est accepté."
	MsgDocumentTooBig  = "Le fichier dépasse 10 Mo."
)

// Owner kinds of documents.
const (
	DocumentReunion    = "reunion"
	DocumentAdoption   = "adoption"
	DocumentConvention = "convention"
	DocumentAvenant    = "avenant"
	// DocumentCandidature is the file of a candidature (models/candidature_document.go).
	DocumentCandidature = "candidature"
)

// DocumentOwner is how one kind of record owns documents: both functions run in the
// transaction of the document operation, with the rules of the owner's own module.
type DocumentOwner struct {
	// Read returns ErrNotFound unless the owner exists, is live and lies in the scope.
	Read func(tx *gorm.DB, scope Scope, id int64) error
	// Write returns ErrNotFound as Read does for the actor's scope, then ErrForbidden unless
	// the actor may change the owner.
	Write func(tx *gorm.DB, actor Actor, id int64) error
}

// documentOwners is the registry of the kinds of records that own documents; the kind is
// also the audit entity of the owner, where document changes are logged. A new module adds
// its line here (and its kind to the CHECK of documents.owner_kind if not there yet).
var documentOwners = map[string]DocumentOwner{
	DocumentReunion: {
		Read: func(tx *gorm.DB, scope Scope, id int64) error {
			_, err := getReunion(tx, scope, id, false)
			return err
		},
		Write: func(tx *gorm.DB, actor Actor, id int64) error {
			_, err := writableReunion(tx, actor, id)
			return err
		},
	},
	DocumentAdoption: {
		Read: func(tx *gorm.DB, scope Scope, id int64) error {
			_, err := getAdoption(tx, scope, id)
			return err
		},
		Write: func(tx *gorm.DB, actor Actor, id int64) error {
			a, err := getAdoption(tx, actor.Scope, id)
			if err != nil {
				return err
			}
			return mayWriteAdoption(tx, actor, a.Adoption)
		},
	},
	// A convention's documents: the signed PDF, the council's délibération...
	DocumentConvention: {
		Read: func(tx *gorm.DB, scope Scope, id int64) error {
			_, err := conventionsRead(tx, scope, id)
			return err
		},
		Write: func(tx *gorm.DB, actor Actor, id int64) error {
			c, err := conventionsRead(tx, actor.Scope, id)
			if err == nil && !CanWriteConvention(actor, c) {
				err = ErrForbidden
			}
			return err
		},
	},
	// An avenant's documents are read and written as its convention's.
	DocumentAvenant: {
		Read: func(tx *gorm.DB, scope Scope, id int64) error {
			_, err := avenantConvention(tx, scope, id)
			return err
		},
		Write: func(tx *gorm.DB, actor Actor, id int64) error {
			c, err := avenantConvention(tx, actor.Scope, id)
			if err == nil && !CanWriteConvention(actor, c) {
				err = ErrForbidden
			}
			return err
		},
	},
	DocumentCandidature: candidatureDocuments,
	DocumentMarche:      marcheDocuments,
	DocumentCahier:      cahierDocuments,
}

func documentOwner(kind string) (DocumentOwner, error) {
	o, ok := documentOwners[kind]
	if !ok {
		return DocumentOwner{}, ErrNotFound
	}
	return o, nil
}

// Document is the description of an attached file, without its bytes.
type Document struct {
	ID          int64
	OwnerKind   string
	OwnerID     int64
	Nom         string // sanitized file name, ending in ".pdf"
	Taille      int64  // bytes
	SHA256      string `gorm:"column:sha256"`
	Description string
	CreatedAt   time.Time
	CreatedBy   *int64
	UpdatedAt   time.Time
	ArchivedAt  *time.Time
	Version     int
}

// TableName is the documents table.
func (Document) TableName() string { return "documents" }

// documentContenu holds the bytes of a document.
type documentContenu struct {
	DocumentID int64 `gorm:"primaryKey;autoIncrement:false"`
	Data       []byte
}

func (documentContenu) TableName() string { return "document_contenus" }

// DocumentRow is a document as lists show it, with the name of who added it.
type DocumentRow struct {
	Document
	Auteur string // "" when added by the system or an account since removed
}

const documentColumns = `d.id, d.owner_kind, d.owner_id, d.nom, d.taille, d.sha256, d.description, d.created_at,
	d.created_by, d.updated_at, d.archived_at, d.version, COALESCE(u.nom, '') AS auteur`

func documentsQuery(tx *gorm.DB) *gorm.DB {
	return tx.Table("documents AS d").Select(documentColumns).Joins("LEFT JOIN users u ON u.id = d.created_by").
		Where("d.archived_at IS NULL")
}

func getDocument(tx *gorm.DB, id int64) (DocumentRow, error) {
	var rows []DocumentRow
	if err := documentsQuery(tx).Where("d.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return DocumentRow{}, err
	}
	if len(rows) == 0 {
		return DocumentRow{}, ErrNotFound
	}
	return rows[0], nil
}

// DocumentName makes a user-supplied file name harmless: its base name only (no directory,
// whichever the separator), without control or invisible formatting characters, without
// leading dots, at most MaxDocumentName characters, ending in ".pdf". It is never used as a
// path: it is what the pages show and what a download proposes.
func DocumentName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	space := false
	for _, r := range name {
		switch {
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || strings.ContainsRune(`"*:<>?|`, r):
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	name = b.String()
	if len(name) >= 4 && strings.EqualFold(name[len(name)-4:], ".pdf") {
		name = name[:len(name)-4]
	}
	name = strings.Trim(name, ". ")
	if utf8.RuneCountInString(name) > MaxDocumentName {
		name = strings.TrimRight(string([]rune(name)[:MaxDocumentName]), ". ")
	}
	if name == "" {
		name = "document"
	}
	return name + ".pdf"
}

// isPDF checks the content, whatever the name says: the "%PDF-" header (after optional
// white space) and the "%%EOF" marker in the last 2 Ko.
func isPDF(data []byte) bool {
	head := bytes.TrimLeft(data, " \t\r\n\f\x00")
	if !bytes.HasPrefix(head, []byte("%PDF-")) {
		return false
	}
	tail := data[max(0, len(data)-pdfTrailerWindow):]
	return bytes.Contains(tail, []byte("%%EOF"))
}

// readDocument reads at most MaxDocumentSize bytes of r and checks that they are a PDF.
// readAtMost reads r up to limit bytes. A file whose size is known (a Seeker: an upload's
// temporary file) is read into one buffer of its size, without the growing copies of
// io.ReadAll.
func readAtMost(r io.Reader, limit int64) ([]byte, error) {
	sk, ok := r.(io.Seeker)
	if !ok {
		return io.ReadAll(io.LimitReader(r, limit))
	}
	size, err := sk.Seek(0, io.SeekEnd)
	if err == nil {
		_, err = sk.Seek(0, io.SeekStart)
	}
	if err != nil {
		return nil, err
	}
	buf := make([]byte, min(size, limit))
	n, err := io.ReadFull(r, buf)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		err = nil
	}
	return buf[:n], err
}

func readDocument(r io.Reader) ([]byte, string, error) {
	if r == nil {
		return nil, MsgDocumentMissing, nil
	}
	data, err := readAtMost(r, MaxDocumentSize+1)
	switch {
	case err != nil:
		return nil, "", err
	case len(data) == 0:
		return nil, MsgDocumentMissing, nil
	case len(data) > MaxDocumentSize:
		return nil, MsgDocumentTooBig, nil
	case !isPDF(data):
		return nil, MsgDocumentNotPDF, nil
	}
	return data, "", nil
}

// documentChange is the line of the owner's history about one of its documents.
func documentChange(action string, d Document) Change {
	return Change{Field: "documents", Label: "Documents",
		New: fmt.Sprintf("document %s : %s (n° %d, %d octets, SHA-256 %s)", action, d.Nom, d.ID, d.Taille, d.SHA256)}
}

// AddDocument attaches a PDF to the owner (kind, ownerID): the owner must lie in the actor's
// scope (ErrNotFound) and be written by the actor (ErrForbidden); the content is read up to
// 10 Mo and must be a PDF (*ValidationError on the field "fichier"). The document, its bytes
// and the audit event on the owner are written in one transaction.
func (s *Store) AddDocument(ctx context.Context, actor Actor, kind string, ownerID int64, fileName, description string, r io.Reader) (DocumentRow, error) {
	owner, err := documentOwner(kind)
	if err != nil {
		return DocumentRow{}, err
	}
	var errs ValidationError
	data, msg, err := readDocument(r)
	if err != nil {
		return DocumentRow{}, err
	}
	if msg != "" {
		errs.Add(0, "fichier", msg)
	}
	description = strings.TrimSpace(description)
	if msg := textProblem("La description", description, MaxDocumentDescription, false, false); msg != "" {
		errs.Add(0, "description", msg)
	}
	var row DocumentRow
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := owner.Write(tx, actor, ownerID); err != nil {
			return err
		}
		if err := errs.OrNil(); err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		now := s.now().UTC()
		d := Document{OwnerKind: kind, OwnerID: ownerID, Nom: DocumentName(fileName), Taille: int64(len(data)),
			SHA256: hex.EncodeToString(sum[:]), Description: description, CreatedAt: now, UpdatedAt: now, Version: 1}
		if actor.UserID != 0 {
			d.CreatedBy = &actor.UserID
		}
		if err := tx.Create(&d).Error; err != nil {
			return err
		}
		if err := tx.Create(&documentContenu{DocumentID: d.ID, Data: data}).Error; err != nil {
			return err
		}
		var err error
		if row, err = getDocument(tx, d.ID); err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", kind, strconv.FormatInt(ownerID, 10), []Change{documentChange("ajouté", d)})
	})
	return row, err
}

// ListDocuments returns the live documents of an owner the scope reads (ErrNotFound
// otherwise), oldest first, without their bytes.
func (s *Store) ListDocuments(ctx context.Context, scope Scope, kind string, ownerID int64) ([]DocumentRow, error) {
	owner, err := documentOwner(kind)
	if err != nil {
		return nil, err
	}
	db := s.db.WithContext(ctx)
	if err := owner.Read(db, scope, ownerID); err != nil {
		return nil, err
	}
	var out []DocumentRow
	err = documentsQuery(db).Where("d.owner_kind = ? AND d.owner_id = ?", kind, ownerID).
		Order("d.created_at ASC, d.id ASC").Scan(&out).Error
	return out, err
}

// OpenDocument returns a live document and its bytes when the scope reads its owner;
// ErrNotFound otherwise, as if it did not exist.
func (s *Store) OpenDocument(ctx context.Context, scope Scope, id int64) (DocumentRow, []byte, error) {
	db := s.db.WithContext(ctx)
	d, err := getDocument(db, id)
	if err != nil {
		return d, nil, err
	}
	owner, err := documentOwner(d.OwnerKind)
	if err != nil {
		return DocumentRow{}, nil, err
	}
	if err := owner.Read(db, scope, d.OwnerID); err != nil {
		return DocumentRow{}, nil, err
	}
	var c documentContenu
	if err := db.Where("document_id = ?", id).Take(&c).Error; err != nil {
		if err == gorm.ErrRecordNotFound {
			return DocumentRow{}, nil, ErrNotFound
		}
		return DocumentRow{}, nil, err
	}
	return d, c.Data, nil
}

// ArchiveDocument removes a document from its owner's lists (its bytes are kept, as for
// every archived record): the actor must write the owner. It returns the document, so that
// the caller knows its owner.
func (s *Store) ArchiveDocument(ctx context.Context, actor Actor, id int64) (DocumentRow, error) {
	var d DocumentRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if d, err = getDocument(tx, id); err != nil {
			return err
		}
		owner, err := documentOwner(d.OwnerKind)
		if err != nil {
			return err
		}
		if err := owner.Write(tx, actor, d.OwnerID); err != nil {
			return err
		}
		if err := s.markArchived(tx, &Document{}, id, true); err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", d.OwnerKind, strconv.FormatInt(d.OwnerID, 10), []Change{documentChange("retiré", d.Document)})
	})
	return d, err
}
