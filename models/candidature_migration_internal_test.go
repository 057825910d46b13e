package models

import (
	"path/filepath"
	"testing"
	"time"
)

// TestCandidaturesMigrationKeepsDocuments migrates a SQLite database up to the version
// before 00055, stores a document, then applies 00055 (which rebuilds the documents table
// to allow the owner "candidature"): the document and its bytes survive, and the new kind
// is accepted.
func TestCandidaturesMigrationKeepsDocuments(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "m.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := s.provider()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(t.Context(), 54); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	doc := Document{OwnerKind: DocumentReunion, OwnerID: 7, Nom: "cr.pdf", Taille: 4, SHA256: "x", CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := s.db.Omit("ID").Create(&doc).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.db.Create(&documentContenu{DocumentID: doc.ID, Data: []byte("%PDF")}).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	var got documentContenu
	if err := s.db.Where("document_id = ?", doc.ID).First(&got).Error; err != nil || string(got.Data) != "%PDF" {
		t.Fatalf("contenu après migration : %q, %v", got.Data, err)
	}
	var kept Document
	if err := s.db.First(&kept, doc.ID).Error; err != nil || kept.Nom != "cr.pdf" {
		t.Fatalf("document après migration : %+v, %v", kept, err)
	}
	cand := Document{OwnerKind: DocumentCandidature, OwnerID: 1, Nom: "dossier.pdf", Taille: 4, SHA256: "y", CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := s.db.Omit("ID").Create(&cand).Error; err != nil || cand.ID <= doc.ID {
		t.Fatalf("document de candidature : %+v, %v", cand, err)
	}
	if err := s.db.Create(&documentContenu{DocumentID: 999, Data: []byte("x")}).Error; err == nil {
		t.Fatal("la clé étrangère de document_contenus ne tient plus")
	}
}
