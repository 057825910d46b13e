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
		w := newGovWorld(t, s)
		ctx := t.Context()
		ia93, pilote, lecteur := w.actors["ia93"], w.actors["pilote"], w.actors["lecteur"]
		ia94 := models.Actor{Name: "IA 94", Role: models.RoleIA, Scope: models.Scope{Kind: models.ScopeDepartement, Departements: []string{"94"}}}
		b94, err := s.CreateInstance(ctx, ia94, models.InstanceInput{Nom: "Co-pilotage 94", Kind: models.InstanceCopilotage, Departement: "94"})
		if err != nil {
			t.Fatal(err)
		}
		r94, err := s.CreateReunion(ctx, ia94, meeting(b94.ID, "2031-03-11"))
		if err != nil {
			t.Fatal(err)
		}
		acad, err := s.CreateReunion(ctx, pilote, meeting(w.acad.ID, "2031-03-12"))
		if err != nil {
			t.Fatal(err)
		}
		events := func(id int64) int {
			h, err := s.History(ctx, models.SystemActor("test"), "reunion", fmt.Sprint(id))
			if err != nil {
				t.Fatal(err)
			}
			return len(h)
		}
		before := events(r94.ID)

		// A PDF is stored, with a safe name, its size and checksum, and an event on the meeting.
		pdf := testPDF("Compte rendu")
		d, err := s.AddDocument(ctx, ia94, models.DocumentReunion, r94.ID, "../../etc/passwd", " Compte rendu signé ", bytes.NewReader(pdf))
		if err != nil {
			t.Fatal(err)
		}
		if d.Nom != "passwd.pdf" || d.Taille != int64(len(pdf)) || len(d.SHA256) != 64 || d.Description != "Compte rendu signé" || d.OwnerKind != "reunion" {
			t.Errorf("document enregistré : %+v", d.Document)
		}
		if events(r94.ID) != before+1 {
			t.Errorf("pas d'événement d'audit sur la réunion")
		}
		h, _ := s.History(ctx, models.SystemActor("test"), "reunion", fmt.Sprint(r94.ID))
		if len(h) == 0 || !strings.Contains(h[0].Changes, "passwd.pdf") || h[0].Actor != "IA 94" {
			t.Errorf("événement : %+v", h)
		}
		// Leading white space before the header is accepted.
		if _, err := s.AddDocument(ctx, ia94, models.DocumentReunion, r94.ID, "espace.pdf", "", bytes.NewReader(append([]byte("\r\n "), pdf...))); err != nil {
			t.Errorf("PDF précédé d'espaces refusé : %v", err)
		}

		// Refused contents, whatever the extension: nothing written, no event.
		n := events(r94.ID)
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
			_, err := s.AddDocument(ctx, ia94, models.DocumentReunion, r94.ID, "faux.pdf", "", tc.r)
			if got := fieldMessage(err, "fichier"); got != tc.msg {
				t.Errorf("%s : %q (%v), attendu %q", name, got, err, tc.msg)
			}
		}
		if events(r94.ID) != n {
			t.Errorf("un document refusé a écrit un événement")
		}
		if _, err := s.AddDocument(ctx, ia94, models.DocumentReunion, r94.ID, "x.pdf", strings.Repeat("d", 201), bytes.NewReader(pdf)); fieldMessage(err, "description") == "" {
			t.Errorf("description trop longue acceptée : %v", err)
		}

		// Scope and write rule: the meeting's.
		if _, err := s.AddDocument(ctx, ia93, models.DocumentReunion, r94.ID, "x.pdf", "", bytes.NewReader(pdf)); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 joint un document à une réunion du 94 : %v", err)
		}
		if _, err := s.AddDocument(ctx, lecteur, models.DocumentReunion, acad.ID, "x.pdf", "", bytes.NewReader(pdf)); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("le lecteur joint un document : %v", err)
		}
		if _, err := s.AddDocument(ctx, ia93, models.DocumentReunion, acad.ID, "x.pdf", "", strings.NewReader("pas un pdf")); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("IA 93 sur une réunion académique : %v, attendu un refus avant la validation", err)
		}
		if _, err := s.AddDocument(ctx, pilote, "inconnu", acad.ID, "x.pdf", "", bytes.NewReader(pdf)); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("propriétaire inconnu : %v", err)
		}
		if _, _, err := s.OpenDocument(ctx, ia93.Scope, d.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 ouvre un document d'une réunion du 94 : %v", err)
		}
		if _, err := s.ListDocuments(ctx, ia93.Scope, models.DocumentReunion, r94.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 liste les documents d'une réunion du 94 : %v", err)
		}
		got, data, err := s.OpenDocument(ctx, ia94.Scope, d.ID)
		if err != nil || !bytes.Equal(data, pdf) || got.Nom != "passwd.pdf" {
			t.Errorf("IA 94 ouvre son document : %v, %d octets", err, len(data))
		}
		if _, err := s.ArchiveDocument(ctx, lecteur, d.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("le lecteur retire un document : %v", err)
		}
		if _, err := s.ArchiveDocument(ctx, ia93, d.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 retire un document du 94 : %v", err)
		}

		// Lists never carry the bytes; archiving removes from the list, logged.
		list, err := s.ListDocuments(ctx, pilote.Scope, models.DocumentReunion, r94.ID)
		if err != nil || len(list) != 2 || list[0].ID != d.ID {
			t.Fatalf("liste : %v %+v", err, list)
		}
		n = events(r94.ID)
		if _, err := s.ArchiveDocument(ctx, ia94, d.ID); err != nil {
			t.Fatal(err)
		}
		if events(r94.ID) != n+1 {
			t.Errorf("retrait non journalisé")
		}
		if list, _ := s.ListDocuments(ctx, pilote.Scope, models.DocumentReunion, r94.ID); len(list) != 1 {
			t.Errorf("document retiré encore listé : %d", len(list))
		}
		if _, _, err := s.OpenDocument(ctx, pilote.Scope, d.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("document retiré encore ouvert : %v", err)
		}
		if _, err := s.ArchiveDocument(ctx, ia94, d.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("retrait en double : %v", err)
		}
	})
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
