package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The attendance of a session (one form for the whole list), its printable sign-in sheet
// and the attestations of presence.

// presenceRow is one registered row of the attendance form, with what was typed.
type presenceRow struct {
	models.InscriptionRow
	Mark, Count      string
	MarkErr, CountEr string
}

type presencesView struct {
	F         models.FormationRow
	Base      string
	Rows      []presenceRow
	Choices   []models.Choice
	Session   string
	HasErrors bool
	Tenue     bool
	AllMarked bool // every row is marked: no "all present" prefill to offer
}

// sessionRows reads the session :id and its registrations for the actor.
func (s *Server) sessionRows(c echo.Context) (int64, models.FormationRow, []models.InscriptionRow, error) {
	id, row, err := pathRecord(s, c, s.store.GetFormation)
	if err != nil {
		return id, row, nil, err
	}
	rows, err := s.store.ListInscriptions(c.Request().Context(), s.actor(c), id)
	return id, row, rows, err
}

// showPresences renders the attendance form; ?tous=present prefills the rows not marked
// yet as present (an école's headcount present equal to its registered), for the trainer
// to correct the exceptions before saving: nothing is saved by the prefill itself.
func (s *Server) showPresences(c echo.Context) error {
	if c.QueryParam("tous") != models.PresencePresent {
		return s.presencesPage(c, http.StatusOK, nil, nil)
	}
	_, _, rows, err := s.sessionRows(c)
	if err != nil {
		return err
	}
	typed := map[int64]models.Attendance{}
	for _, r := range rows {
		if r.Statut != models.InscriptionInscrit || r.Presence != "" {
			continue
		}
		a := models.Attendance{Presence: models.PresencePresent}
		if r.IsEcole() {
			a.Presents = strconv.Itoa(r.Effectif)
		}
		typed[r.ID] = a
	}
	return s.presencesPage(c, http.StatusOK, typed, nil)
}

// presencesPage renders the attendance form; typed holds the values sent back (nil: stored).
func (s *Server) presencesPage(c echo.Context, status int, typed map[int64]models.Attendance, errs map[string]string) error {
	id, row, rows, err := s.sessionRows(c)
	if err != nil {
		return err
	}
	ok, err := s.store.CanRegister(c.Request().Context(), s.actor(c), id)
	if err != nil {
		return err
	}
	if !ok || !models.MayTakeAttendance(s.actor(c)) {
		return models.ErrForbidden
	}
	v := presencesView{F: row, Base: "/formations/" + strconv.FormatInt(id, 10), Choices: models.FormationPresences,
		Session: errs["session"], HasErrors: len(errs) > 0, Tenue: row.Statut == models.FormationTenue, AllMarked: true}
	for _, r := range rows {
		if r.Statut != models.InscriptionInscrit {
			continue
		}
		key := strconv.FormatInt(r.ID, 10)
		p := presenceRow{InscriptionRow: r, Mark: r.Presence, Count: r.PresentsValue(),
			MarkErr: errs["presence-"+key], CountEr: errs["presents-"+key]}
		if m, ok := typed[r.ID]; ok {
			p.Mark, p.Count = m.Presence, m.Presents
		}
		v.Rows = append(v.Rows, p)
		v.AllMarked = v.AllMarked && r.Presence != ""
	}
	crumbs := []crumb{home, formationsCrumbIns, {Label: row.Titre(), Href: v.Base}, {Label: "Présence"}}
	return s.render(c, status, "formations/presences", "Présence — "+row.Titre(), crumbs, v)
}

func (s *Server) savePresences(c echo.Context) error {
	id, _, rows, err := s.sessionRows(c)
	if err != nil {
		return err
	}
	marks := map[int64]models.Attendance{}
	for _, r := range rows {
		if r.Statut != models.InscriptionInscrit {
			continue
		}
		key := strconv.FormatInt(r.ID, 10)
		marks[r.ID] = models.Attendance{Presence: c.FormValue("presence-" + key), Presents: c.FormValue("presents-" + key)}
	}
	err = s.store.SetAttendance(c.Request().Context(), s.actor(c), id, marks, c.FormValue("tenue") == "1")
	if errs, invalid := formErrors(err); invalid {
		return s.presencesPage(c, http.StatusUnprocessableEntity, marks, errs)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/formations/"+strconv.FormatInt(id, 10)+"/inscriptions?fait=presences")
}

// emargementLine is one line of the sign-in sheet: a participant, or one of the blank
// lines of an école's headcount.
type emargementLine struct {
	Nom, Fonction, Ecole string
	Blank                bool
}

type emargementView struct {
	F     models.FormationRow
	Base  string
	Lines []emargementLine
}

func (s *Server) showEmargement(c echo.Context) error {
	id, row, rows, err := s.sessionRows(c)
	if err != nil {
		return err
	}
	v := emargementView{F: row, Base: "/formations/" + strconv.FormatInt(id, 10)}
	for _, r := range rows {
		if r.Statut != models.InscriptionInscrit {
			continue
		}
		if !r.IsEcole() {
			v.Lines = append(v.Lines, emargementLine{Nom: r.Label(), Fonction: r.Fonction, Ecole: r.EcoleNom + r.CommuneNom})
			continue
		}
		for range r.Effectif {
			v.Lines = append(v.Lines, emargementLine{Ecole: r.EcoleNom, Blank: true})
		}
	}
	crumbs := []crumb{home, formationsCrumbIns, {Label: row.Titre(), Href: v.Base}, {Label: "Feuille d'émargement"}}
	return s.render(c, http.StatusOK, "formations/emargement", "Feuille d'émargement — "+row.Titre(), crumbs, v)
}

type attestationView struct {
	F models.FormationRow
	I models.InscriptionRow
}

// showAttestation is the printable attestation of a participant marked present; any other
// registration (or a masked reader) finds none.
func (s *Server) showAttestation(c echo.Context) error {
	id, row, err := pathRecord(s, c, s.store.GetFormation)
	if err != nil {
		return err
	}
	iid, err := pathID(c, "iid")
	if err != nil {
		return err
	}
	r, err := s.store.GetInscription(c.Request().Context(), s.actor(c), id, iid)
	if err != nil {
		return err
	}
	if r.IsEcole() || r.Masked || r.Erased() || r.Statut != models.InscriptionInscrit || r.Presence != "present" {
		return models.ErrNotFound
	}
	base := "/formations/" + strconv.FormatInt(id, 10)
	crumbs := []crumb{home, formationsCrumbIns, {Label: row.Titre(), Href: base}, {Label: "Attestation de présence"}}
	return s.render(c, http.StatusOK, "formations/attestation", "Attestation de présence — "+r.Nom, crumbs, attestationView{F: row, I: r})
}
