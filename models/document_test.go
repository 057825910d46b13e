package models_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// testPDF is a small valid PDF showing the title.
func testPDF(title string) []byte { return seeds.PDF(title) }

func TestDocumentName(t *testing.T) {
	long := strings.Repeat("é", 300) + ".pdf"
	for in, want := range map[string]string{
		"Délibération 2012-04.pdf":     "Délibération 2012-04.pdf",
		"../../etc/passwd":             "passwd.pdf",
		`..\..\Windows\system.ini`:     "system.ini.pdf",
		"compte rendu.PDF":             "compte rendu.pdf",
		"rapport.exe":                  "rapport.exe.pdf",
		"":                             "document.pdf",
		"..":                           "document.pdf",
		"/":                            "document.pdf",
		".htaccess":                    "htaccess.pdf",
		"a\x00b\r\nc\x1b[31m.pdf":      "abc[31m.pdf",
		"facture\u202efdp.exe":         "facturefdp.exe.pdf",
		"  espaces   multiples  .pdf ": "espaces multiples.pdf",
		"quote\"<script>.pdf":          "quotescript.pdf",
		"invalide\xff\xfe.pdf":         "invalide.pdf",
		long:                           strings.Repeat("é", models.MaxDocumentName) + ".pdf",
	} {
		if got := models.DocumentName(in); got != want {
			t.Errorf("DocumentName(%q) = %q, attendu %q", in, got, want)
		}
	}
}

func TestDocuments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		f := newDocumentsFixture(t, s)
		d := f.storePDF(t)
		f.refusals(t)
		f.scope(t, d)
		f.archive(t, d)
	})
}

// documentsFixture is the world of TestDocuments: a meeting of the 94 (r94, of the IA 94)
// and one of the académie, and the PDF stored.
type documentsFixture struct {
	s                     *models.Store
	ia93, pilote, lecteur models.Actor
	ia94                  models.Actor
	r94, acad             models.ReunionRow
	pdf                   []byte
}

func newDocumentsFixture(t *testing.T, s *models.Store) documentsFixture {
	t.Helper()
	w := newGovWorld(t, s)
	ctx := t.Context()
	f := documentsFixture{s: s, ia93: w.actors["ia93"], pilote: w.actors["pilote"], lecteur: w.actors["lecteur"], pdf: testPDF("Compte rendu"),
		ia94: models.Actor{Name: "IA 94", Role: models.RoleIA, Scope: models.Scope{Kind: models.ScopeDepartement, Departements: []string{"94"}}}}
	b94, err := s.CreateInstance(ctx, f.ia94, models.InstanceInput{Nom: "Co-pilotage 94", Kind: models.InstanceCopilotage, Departement: "94"})
	if err != nil {
		t.Fatal(err)
	}
	if f.r94, err = s.CreateReunion(ctx, f.ia94, meeting(b94.ID, "2031-03-11")); err != nil {
		t.Fatal(err)
	}
	if f.acad, err = s.CreateReunion(ctx, f.pilote, meeting(w.acad.ID, "2031-03-12")); err != nil {
		t.Fatal(err)
	}
	return f
}

// events counts the events of the meeting of the 94.
func (f documentsFixture) events(t *testing.T) int {
	t.Helper()
	h, err := f.s.History(t.Context(), models.SystemActor("test"), "reunion", fmt.Sprint(f.r94.ID))
	if err != nil {
		t.Fatal(err)
	}
	return len(h)
}

// storePDF stores a PDF on the meeting of the 94: with a safe name, its size and checksum,
// and an event on the meeting; white space before the header is accepted.
func (f documentsFixture) storePDF(t *testing.T) models.DocumentRow {
	t.Helper()
	ctx, pdf := t.Context(), f.pdf
	before := f.events(t)
	// A PDF is stored, with a safe name, its size and checksum, and an event on the meeting.
	d, err := f.s.AddDocument(ctx, f.ia94, models.DocumentReunion, f.r94.ID, "../../etc/passwd", " Compte rendu signé ", bytes.NewReader(pdf))
	if err != nil {
		t.Fatal(err)
	}
	if d.Nom != "passwd.pdf" || d.Taille != int64(len(pdf)) || len(d.SHA256) != 64 || d.Description != "Compte rendu signé" || d.OwnerKind != "reunion" {
		t.Errorf("document enregistré : %+v", d.Document)
	}
	if f.events(t) != before+1 {
		t.Errorf("pas d'événement d'audit sur la réunion")
	}
	h, _ := f.s.History(ctx, models.SystemActor("test"), "reunion", fmt.Sprint(f.r94.ID))
	if len(h) == 0 || !strings.Contains(h[0].Changes, "passwd.pdf") || h[0].Actor != "IA 94" {
		t.Errorf("événement : %+v", h)
	}
	// Leading white space before the header is accepted.
	if _, err := f.s.AddDocument(ctx, f.ia94, models.DocumentReunion, f.r94.ID, "espace.pdf", "", bytes.NewReader(append([]byte("\r\n "), pdf...))); err != nil {
		t.Errorf("PDF précédé d'espaces refusé : %v", err)
	}
	return d
}

