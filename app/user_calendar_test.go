package app_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// httpsClient signs an account in on a server whose base URL is https (cookies named
// __Host-…); formClient reads its CSRF token from the pages.
func httpsClient(t *testing.T, h http.Handler, s *models.Store, email string) *formClient {
	t.Helper()
	c := newFormClient(t, h, "__Host-"+signIn(t, s, models.UserInput{Email: email}))
	if rec := c.get("/mon-compte"); rec.Code != http.StatusOK {
		t.Fatalf("%s sur https : %d", email, rec.Code)
	}
	return c
}

// agendaFeed creates (or renews) the client's personal feed from "Mon compte" and returns
// the path of its URL, checking that the URL is on the configured base.
func agendaFeed(t *testing.T, c *formClient, action, base string) string {
	t.Helper()
	rec := c.post(action, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s : %d", action, rec.Code)
	}
	link, _ := doc(t, rec).Find("#lien-agenda").Attr("value")
	path, ok := strings.CutPrefix(link, base+"/agenda/")
	if !ok || !strings.HasSuffix(path, ".ics") {
		t.Fatalf("lien d'agenda %q, attendu sur %s", link, base)
	}
	return "/agenda/" + path
}

// agendaEvents fetches a feed anonymously and returns its events by UID.
func agendaEvents(t *testing.T, h http.Handler, path string) map[string]*ics.VEvent {
	t.Helper()
	rec := get(t, h, path)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/calendar") {
		t.Fatalf("%s : %d %s", path, rec.Code, rec.Header().Get("Content-Type"))
	}
	cal, err := ics.ParseCalendar(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatalf("agenda illisible : %v", err)
	}
	out := map[string]*ics.VEvent{}
	for _, ev := range cal.Events() {
		out[ev.Id()] = ev
	}
	return out
}

func uids(events map[string]*ics.VEvent) []string {
	var out []string
	for id := range events {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// TestAgendaFeed: "Mon agenda" gives a secret feed URL on the configured https base; the
// feed lists the meetings of the account's current scope from one year back (an IA 93 sees
// no meeting of a 94 or 77 body), cancelled ones as CANCELLED with their SEQUENCE, and the
// account's own open actions with a due date as all-day events; renewing kills the old URL,
// revoking kills the URL, a disabled account's URL answers 404, as does any unknown token.
func TestAgendaFeed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		const base = "https://pilotage.example.fr"
		fx := newAgendaFixture(t, s)
		h := newAnonymousServer(t, s, app.Config{BaseURL: base + "/"})
		ia93, lecteur := httpsClient(t, h, s, "ia93@ac-creteil.fr"), httpsClient(t, h, s, "lecteur@ac-creteil.fr")

		// Unknown tokens, with or without the suffix: 404 for everyone.
		for _, path := range []string{"/agenda/inconnu.ics", "/agenda/inconnu", "/agenda/.ics"} {
			if rec := get(t, h, path); rec.Code != http.StatusNotFound {
				t.Errorf("%s anonyme : %d", path, rec.Code)
			}
			if rec := ia93.get(path); rec.Code != http.StatusNotFound {
				t.Errorf("%s connecté : %d", path, rec.Code)
			}
		}
		feed := createAgendaFeed(t, h, ia93, base)
		fx.checkEvents(t, agendaEvents(t, h, feed), base)
		// Another account's feed has its own scope and none of the IA 93's actions.
		other := uids(agendaEvents(t, h, agendaFeed(t, lecteur, "/mon-compte/agenda", base)))
		if slices.Contains(other, fx.actionUID()) || !slices.Contains(other, meetingUID(fx.r94)) || !slices.Contains(other, meetingUID(fx.r77)) {
			t.Errorf("agenda du lecteur : %v", other)
		}
		// The training sessions of the scope join the feed, as their own invitations.
		sys := models.SystemActor("test")
		s93 := inscriptionSession(t, s, sys, "93", "", "2026-2027", "05/01/2027", "10")
		s94 := inscriptionSession(t, s, sys, "94", "", "2026-2027", "06/01/2027", "10")
		sessionUID := func(f models.FormationRow) string { return "formation-" + idStr(f.ID) + "@pilotage-ent-1d" }
		if got := uids(agendaEvents(t, h, feed)); !slices.Contains(got, sessionUID(s93)) || slices.Contains(got, sessionUID(s94)) {
			t.Errorf("sessions dans l'agenda de l'IA 93 : %v", got)
		}

		// The scope is the account's current one: moved to the 94, the IA sees the 94 body.
		u, err := s.GetUser(ctx, fx.actors["ia93"].UserID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateUser(ctx, models.SystemActor("test"), u.ID, u.Version,
			models.UserInput{Email: u.Email, Nom: u.Nom, Role: models.RoleIA, Departement: "94"}); err != nil {
			t.Fatal(err)
		}
		moved := uids(agendaEvents(t, h, feed))
		if slices.Contains(moved, meetingUID(fx.r93)) || !slices.Contains(moved, meetingUID(fx.r94)) {
			t.Errorf("agenda après changement de département : %v", moved)
		}
		// The change of scope ended the account's sessions (not its feed): sign in again.
		ia93 = httpsClient(t, h, s, "ia93@ac-creteil.fr")
		renewAndRevokeAgenda(t, h, ia93, feed, base)

		// A disabled account's feed answers 404.
		last := agendaFeed(t, ia93, "/mon-compte/agenda", base)
		if rec := get(t, h, last); rec.Code != http.StatusOK {
			t.Fatalf("lien recréé : %d", rec.Code)
		}
		if err := s.SetUserActive(ctx, models.SystemActor("test"), u.ID, false); err != nil {
			t.Fatal(err)
		}
		if rec := get(t, h, last); rec.Code != http.StatusNotFound {
			t.Errorf("compte désactivé : %d", rec.Code)
		}
	})
}

