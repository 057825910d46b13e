package app

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The registrations of a session (issue 13): the list of the registered and of the waiting
// list with the registration form, the cancellations, the RGPD erasure. The capacity, the
// waiting list and who registers are the data layer's (models/formation_inscription*.go).

var formationsCrumbIns = crumb{Label: "Formations", Href: "/formations"}

// inscriptionForm is the registration form.
type inscriptionForm struct {
	Kind     string `form:"kind"`
	Nom      string `form:"nom"`
	Fonction string `form:"fonction"`
	Email    string `form:"email"`
	UAI      string `form:"uai"`
	Commune  string `form:"commune"`
	Effectif string `form:"effectif"`
}

func (f inscriptionForm) input() models.InscriptionInput {
	return models.InscriptionInput{Kind: f.Kind, Nom: f.Nom, Fonction: f.Fonction, Email: f.Email, UAI: f.UAI,
		Commune: f.Commune, Effectif: f.Effectif}
}

// inscriptionsView is the page of a session's registrations.
type inscriptionsView struct {
	F                      models.FormationRow
	Base                   string // /formations/ID
	Inscrits, Attente      []models.InscriptionRow
	Annulees               []models.InscriptionRow
	Masked, CanRegister    bool
	CanErase, CanAttend    bool
	Done, Refused, Session string
	HasErrors              bool
	Purpose                string
	Kinds                  []models.Choice
	Kind                   string
	Nom, Fonction, Email   formField
	UAI, Commune, Effectif formField
}

// ActionsOn reports whether the table of rows has an Actions column: cancelling a
// registration before the session is held, erasing a participant's data at any time.
func (v inscriptionsView) ActionsOn(rows []models.InscriptionRow) bool {
	if !v.CanRegister {
		return false
	}
	if !v.F.Annulee() && v.F.Statut != models.FormationTenue {
		return true
	}
	return v.CanErase && slices.ContainsFunc(rows, func(r models.InscriptionRow) bool { return !r.IsEcole() && !r.Erased() })
}

var inscriptionDone = map[string]string{
	"inscription": "L'inscription a été enregistrée.",
	"annulation":  "L'inscription a été annulée ; la liste d'attente a été promue dans l'ordre si des places se sont libérées.",
	"effacement":  "Les données personnelles du participant ont été effacées.",
	"presences":   "La présence a été enregistrée.",
	"import":      "La liste importée a été enregistrée.",
}

func (s *Server) listFormationInscriptions(c echo.Context) error {
	return s.inscriptionsPage(c, http.StatusOK, inscriptionForm{Kind: models.InscriptionParticipant}, nil, "")
}

// inscriptionsPage renders the list with the form (typed values and errors kept).
func (s *Server) inscriptionsPage(c echo.Context, status int, f inscriptionForm, errs map[string]string, refused string) error {
	id, row, err := pathRecord(s, c, s.store.GetFormation)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	rows, err := s.store.ListInscriptions(ctx, actor, id)
	if err != nil {
		return err
	}
	v := inscriptionsView{F: row, Base: "/formations/" + strconv.FormatInt(id, 10), Masked: models.InscriptionsMasked(actor),
		CanErase: models.MayEraseParticipants(actor), Done: inscriptionDone[c.QueryParam("fait")], Refused: refused,
		Session: errs["session"], HasErrors: len(errs) > 0, Purpose: models.InscriptionPurpose, Kinds: models.InscriptionKinds, Kind: f.Kind}
	for _, r := range rows {
		switch r.Statut {
		case models.InscriptionInscrit:
			v.Inscrits = append(v.Inscrits, r)
		case models.InscriptionAttente:
			v.Attente = append(v.Attente, r)
		default:
			v.Annulees = append(v.Annulees, r)
		}
	}
	if v.CanRegister, err = s.store.CanRegister(ctx, actor, id); err != nil {
		return err
	}
	v.CanAttend = v.CanRegister && models.MayTakeAttendance(actor)
	field := func(name, label, hint, value string) formField {
		return formField{ID: "inscription-" + name, Name: name, Label: label, Hint: hint, Type: "text", Value: value, Error: errs[name]}
	}
	v.Nom = field("nom", "Nom et prénom", "Pour un participant", f.Nom)
	v.Fonction = field("fonction", "Fonction", "Facultatif (exemple : professeure des écoles)", f.Fonction)
	v.Email = field("email", "Adresse électronique", "Facultatif", f.Email)
	v.Email.Type = "email"
	v.UAI = field("uai", "École (UAI)", "L'école du participant (facultatif) ou l'école inscrite (exemple : 0940354Z)", f.UAI)
	v.Commune = field("commune", "Commune (code INSEE)", "Pour un agent municipal ou un élu (exemple : 93008)", f.Commune)
	v.Effectif = field("effectif", "Effectif", "Pour une école : le nombre d'enseignants inscrits (1 à 1000)", f.Effectif)
	crumbs := []crumb{home, formationsCrumbIns, {Label: row.Titre(), Href: v.Base}, {Label: "Inscriptions"}}
	return s.render(c, status, "formations/inscriptions", "Inscriptions — "+row.Titre(), crumbs, v)
}

const msgInscriptionRefused = "Rien n'a été enregistré : votre rôle ne permet pas d'inscrire à cette session."

func (s *Server) createFormationInscription(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	f, err := bindForm[inscriptionForm](c)
	if err != nil {
		return err
	}
	_, err = s.store.Register(c.Request().Context(), s.actor(c), id, f.input())
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.inscriptionsPage(c, status, f, errs, msg)
	}, Refused: msgInscriptionRefused, Redirect: "/formations/" + strconv.FormatInt(id, 10) + "/inscriptions?fait=inscription"}.saved(c, err)
}

// onInscription runs do on the registration :iid of the session :id and answers as a form.
func (s *Server) onInscription(c echo.Context, do func(ctx echo.Context, iid int64) error, done string) error {
	id, iid, err := pathIDs(c, "iid")
	if err != nil {
		return err
	}
	err = do(c, iid)
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.inscriptionsPage(c, status, inscriptionForm{Kind: models.InscriptionParticipant}, errs, msg)
	}, Refused: msgInscriptionRefused, Redirect: "/formations/" + strconv.FormatInt(id, 10) + "/inscriptions?fait=" + done}.saved(c, err)
}

func (s *Server) cancelFormationInscription(c echo.Context) error {
	return s.onInscription(c, func(c echo.Context, iid int64) error {
		return s.store.CancelInscription(c.Request().Context(), s.actor(c), iid)
	}, "annulation")
}

func (s *Server) eraseFormationInscription(c echo.Context) error {
	return s.onInscription(c, func(c echo.Context, iid int64) error {
		return s.store.EraseParticipant(c.Request().Context(), s.actor(c), iid)
	}, "effacement")
}