// refusals checks refused contents, whatever the extension (nothing written, no event),
// and a description too long.
func (f documentsFixture) refusals(t *testing.T) {
	t.Helper()
	ctx, pdf := t.Context(), f.pdf
	// Refused contents, whatever the extension: nothing written, no event.
	n := f.events(t)
	big := append(append([]byte{}, pdf[:9]...), bytes.Repeat([]byte("x"), models.MaxDocumentSize)...)
	big = append(big, "\n%%EOF\n"...)
	noEOF := append(append([]byte{}, pdf...), bytes.Repeat([]byte(" "), 3000)...)
	for name, tc := range map[string]struct {
		r   io.Reader
		msg string
	}{
		"HTML nommé .pdf":      {strings.NewReader("<html><script>alert(1)</script></html>"), models.MsgDocumentNotPDF},
		"sans %%EOF à la fin":  {bytes.NewReader(noEOF), models.MsgDocumentNotPDF},
		"PDF de plus de 10 Mo": {bytes.NewReader(big), models.MsgDocumentTooBig},
		"fichier vide":         {strings.NewReader(""), models.MsgDocumentMissing},
		"aucun fichier":        {nil, models.MsgDocumentMissing},
	} {
		_, err := f.s.AddDocument(ctx, f.ia94, models.DocumentReunion, f.r94.ID, "faux.pdf", "", tc.r)
		if got := fieldMessage(err, "fichier"); got != tc.msg {
			t.Errorf("%s : %q (%v), attendu %q", name, got, err, tc.msg)
		}
	}
	if f.events(t) != n {
		t.Errorf("un document refusé a écrit un événement")
	}
	if _, err := f.s.AddDocument(ctx, f.ia94, models.DocumentReunion, f.r94.ID, "x.pdf", strings.Repeat("d", 201), bytes.NewReader(pdf)); fieldMessage(err, "description") == "" {
		t.Errorf("description trop longue acceptée : %v", err)
	}
}

// scope checks the scope and write rule of the document d: the meeting's.
func (f documentsFixture) scope(t *testing.T, d models.DocumentRow) {
	t.Helper()
	ctx, pdf, ia93, lecteur, pilote := t.Context(), f.pdf, f.ia93, f.lecteur, f.pilote
	// Scope and write rule: the meeting's.
	if _, err := f.s.AddDocument(ctx, ia93, models.DocumentReunion, f.r94.ID, "x.pdf", "", bytes.NewReader(pdf)); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("IA 93 joint un document à une réunion du 94 : %v", err)
	}
	if _, err := f.s.AddDocument(ctx, lecteur, models.DocumentReunion, f.acad.ID, "x.pdf", "", bytes.NewReader(pdf)); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("le lecteur joint un document : %v", err)
	}
	if _, err := f.s.AddDocument(ctx, ia93, models.DocumentReunion, f.acad.ID, "x.pdf", "", strings.NewReader("pas un pdf")); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("IA 93 sur une réunion académique : %v, attendu un refus avant la validation", err)
	}
	if _, err := f.s.AddDocument(ctx, pilote, "inconnu", f.acad.ID, "x.pdf", "", bytes.NewReader(pdf)); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("propriétaire inconnu : %v", err)
	}
	if _, _, err := f.s.OpenDocument(ctx, ia93.Scope, d.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("IA 93 ouvre un document d'une réunion du 94 : %v", err)
	}
	if _, err := f.s.ListDocuments(ctx, ia93.Scope, models.DocumentReunion, f.r94.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("IA 93 liste les documents d'une réunion du 94 : %v", err)
	}
	got, data, err := f.s.OpenDocument(ctx, f.ia94.Scope, d.ID)
	if err != nil || !bytes.Equal(data, pdf) || got.Nom != "passwd.pdf" {
		t.Errorf("IA 94 ouvre son document : %v, %d octets", err, len(data))
	}
	if _, err := f.s.ArchiveDocument(ctx, lecteur, d.ID); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("le lecteur retire un document : %v", err)
	}
	if _, err := f.s.ArchiveDocument(ctx, ia93, d.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("IA 93 retire un document du 94 : %v", err)
	}
}

