package app_test

// Uploads under attack (issue 9): anonymous uploads are refused before their body is read,
// signed-in uploads are read a few at a time and streamed to temporary files, and the
// server's memory stays bounded.

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// uploadMemoryBound is the most the heap may grow while 100 anonymous and 20 signed-in
// clients each send 10 MB at once (it grew by 1.4 GB before the fix, and kept it), with the
// process given a soft memory limit of its starting size plus this bound. Two uploads are
// read at once; each holds its 10 MB file and the driver's copy of it. Measured: +30 to
// +60 Mio with the collector set to 10 % (+40 to +180 Mio at its default pace).
const uploadMemoryBound = 256 << 20

// uploadMemoryKept is the most the heap may keep once the flood is over and collected.
const uploadMemoryKept = 64 << 20

// filler is an endless reader of one byte, so that a client's body costs no memory.
type filler byte

func (f filler) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(f)
	}
	return len(p), nil
}

// streamedPDF is a multipart form (fields, and a PDF of size bytes in "fichier") read as a
// stream: only its first and last lines are held in memory.
func streamedPDF(t *testing.T, fields url.Values, size int64) (body io.Reader, length int64, contentType string) {
	t.Helper()
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := mw.CreateFormFile("fichier", "lourd.pdf"); err != nil {
		t.Fatal(err)
	}
	prefix := append(bytes.Clone(head.Bytes()), "%PDF-1.4\n"...)
	head.Reset()
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	suffix := append([]byte("\n%%EOF\n"), head.Bytes()...)
	middle := size - int64(len("%PDF-1.4\n")+len("\n%%EOF\n"))
	length = int64(len(prefix)) + middle + int64(len(suffix))
	return io.MultiReader(bytes.NewReader(prefix), io.LimitReader(filler('A'), middle), bytes.NewReader(suffix)),
		length, mw.FormDataContentType()
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// TestUploadAnonymousRefusedUnread: an upload without a session, or with a session that
// does not exist, is refused (401) before a byte of its body is read, announced or chunked.
func TestUploadAnonymousRefusedUnread(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newGovFixture(t, s)
		r77 := createReunion(t, fx.clients["ia77"], reunionForm(fx.b77.ID, "2031-03-12"))
		for _, c := range []struct {
			what   string
			cookie string
			length bool
		}{
			{"sans session, longueur annoncée", "", true},
			{"sans session, sans longueur", "", false},
			{"session inconnue", "pilotage_session=inconnue", true},
		} {
			body, n, ct := streamedPDF(t, url.Values{"_csrf": {"x"}}, 10_000_000)
			counted := &countingReader{r: body}
			req := httptest.NewRequest(http.MethodPost, r77+"/documents", counted)
			req.ContentLength = -1
			if c.length {
				req.ContentLength = n
			}
			req.Header.Set("Content-Type", ct)
			if c.cookie != "" {
				req.Header.Set("Cookie", c.cookie)
			}
			rec := httptest.NewRecorder()
			fx.h.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("%s : %d, attendu 401", c.what, rec.Code)
			}
			if got := counted.n.Load(); got != 0 {
				t.Errorf("%s : %d octets lus avant le refus", c.what, got)
			}
		}
	})
}