// agendaFixture is the world of TestAgendaFeed: meetings of the académie (one cancelled,
// one archived), of the 93, the 94 and the 77 in 2031, and actions of the IA 93 (one open
// with a due date, one done, one of the 77).
type agendaFixture struct {
	decFixture
	onAcad, cancelled, r93, r94, r77 models.ReunionRow
	due                              models.ActionRow
}

func newAgendaFixture(t *testing.T, s *models.Store) agendaFixture {
	t.Helper()
	ctx := t.Context()
	fx := agendaFixture{decFixture: newDecFixture(t, s)}
	i93, i94 := fx.actors["ia93"], fx.actors["ia94"]
	b93, b94 := fx.copilotage(t, "93"), fx.copilotage(t, "94")
	meet := func(actor models.Actor, body int64, date string) models.ReunionRow {
		t.Helper()
		r, err := s.CreateReunion(ctx, actor, models.ReunionInput{InstanceID: body, Titre: "Réunion du " + date, Date: date, HeureDebut: "14:00", HeureFin: "16:00", Lieu: "Salle 1"})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	fx.onAcad, fx.cancelled = meet(fx.pilote, fx.acad.ID, "2031-03-11"), meet(fx.pilote, fx.acad.ID, "2031-03-12")
	if _, err := s.UpdateReunion(ctx, fx.pilote, fx.cancelled.ID, fx.cancelled.Version, models.ReunionInput{InstanceID: fx.acad.ID,
		Titre: fx.cancelled.Titre, Date: "2031-03-12", HeureDebut: "14:00", HeureFin: "16:00", Statut: models.ReunionAnnulee}); err != nil {
		t.Fatal(err)
	}
	fx.r93, fx.r94, fx.r77 = meet(i93, b93.ID, "2031-03-13"), meet(i94, b94.ID, "2031-03-14"), meet(fx.i77, fx.b77.ID, "2031-03-15")
	archived := meet(fx.pilote, fx.acad.ID, "2031-03-16")
	if err := s.ArchiveReunion(ctx, fx.pilote, archived.ID); err != nil {
		t.Fatal(err)
	}
	owner := fx.responsable("ia93")
	fx.due = fx.action(t, fx.pilote, models.ActionInput{ReunionID: fx.onAcad.ID, Titre: "Envoyer la convention", Echeance: "20/03/2031", Responsable: owner})
	fx.action(t, fx.pilote, models.ActionInput{ReunionID: fx.onAcad.ID, Titre: "Faite", Echeance: "20/03/2031", Responsable: owner, Statut: models.ActionFaite})
	fx.action(t, fx.i77, models.ActionInput{ReunionID: fx.r77.ID, Titre: "Du 77", Echeance: "20/03/2031", Responsable: owner})
	return fx
}

// meetingUID is the UID of a meeting's event.
func meetingUID(r models.ReunionRow) string { return "reunion-" + idStr(r.ID) + "@pilotage-ent-1d" }

// actionUID is the UID of the open action's event.
func (fx agendaFixture) actionUID() string { return "action-" + idStr(fx.due.ID) + "@pilotage-ent-1d" }

// createAgendaFeed creates the feed of c's account from "Mon compte", which then shows it
// as active and never again, and returns its path.
func createAgendaFeed(t *testing.T, h http.Handler, c *formClient, base string) string {
	t.Helper()
	if doc(t, c.get("/mon-compte")).Find("#bouton-creer-agenda").Length() != 1 {
		t.Errorf("pas de bouton « Créer mon lien d'agenda »")
	}
	feed := agendaFeed(t, c, "/mon-compte/agenda", base)
	if rec := get(t, h, strings.TrimSuffix(feed, ".ics")); rec.Code != http.StatusNotFound {
		t.Errorf("jeton sans .ics : %d", rec.Code)
	}
	page := doc(t, c.get("/mon-compte"))
	if page.Find("#agenda-actif").Length() != 1 || page.Find("#lien-agenda").Length() != 0 || strings.Contains(page.Text(), strings.TrimPrefix(feed, "/agenda/")) {
		t.Errorf("le lien doit être montré une seule fois, puis « actif »")
	}
	return feed
}

// checkEvents checks the IA 93's feed: the meetings of their scope (the cancelled one as
// CANCELLED, SEQUENCE 1) and their open action as an all-day event.
func (fx agendaFixture) checkEvents(t *testing.T, events map[string]*ics.VEvent, base string) {
	t.Helper()
	actionUID := fx.actionUID()
	want := []string{actionUID, meetingUID(fx.onAcad), meetingUID(fx.cancelled), meetingUID(fx.r93)}
	slices.Sort(want)
	if got := uids(events); !slices.Equal(got, want) {
		t.Errorf("agenda de l'IA 93 : %v, attendu %v (ni 94, ni 77, ni archivée, ni 2012)", got, want)
	}
	for uid, ev := range events {
		if _, err := time.Parse("20060102T150405Z", ev.GetProperty(ics.ComponentPropertyDtstamp).Value); err != nil {
			t.Errorf("%s DTSTAMP : %v", uid, err)
		}
	}
	if ev := events[meetingUID(fx.cancelled)]; ev != nil {
		if v := ev.GetProperty(ics.ComponentPropertyStatus).Value; v != "CANCELLED" {
			t.Errorf("STATUS %q", v)
		}
		if v := ev.GetProperty(ics.ComponentPropertySequence).Value; v != "1" {
			t.Errorf("SEQUENCE %q", v)
		}
	}
	if ev := events[meetingUID(fx.onAcad)]; ev != nil {
		p := ev.GetProperty(ics.ComponentPropertyDtStart)
		if p.ICalParameters["TZID"][0] != "Europe/Paris" || p.Value != "20310311T140000" {
			t.Errorf("DTSTART %v %q", p.ICalParameters, p.Value)
		}
		if v := ev.GetProperty(ics.ComponentPropertyStatus).Value; v != "CONFIRMED" {
			t.Errorf("STATUS %q", v)
		}
		if v := ev.GetProperty(ics.ComponentPropertySequence).Value; v != "0" {
			t.Errorf("SEQUENCE %q", v)
		}
	}
	if ev := events[actionUID]; ev != nil {
		p := ev.GetProperty(ics.ComponentPropertyDtStart)
		if p.ICalParameters["VALUE"][0] != "DATE" || p.Value != "20310320" {
			t.Errorf("échéance DTSTART %v %q", p.ICalParameters, p.Value)
		}
		if v := ev.GetProperty(ics.ComponentPropertySummary).Value; v != "Échéance : Envoyer la convention" {
			t.Errorf("SUMMARY %q", v)
		}
		if v := ev.GetProperty(ics.ComponentPropertyUrl).Value; v != base+"/actions/"+idStr(fx.due.ID) {
			t.Errorf("URL %q", v)
		}
	}
}

// renewAndRevokeAgenda renews c's feed: the old URL stops, the new one works; then revokes
// it: it stops (revoking without a feed is harmless).
func renewAndRevokeAgenda(t *testing.T, h http.Handler, c *formClient, feed, base string) {
	t.Helper()
	renewed := agendaFeed(t, c, "/mon-compte/agenda/renouveler", base)
	if renewed == feed {
		t.Fatal("lien renouvelé identique")
	}
	if rec := get(t, h, feed); rec.Code != http.StatusNotFound {
		t.Errorf("ancien lien après renouvellement : %d", rec.Code)
	}
	if rec := get(t, h, renewed); rec.Code != http.StatusOK {
		t.Errorf("nouveau lien : %d", rec.Code)
	}
	rec := c.post("/mon-compte/agenda/revoquer", nil)
	if rec.Code != http.StatusOK || doc(t, rec).Find("#bouton-creer-agenda").Length() != 1 {
		t.Errorf("révocation : %d", rec.Code)
	}
	if rec := get(t, h, renewed); rec.Code != http.StatusNotFound {
		t.Errorf("lien révoqué : %d", rec.Code)
	}
	if rec := c.post("/mon-compte/agenda/revoquer", url.Values{}); rec.Code != http.StatusOK {
		t.Errorf("révoquer sans lien : %d", rec.Code)
	}
}
