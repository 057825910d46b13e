package app_test

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// samplePDF is a small valid PDF showing the title.
func samplePDF(title string) []byte { return seeds.PDF(title) }

// multipartBody is a form with the fields and, when fileName is not "", the file "fichier".
func multipartBody(t *testing.T, fields url.Values, fileName string, content []byte) (*bytes.Buffer, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if fileName != "" {
		fw, err := mw.CreateFormFile("fichier", fileName)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(content); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &body, mw.FormDataContentType()
}

// upload sends a file as the documents form does, with the CSRF token.
func (fc *formClient) upload(path, fileName string, content []byte, fields ...string) *httptest.ResponseRecorder {
	fc.t.Helper()
	form := url.Values{"_csrf": {fc.token()}}
	for i := 0; i+1 < len(fields); i += 2 {
		form.Set(fields[i], fields[i+1])
	}
	body, ct := multipartBody(fc.t, form, fileName, content)
	req := httptest.NewRequest(http.MethodPost, path, body)
	req.Header.Set("Content-Type", ct)
	return fc.do(req)
}

// documentLinks lists the download links of a page's documents table.
func documentLinks(t *testing.T, rec *httptest.ResponseRecorder) []string {
	t.Helper()
	var out []string
	doc(t, rec).Find(`#tableau-documents a[href^="/documents/"]`).Each(func(_ int, a *goquery.Selection) {
		out = append(out, a.AttrOr("href", ""))
	})
	return out
}

func TestDocumentsOfMeetings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newGovFixture(t, s)
		ia77 := fx.clients["ia77"]
		r77 := createReunion(t, ia77, reunionForm(fx.b77.ID, "2031-03-12"))
		pdf := samplePDF("Compte rendu")
		link := uploadMeetingDocument(t, ia77, r77, pdf)
		checkDocumentAccess(t, fx.clients, r77, link, pdf)
		checkDocumentRefusals(t, ia77, r77, pdf)

		// Removal: gone from the page and from downloads, logged in the meeting's history.
		rec := ia77.post(link+"/supprimer", nil)
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), r77+"?document=retrait") {
			t.Fatalf("suppression : %d", rec.Code)
		}
		page := ia77.get(r77)
		if len(documentLinks(t, page)) != 0 || doc(t, page).Find("#aucun-document").Length() != 1 {
			t.Errorf("document supprimé encore listé")
		}
		if !strings.Contains(doc(t, page).Find("#historique").Text()+page.Body.String(), "document retiré") {
			t.Errorf("suppression absente de l'historique")
		}
		if rec := ia77.get(link); rec.Code != http.StatusNotFound {
			t.Errorf("document supprimé encore téléchargeable : %d", rec.Code)
		}
	})
}

// uploadMeetingDocument uploads pdf on the meeting r77 (its name with a path): the page then
// lists it, and the download gives the same bytes, safely; it returns the download link.
func uploadMeetingDocument(t *testing.T, ia77 *formClient, r77 string, pdf []byte) string {
	t.Helper()
	// Upload, then the page lists it and the download gives the same bytes, safely.
	rec := ia77.upload(r77+"/documents", "../../Compte rendu signé.pdf", pdf, "description", "Compte rendu signé")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), r77+"?document=ajout") {
		t.Fatalf("dépôt : %d %s", rec.Code, rec.Body.String())
	}
	loc, _, _ := strings.Cut(rec.Header().Get("Location"), "#") // a browser does not send the fragment
	page := ia77.get(loc)
	d := doc(t, page)
	links := documentLinks(t, page)
	if len(links) != 1 || d.Find("#document-confirmation").Length() != 1 {
		t.Fatalf("liste des documents : %v", links)
	}
	row := d.Find("#tableau-documents tbody tr").Text()
	for _, want := range []string{"Compte rendu signé.pdf", "Compte rendu signé", "Compte ia77", "octets"} {
		if !strings.Contains(row, want) {
			t.Errorf("ligne du document sans %q : %s", want, row)
		}
	}
	if d.Find(`#formulaire-document input[type="file"][accept="application/pdf"]`).Length() != 1 ||
		d.Find(`#formulaire-document[enctype="multipart/form-data"]`).Length() != 1 {
		t.Errorf("formulaire de dépôt incomplet")
	}
	dl := ia77.get(links[0])
	if dl.Code != http.StatusOK || !bytes.Equal(dl.Body.Bytes(), pdf) {
		t.Fatalf("téléchargement : %d, %d octets", dl.Code, dl.Body.Len())
	}
	hd := dl.Header()
	if hd.Get("Content-Type") != "application/pdf" || hd.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(hd.Get("Cache-Control"), "no-store") || !strings.Contains(hd.Get("Cache-Control"), "private") {
		t.Errorf("en-têtes : %v", hd)
	}
	disp, params, err := mime.ParseMediaType(hd.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != "Compte rendu signé.pdf" {
		t.Errorf("Content-Disposition %q : %v %v", hd.Get("Content-Disposition"), params, err)
	}
	if cd := hd.Get("Content-Disposition"); !strings.Contains(cd, `filename="Compte rendu signe.pdf"`) ||
		!strings.Contains(cd, "filename*=UTF-8''Compte%20rendu%20sign%C3%A9.pdf") {
		t.Errorf("Content-Disposition : %q", cd)
	}
	return links[0]
}