// archive checks lists never carry the bytes, and archiving d removes it from the list,
// logged.
func (f documentsFixture) archive(t *testing.T, d models.DocumentRow) {
	t.Helper()
	ctx, pilote := t.Context(), f.pilote
	// Lists never carry the bytes; archiving removes from the list, logged.
	list, err := f.s.ListDocuments(ctx, pilote.Scope, models.DocumentReunion, f.r94.ID)
	if err != nil || len(list) != 2 || list[0].ID != d.ID {
		t.Fatalf("liste : %v %+v", err, list)
	}
	n := f.events(t)
	if _, err := f.s.ArchiveDocument(ctx, f.ia94, d.ID); err != nil {
		t.Fatal(err)
	}
	if f.events(t) != n+1 {
		t.Errorf("retrait non journalisé")
	}
	if list, _ := f.s.ListDocuments(ctx, pilote.Scope, models.DocumentReunion, f.r94.ID); len(list) != 1 {
		t.Errorf("document retiré encore listé : %d", len(list))
	}
	if _, _, err := f.s.OpenDocument(ctx, pilote.Scope, d.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("document retiré encore ouvert : %v", err)
	}
	if _, err := f.s.ArchiveDocument(ctx, f.ia94, d.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("retrait en double : %v", err)
	}
}

func TestDocumentsOfAdoptions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		actors := worldActors(t, s)
		ctx := t.Context()
		v, err := s.CreateCharte(ctx, actors["pilote"], charteInput("1", models.CharteAdoptee))
		if err != nil {
			t.Fatal(err)
		}
		in := func(commune string) models.AdoptionInput {
			return models.AdoptionInput{CharteVersionID: v.ID, Commune: commune, Ref: "DEL-2012-01", Date: "12/01/2012"}
		}
		bobigny, err := s.CreateAdoption(ctx, actors["bobigny"], in("93008"))
		if err != nil {
			t.Fatal(err)
		}
		melun, err := s.CreateAdoption(ctx, actors["pilote"], in("77288"))
		if err != nil {
			t.Fatal(err)
		}
		pdf := testPDF("Délibération")
		d, err := s.AddDocument(ctx, actors["bobigny"], models.DocumentAdoption, bobigny.ID, "délibération.pdf", "Délibération", bytes.NewReader(pdf))
		if err != nil {
			t.Fatal(err)
		}
		if d.CreatedBy == nil || *d.CreatedBy != actors["bobigny"].UserID || d.Auteur != "Compte bobigny" {
			t.Errorf("auteur : %v %q", d.CreatedBy, d.Auteur)
		}
		if _, err := s.AddDocument(ctx, actors["bobigny"], models.DocumentAdoption, melun.ID, "x.pdf", "", bytes.NewReader(pdf)); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("le référent de Bobigny sur l'adoption de Melun : %v", err)
		}
		if _, err := s.AddDocument(ctx, actors["ia93"], models.DocumentAdoption, bobigny.ID, "x.pdf", "", bytes.NewReader(pdf)); err != nil {
			t.Errorf("IA 93 sur l'adoption de Bobigny : %v", err)
		}
		if _, err := s.AddDocument(ctx, actors["lecteur"], models.DocumentAdoption, bobigny.ID, "x.pdf", "", bytes.NewReader(pdf)); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("le lecteur sur une adoption : %v", err)
		}
		if _, _, err := s.OpenDocument(ctx, actors["ia77"].Scope, d.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 77 ouvre la délibération de Bobigny : %v", err)
		}
		if _, data, err := s.OpenDocument(ctx, actors["lecteur"].Scope, d.ID); err != nil || !bytes.Equal(data, pdf) {
			t.Errorf("le lecteur ne lit pas la délibération : %v", err)
		}
		h, _ := s.History(ctx, models.SystemActor("test"), "adoption", fmt.Sprint(bobigny.ID))
		if len(h) < 2 || !strings.Contains(h[1].Changes, "délibération.pdf") || !strings.Contains(h[0].Changes, "x.pdf") {
			t.Errorf("historique de l'adoption : %+v", h)
		}
		// An archived owner hides its documents.
		if err := s.ArchiveAdoption(ctx, actors["pilote"], bobigny.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.OpenDocument(ctx, actors["pilote"].Scope, d.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("document d'une adoption archivée : %v", err)
		}
	})
}