// TestUploadFloodKeepsMemoryBounded: 100 anonymous and 20 signed-in clients each send a
// 10 MB PDF at once to a real server. The anonymous ones are all refused, the signed-in ones
// saved or asked to retry (503 with a French message), never a 5xx otherwise; the heap
// stays within uploadMemoryBound of where it started, and the server serves afterwards.
func TestUploadFloodKeepsMemoryBounded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newGovFixture(t, s)
		ia77 := fx.clients["ia77"]
		r77 := createReunion(t, ia77, reunionForm(fx.b77.ID, "2031-03-12"))
		srv := httptest.NewServer(fx.h)
		defer srv.Close()
		session := "pilotage_session=" + ia77.jar["pilotage_session"]
		token := ia77.token()

		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		// The test binary holds what earlier tests left (hundreds of MiB), and the collector
		// lets the heap grow in proportion to it before collecting: a soft limit of the
		// starting memory plus the bound makes it collect garbage as a server under that limit
		// would, so that the peak measures what the uploads keep, not the collector's pace.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(before.Sys-before.HeapReleased) + uploadMemoryBound))
		defer debug.SetGCPercent(debug.SetGCPercent(10)) // collect when the heap grows by a tenth of what is live
		stop := sampleHeapPeak()
		flood := floodUploads(t, srv.URL+r77+"/documents", session, token)
		peak := stop()
		grown := int64(peak) - int64(before.HeapInuse)
		t.Logf("tas : %d Mio au départ, pic à %d Mio (+%d Mio) ; réponses %v", before.HeapInuse>>20, peak>>20, grown>>20, flood.statuses)
		if grown > uploadMemoryBound {
			t.Errorf("le tas a grandi de %d Mio, borne %d Mio", grown>>20, uploadMemoryBound>>20)
		}
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if kept := int64(after.HeapInuse) - int64(before.HeapInuse); kept > uploadMemoryKept {
			t.Errorf("après l'afflux, le tas garde %d Mio de plus qu'au départ (borne %d Mio)", kept>>20, uploadMemoryKept>>20)
		}
		saved := flood.check(t)
		docs, err := s.ListDocuments(t.Context(), models.Scope{Kind: models.ScopeAcademie}, models.DocumentReunion, reunionID(t, r77))
		if err != nil || len(docs) != saved {
			t.Errorf("%d documents enregistrés pour %d réponses 303 (%v)", len(docs), saved, err)
		}
		if rec := ia77.get(r77); rec.Code != http.StatusOK {
			t.Errorf("après l'afflux, la page répond %d", rec.Code)
		}
	})
}

// sampleHeapPeak samples the heap in use every 10 ms until the function it returns is
// called, which returns the peak.
func sampleHeapPeak() func() uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-sampled
		return peak.Load()
	}
}

// uploadFlood is what the clients of a flood of uploads got: the statuses by kind of
// client ("anonyme", "connecté"; -1 when the server closed the connection while the client
// was still sending), and whether a 503 carried the French message.
type uploadFlood struct {
	mu          sync.Mutex
	statuses    map[string]map[int]int
	busyMessage bool
}

// floodUploads sends a 10 MB PDF to target from 100 anonymous and 20 signed-in clients
// (session cookie and CSRF token) at once, and returns what they got.
func floodUploads(t *testing.T, target, session, token string) *uploadFlood {
	f := &uploadFlood{statuses: map[string]map[int]int{"anonyme": {}, "connecté": {}}}
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() { f.send(t, target, "anonyme", "", "x") })
	}
	for range 20 {
		wg.Go(func() { f.send(t, target, "connecté", session, token) })
	}
	wg.Wait()
	return f
}

// send sends one upload to target as who, and records the answer.
func (f *uploadFlood) send(t *testing.T, target, who, cookie, csrf string) {
	body, n, ct := streamedPDF(t, url.Values{"_csrf": {csrf}}, 10_000_000)
	req, err := http.NewRequest(http.MethodPost, target, body)
	if err != nil {
		t.Error(err)
		return
	}
	req.ContentLength = n
	req.Header.Set("Content-Type", ct)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	code := -1 // the server closed the connection while the client was still sending
	if err == nil {
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		code = resp.StatusCode
		if code == http.StatusServiceUnavailable && strings.Contains(string(page), "réessayez dans quelques instants") {
			f.mu.Lock()
			f.busyMessage = true
			f.mu.Unlock()
		}
	}
	f.mu.Lock()
	f.statuses[who][code]++
	f.mu.Unlock()
}

