package app_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// serverListeningOn builds the real server with cfg as given, its listen address included
// (newAnonymousServer puts every test server on 127.0.0.1).
func serverListeningOn(t *testing.T, s *models.Store, cfg app.Config) http.Handler {
	t.Helper()
	v := app.SharedViews(t)
	cfg.LoginRate = 1000
	return app.New(cfg, s, v, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler()
}

// spoofed sends req as someone who chose its Host and forwarded headers would: none of them
// may end up in a link.
func spoofed(fc *formClient, req *http.Request) *httptest.ResponseRecorder {
	fc.t.Helper()
	req.Host = "evil.example"
	req.Header.Set("X-Forwarded-Proto", "https")
	req.Header.Set("X-Forwarded-Host", "evil.example")
	req.Header.Set("Forwarded", "host=evil.example;proto=https")
	return fc.do(req)
}

func spoofedPost(fc *formClient, path string) *httptest.ResponseRecorder {
	fc.t.Helper()
	form := url.Values{"_csrf": {fc.token()}}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return spoofed(fc, req)
}

func spoofedGet(fc *formClient, path string) *httptest.ResponseRecorder {
	fc.t.Helper()
	return spoofed(fc, httptest.NewRequest(http.MethodGet, path, nil))
}

// linksWorld is an administrator, an account to send a link to, and a body with a meeting.
type linksWorld struct {
	admin    *formClient
	userPath string
	body     models.InstanceRow
	meeting  models.ReunionRow
}

func newLinksWorld(t *testing.T, s *models.Store, h http.Handler, cfg app.Config) linksWorld {
	t.Helper()
	ctx, sys := t.Context(), models.SystemActor("test")
	session := signIn(t, s, models.UserInput{Email: "admin@ac-creteil.fr", Nom: "Admin", Role: models.RoleAdmin})
	if strings.HasPrefix(cfg.BaseURL, "https://") {
		session = "__Host-" + session // the cookie's name over HTTPS
	}
	w := linksWorld{admin: newFormClient(t, h, session)}
	u, err := s.FindUserByEmail(ctx, "ia93@ac-creteil.fr")
	if err != nil {
		if u, err = s.CreateUser(ctx, sys, models.UserInput{Email: "ia93@ac-creteil.fr", Nom: "IA 93", Role: models.RoleIA, Departement: "93"}); err != nil {
			t.Fatal(err)
		}
	}
	w.userPath = "/admin/utilisateurs/" + strconv.FormatInt(u.ID, 10)
	if w.body, err = s.CreateInstance(ctx, sys, models.InstanceInput{Nom: "COPIL académique", Kind: models.InstanceCopil}); err != nil {
		t.Fatal(err)
	}
	if w.meeting, err = s.CreateReunion(ctx, sys, models.ReunionInput{InstanceID: w.body.ID, Date: "15/03/2031", HeureDebut: "14:00", HeureFin: "16:00"}); err != nil {
		t.Fatal(err)
	}
	return w
}

// TestLinksIgnoreUntrustedHost: with "Host: evil.example" and "X-Forwarded-Proto: https"
// (and X-Forwarded-Host, Forwarded), the one-time password link, the personal and the
// body's calendar feeds, and the pages the calendars' events point to are all built on
// PILOTAGE_BASE_URL, or, without it, on the loopback address the server listens on.
func TestLinksIgnoreUntrustedHost(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		for _, c := range []struct {
			name string
			cfg  app.Config
			base string
		}{
			{"adresse publique", app.Config{Addr: "0.0.0.0:8080", BaseURL: "https://pilotage.ac-creteil.fr/"}, "https://pilotage.ac-creteil.fr"},
			{"boucle locale", app.Config{Addr: "127.0.0.1:8080"}, "http://127.0.0.1:8080"},
			{"boucle locale IPv6", app.Config{Addr: "[::1]:8081"}, "http://[::1]:8081"},
			{"localhost", app.Config{Addr: "localhost:8082"}, "http://localhost:8082"},
		} {
			h := serverListeningOn(t, s, c.cfg)
			w := newLinksWorld(t, s, h, c.cfg)
			check := func(what string, rec *httptest.ResponseRecorder, want string) {
				t.Helper()
				body := strings.ReplaceAll(rec.Body.String(), "\r\n ", "") // calendars fold long lines
				if rec.Code != http.StatusOK || strings.Contains(body, "evil.example") || !strings.Contains(body, want) {
					t.Errorf("%s, %s : statut %d, %q absent ou evil.example présent", c.name, what, rec.Code, want)
				}
			}

			rec := spoofedPost(w.admin, w.userPath+"/lien")
			check("lien de mot de passe", rec, c.base+"/mot-de-passe/mdp_")
			if link := strings.TrimSpace(doc(t, rec).Find("#lien-mot-de-passe").Text()); !strings.HasPrefix(link, c.base+"/mot-de-passe/mdp_") {
				t.Errorf("%s : lien de mot de passe %q", c.name, link)
			}

			rec = spoofedPost(w.admin, "/mon-compte/agenda/renouveler")
			check("agenda personnel", rec, c.base+"/agenda/")
			feed, _ := doc(t, rec).Find("#lien-agenda").Attr("value")
			path, ok := strings.CutPrefix(feed, c.base)
			if !ok {
				t.Fatalf("%s : lien d'agenda %q", c.name, feed)
			}
			check("flux de l'agenda personnel", spoofedGet(newFormClient(t, h, ""), path), c.base+"/reunions/"+idStr(w.meeting.ID))

			rec = spoofedGet(w.admin, instancePath(w.body.ID, ""))
			check("page de l'instance", rec, c.base+"/instances/")
			feed = strings.TrimSpace(doc(t, rec).Find("#lien-calendrier").Text())
			if path, ok = strings.CutPrefix(feed, c.base); !ok {
				t.Fatalf("%s : lien du calendrier de l'instance %q", c.name, feed)
			}
			check("flux de l'instance", spoofedGet(newFormClient(t, h, ""), path), c.base+"/reunions/"+idStr(w.meeting.ID))
			check("réunion .ics", spoofedGet(w.admin, "/reunions/"+idStr(w.meeting.ID)+".ics"), c.base+"/reunions/"+idStr(w.meeting.ID))
		}
	})
}