// checkDocumentAccess checks the scope (another département's IA gets 404, the académie's
// reader downloads) and the reader's page and refusals on the document link of r77.
func checkDocumentAccess(t *testing.T, clients map[string]*formClient, r77, link string, pdf []byte) {
	t.Helper()
	ia93, lecteur, pilote := clients["ia93"], clients["lecteur"], clients["pilote"]
	// Scope: another département's IA gets 404, the académie's reader downloads.
	if rec := ia93.get(link); rec.Code != http.StatusNotFound {
		t.Errorf("IA 93 télécharge un document du 77 : %d", rec.Code)
	}
	if rec := ia93.upload(r77+"/documents", "x.pdf", pdf); rec.Code != http.StatusNotFound {
		t.Errorf("IA 93 dépose sur une réunion du 77 : %d", rec.Code)
	}
	if rec := ia93.post(link+"/supprimer", nil); rec.Code != http.StatusNotFound {
		t.Errorf("IA 93 supprime un document du 77 : %d", rec.Code)
	}
	if rec := lecteur.get(link); rec.Code != http.StatusOK {
		t.Errorf("le lecteur ne télécharge pas : %d", rec.Code)
	}
	if rec := pilote.get("/documents/999999"); rec.Code != http.StatusNotFound {
		t.Errorf("document inconnu : %d", rec.Code)
	}
	// The reader sees the list, no form, no delete button, and is refused on POST.
	ld := doc(t, lecteur.get(r77))
	if ld.Find("#formulaire-document").Length() != 0 || ld.Find(`form[action$="/supprimer"]`).Length() != 0 || ld.Find("#tableau-documents").Length() != 1 {
		t.Errorf("page du lecteur : formulaire ou bouton de suppression affiché")
	}
	rec := lecteur.upload(r77+"/documents", "x.pdf", pdf)
	if rec.Code != http.StatusForbidden || doc(t, rec).Find("#document-refus").Length() != 1 {
		t.Errorf("dépôt du lecteur : %d", rec.Code)
	}
	if rec := lecteur.post(link+"/supprimer", nil); rec.Code != http.StatusForbidden {
		t.Errorf("suppression par le lecteur : %d", rec.Code)
	}
}

// checkDocumentRefusals checks refused files (the page again, the French message next to
// the field, nothing stored) and uploads without the CSRF token on r77.
func checkDocumentRefusals(t *testing.T, ia77 *formClient, r77 string, pdf []byte) {
	t.Helper()
	// Refused files: the page again, the French message next to the field, nothing stored.
	for name, tc := range map[string]struct {
		file    string
		content []byte
		msg     string
	}{
		"faux PDF":      {"rapport.pdf", []byte("<html><script>alert(1)</script></html>"), "Le fichier n'est pas un PDF : seul le format PDF est accepté."},
		"aucun fichier": {"", nil, "Choisissez un fichier."},
		"plus de 10 Mo": {"gros.pdf", append(append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), models.MaxDocumentSize)...), "\n%%EOF\n"...), "Le fichier dépasse 10 Mo."},
	} {
		rec := ia77.upload(r77+"/documents", tc.file, tc.content, "description", "Ma description")
		d := doc(t, rec)
		if rec.Code != http.StatusUnprocessableEntity || strings.TrimSpace(d.Find("#document-fichier-erreur").Text()) != tc.msg {
			t.Errorf("%s : %d %q", name, rec.Code, d.Find("#document-fichier-erreur").Text())
		}
		if d.Find("#document-description").AttrOr("value", "") != "Ma description" || d.Find("#document-fichier").AttrOr("aria-describedby", "") != "document-fichier-erreur" {
			t.Errorf("%s : description non reprise ou message non relié au champ", name)
		}
	}
	if n := len(documentLinks(t, ia77.get(r77))); n != 1 {
		t.Errorf("%d documents après les refus, attendu 1", n)
	}

	// CSRF: an upload without the token is refused and stores nothing.
	body, ct := multipartBody(t, nil, "x.pdf", pdf)
	req := httptest.NewRequest(http.MethodPost, r77+"/documents", body)
	req.Header.Set("Content-Type", ct)
	if rec := ia77.do(req); rec.Code != http.StatusForbidden {
		t.Errorf("dépôt sans jeton CSRF : %d", rec.Code)
	}
	body, ct = multipartBody(t, url.Values{"_csrf": {"faux"}}, "x.pdf", pdf)
	req = httptest.NewRequest(http.MethodPost, r77+"/documents", body)
	req.Header.Set("Content-Type", ct)
	if rec := ia77.do(req); rec.Code != http.StatusForbidden {
		t.Errorf("dépôt avec un faux jeton CSRF : %d", rec.Code)
	}
	if n := len(documentLinks(t, ia77.get(r77))); n != 1 {
		t.Errorf("%d documents après les dépôts sans jeton, attendu 1", n)
	}
}