// check checks the anonymous uploads were all refused, the signed-in ones saved or asked
// to retry with the French message, and returns how many were saved.
func (f *uploadFlood) check(t *testing.T) int {
	t.Helper()
	statuses, busyMessage := f.statuses, f.busyMessage
	for code, n := range statuses["anonyme"] {
		if code != http.StatusUnauthorized && code != -1 {
			t.Errorf("%d envois anonymes ont reçu %d", n, code)
		}
	}
	saved := statuses["connecté"][http.StatusSeeOther]
	for code, n := range statuses["connecté"] {
		if code != http.StatusSeeOther && code != http.StatusServiceUnavailable {
			t.Errorf("%d envois connectés ont reçu %d", n, code)
		}
	}
	if saved == 0 {
		t.Error("aucun envoi connecté n'a été enregistré")
	}
	if statuses["connecté"][http.StatusServiceUnavailable] > 0 && !busyMessage {
		t.Error("un 503 sans le message français")
	}
	return saved
}

// reunionID is the id at the end of a meeting's path.
func reunionID(t *testing.T, path string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(path, "/reunions/"), "%d", &id); err != nil {
		t.Fatalf("réunion %q : %v", path, err)
	}
	return id
}

// TestChunkedFormTooLarge: a 2 MB form sent without a length on an ordinary route is a 413,
// not a CSRF refusal (the size is checked before the token).
func TestChunkedFormTooLarge(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newGovFixture(t, s)
		ia77 := fx.clients["ia77"]
		form := "_csrf=" + url.QueryEscape(ia77.token()) + "&titre=" + strings.Repeat("a", 2<<20)
		for _, path := range []string{"/reunions", "/connexion", "/mon-compte/jetons"} {
			req := httptest.NewRequest(http.MethodPost, path, io.MultiReader(strings.NewReader(form)))
			req.ContentLength = -1
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if rec := ia77.do(req); rec.Code != http.StatusRequestEntityTooLarge {
				t.Errorf("%s, formulaire de 2 Mo sans longueur : %d, attendu 413", path, rec.Code)
			}
		}
	})
}

// TestUploadSlotsFull: with every slot taken by an upload still arriving, the next one waits,
// then gets a 503 with a French message and Retry-After; once the first one ends, uploads
// are saved again.
func TestUploadSlotsFull(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{UploadSlots: 1, UploadWait: 200 * time.Millisecond})
		h, ia77 := w.h, w.clients["ia77"]
		r77 := createReunion(t, ia77, reunionForm(w.copilotage(t, "77").ID, "2031-03-12"))
		token := ia77.token()
		session := "pilotage_session=" + ia77.jar["pilotage_session"]

		// The first upload takes the slot and sends its body slowly.
		slow, feed := io.Pipe()
		firstBody, _, firstType := streamedPDF(t, url.Values{"_csrf": {token}}, 1000)
		first := make(chan int)
		go func() {
			req := httptest.NewRequest(http.MethodPost, r77+"/documents", slow)
			req.Header.Set("Content-Type", firstType)
			req.Header.Set("Cookie", session)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			first <- rec.Code
		}()
		go func() { _, _ = io.CopyN(feed, firstBody, 10) }() // a few bytes, then nothing for a while
		time.Sleep(100 * time.Millisecond)

		body, n, ct := streamedPDF(t, url.Values{"_csrf": {token}}, 1000)
		req := httptest.NewRequest(http.MethodPost, r77+"/documents", body)
		req.ContentLength = n
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Cookie", session)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
			!strings.Contains(rec.Body.String(), "réessayez dans quelques instants") {
			t.Errorf("envoi sans place : %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
		}
		feed.CloseWithError(io.ErrUnexpectedEOF) // the first upload ends (badly)
		if code := <-first; code != http.StatusBadRequest {
			t.Errorf("envoi interrompu : %d, attendu 400", code)
		}
		if rec := ia77.upload(r77+"/documents", "ok.pdf", samplePDF("ok")); rec.Code != http.StatusSeeOther {
			t.Errorf("envoi après libération de la place : %d", rec.Code)
		}
	})
}