// TestLinksRefusedWithoutPublicAddress: without PILOTAGE_BASE_URL, a server listening
// beyond the loopback (all interfaces, a network address) cannot know its address: it
// makes no one-time link (409, the French message on the page, no link recorded, the
// personal feed untouched), shows the message instead of the body's feed URL, and leaves the
// page address out of calendar events rather than take it from the request.
func TestLinksRefusedWithoutPublicAddress(t *testing.T) {
	const msg = "Configurez PILOTAGE_BASE_URL pour créer des liens"
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		for _, addr := range []string{"0.0.0.0:8080", ":8080", "192.0.2.10:8080", "[::]:8080"} {
			cfg := app.Config{Addr: addr}
			h := serverListeningOn(t, s, cfg)
			w := newLinksWorld(t, s, h, cfg)
			id := strings.TrimPrefix(w.userPath, "/admin/utilisateurs/")
			before, err := s.History(t.Context(), models.SystemActor("test"), "utilisateur", id)
			if err != nil {
				t.Fatal(err)
			}

			rec := spoofedPost(w.admin, w.userPath+"/lien")
			d := doc(t, rec)
			if rec.Code != http.StatusConflict || !strings.Contains(d.Find("#refus").Text(), msg) || d.Find("#lien-mot-de-passe").Length() != 0 {
				t.Errorf("%s, lien de mot de passe : statut %d, refus %q", addr, rec.Code, d.Find("#refus").Text())
			}
			if after, _ := s.History(t.Context(), models.SystemActor("test"), "utilisateur", id); len(after) != len(before) {
				t.Errorf("%s : un lien a été enregistré (%d événements, %d avant)", addr, len(after), len(before))
			}

			rec = spoofedPost(w.admin, "/mon-compte/agenda")
			d = doc(t, rec)
			if rec.Code != http.StatusConflict || !strings.Contains(d.Find("#refus").Text(), msg) || d.Find("#lien-agenda").Length() != 0 ||
				d.Find("#agenda-actif").Length() != 0 {
				t.Errorf("%s, agenda personnel : statut %d, refus %q", addr, rec.Code, d.Find("#refus").Text())
			}

			rec = spoofedGet(w.admin, instancePath(w.body.ID, ""))
			d = doc(t, rec)
			if d.Find("#lien-calendrier").Length() != 0 || !strings.Contains(d.Find("#lien-calendrier-refuse").Text(), msg) {
				t.Errorf("%s, page de l'instance : lien %q, message %q", addr, d.Find("#lien-calendrier").Text(), d.Find("#lien-calendrier-refuse").Text())
			}
			rec = spoofedGet(w.admin, "/reunions/"+idStr(w.meeting.ID)+".ics")
			if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "evil.example") || strings.Contains(rec.Body.String(), "/reunions/"+idStr(w.meeting.ID)) {
				t.Errorf("%s, réunion .ics : statut %d, adresse de la page prise de la requête", addr, rec.Code)
			}
		}
	})
}