// TestDocumentUploadLimit: a body over the limit gets a French 413 page before it is read,
// announced or not, and the server goes on serving.
func TestDocumentUploadLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newGovFixture(t, s)
		ia77 := fx.clients["ia77"]
		r77 := createReunion(t, ia77, reunionForm(fx.b77.ID, "2031-03-12"))
		huge := bytes.Repeat([]byte("A"), 50<<20)
		body, ct := multipartBody(t, url.Values{"_csrf": {"x"}}, "enorme.pdf", huge)
		req := httptest.NewRequest(http.MethodPost, r77+"/documents", body)
		req.Header.Set("Content-Type", ct)
		rec := ia77.do(req)
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "Fichier trop volumineux") {
			t.Errorf("corps de 50 Mo : %d", rec.Code)
		}
		// The same without Content-Length (chunked): still 413, not a CSRF refusal.
		body, ct = multipartBody(t, url.Values{"_csrf": {ia77.token()}}, "enorme.pdf", huge[:12<<20])
		req = httptest.NewRequest(http.MethodPost, r77+"/documents", io.MultiReader(body))
		req.ContentLength = -1
		req.Header.Set("Content-Type", ct)
		if rec := ia77.do(req); rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("corps de 12 Mo sans longueur : %d", rec.Code)
		}
		// Other routes keep the 1 Mo limit.
		req = httptest.NewRequest(http.MethodPost, r77+"/points", bytes.NewReader(bytes.Repeat([]byte("a"), 2<<20)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if rec := ia77.do(req); rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("formulaire de 2 Mo hors dépôt : %d", rec.Code)
		}
		if rec := ia77.get(r77); rec.Code != http.StatusOK {
			t.Errorf("après les refus, la page répond %d", rec.Code)
		}
		if rec := ia77.upload(r77+"/documents", "ok.pdf", samplePDF("ok")); rec.Code != http.StatusSeeOther {
			t.Errorf("dépôt normal après les refus : %d", rec.Code)
		}
	})
}

func TestDocumentsOfAdoptions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newWorld(t, s, app.Config{})
		v := charteCreatedID(t, fx.clients["pilote"].post("/chartes", charteForm("statut", "adoptee")).Header().Get("Location"))
		bobigny := fx.clients["referent93"]
		if rec := bobigny.post("/adoptions", adoptionForm(v, "commune", "93008")); rec.Code != http.StatusSeeOther {
			t.Fatalf("adoption : %d", rec.Code)
		}
		var edit string
		doc(t, bobigny.get("/adoptions")).Find(`a[href$="/modifier"]`).Each(func(_ int, a *goquery.Selection) {
			edit = a.AttrOr("href", "")
		})
		base := strings.TrimSuffix(edit, "/modifier")
		pdf := samplePDF("Délibération")
		rec := bobigny.upload(base+"/documents", "délibération.pdf", pdf, "description", "Délibération du conseil municipal")
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), edit+"?document=ajout") {
			t.Fatalf("dépôt : %d %s", rec.Code, rec.Header().Get("Location"))
		}
		links := documentLinks(t, bobigny.get(edit))
		if len(links) != 1 {
			t.Fatalf("documents de l'adoption : %v", links)
		}
		if rec := fx.clients["lecteur"].get(edit); len(documentLinks(t, rec)) != 1 || doc(t, rec).Find("#formulaire-document").Length() != 0 {
			t.Errorf("page de l'adoption pour le lecteur : %d", rec.Code)
		}
		if rec := fx.clients["ia77"].get(links[0]); rec.Code != http.StatusNotFound {
			t.Errorf("IA 77 télécharge la délibération de Bobigny : %d", rec.Code)
		}
		rec = bobigny.upload(base+"/documents", "faux.pdf", []byte("GIF89a"))
		if d := doc(t, rec); rec.Code != http.StatusUnprocessableEntity || d.Find("#document-fichier-erreur").Length() != 1 || d.Find("#formulaire-ferme").Length() != 0 {
			t.Errorf("faux PDF sur une adoption : %d", rec.Code)
		}
		if rec := bobigny.post(links[0]+"/supprimer", nil); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), edit) {
			t.Errorf("suppression : %d", rec.Code)
		}
	})
}
