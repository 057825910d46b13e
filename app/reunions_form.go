package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// reunionForm is the meeting form (creation and edition); the body is chosen at creation only.
type reunionForm struct {
	Instance    string `form:"instance"`
	Titre       string `form:"titre"`
	Date        string `form:"date"`
	HeureDebut  string `form:"heure_debut"`
	HeureFin    string `form:"heure_fin"`
	Lieu        string `form:"lieu"`
	Visio       string `form:"visio"`
	Statut      string `form:"statut"`
	CompteRendu string `form:"compte_rendu"`
	Version     string `form:"version"`
}

func (f reunionForm) input() models.ReunionInput {
	id, _ := strconv.ParseInt(f.Instance, 10, 64)
	return models.ReunionInput{InstanceID: id, Titre: f.Titre, Date: f.Date, HeureDebut: f.HeureDebut, HeureFin: f.HeureFin,
		Lieu: f.Lieu, Visio: f.Visio, Statut: f.Statut, CompteRendu: f.CompteRendu}
}

func reunionFormOf(r models.ReunionRow) reunionForm {
	z := fr.Paris()
	return reunionForm{Instance: strconv.FormatInt(r.InstanceID, 10), Titre: r.Titre, Date: r.Debut.In(z).Format("02/01/2006"),
		HeureDebut: r.Debut.In(z).Format("15:04"), HeureFin: r.Fin.In(z).Format("15:04"), Lieu: r.Lieu, Visio: r.Visio,
		Statut: r.Statut, CompteRendu: r.CompteRendu, Version: strconv.Itoa(r.Version)}
}

// reunionFormView is the meeting form page.
type reunionFormView struct {
	Heading, Action, Cancel, Submit string
	Closed, Refused, Version        string
	HasErrors                       bool
	Instance, Statut                selectField
	Titre, Date, HeureDebut         formField
	HeureFin, Lieu, Visio           formField
	CompteRendu                     formField
	Warnings                        []string
	Conflict                        *formConflict
}

func (s *Server) reunionFormPage(c echo.Context, status int, r *models.ReunionRow, f reunionForm, errs map[string]string, refused string, conflict *formConflict) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	v := reunionFormView{Heading: "Nouvelle réunion", Action: "/reunions", Cancel: "/reunions", Submit: "Planifier la réunion",
		Refused: refused, Version: f.Version, HasErrors: len(errs) > 0, Conflict: conflict}
	crumbs := []crumb{home, reunionsCrumb, {Label: "Nouvelle réunion"}}
	bodies, err := s.store.InstanceChoices(ctx, actor)
	if err != nil {
		return err
	}
	forbidden := false
	switch {
	case r == nil && !models.CanCreateInstances(actor):
		v.Closed, forbidden = "Votre rôle ("+actor.Role.Label()+") ne permet de planifier les réunions d'aucune instance.", true
	case r == nil && len(bodies) == 0:
		v.Closed = msgNoWritableBody
	}
	if r != nil {
		href := "/reunions/" + strconv.FormatInt(r.ID, 10)
		v.Heading, v.Action, v.Cancel, v.Submit = "Modifier la réunion "+r.Label(), href, href, "Enregistrer"
		crumbs = []crumb{home, reunionsCrumb, {Label: r.Label(), Href: href}, {Label: "Modifier"}}
		if !models.CanWriteReunion(actor, *r) {
			v.Closed, forbidden = "Vous pouvez consulter cette réunion mais votre rôle ne permet pas de la modifier.", true
		}
	}
	if in := f.input(); in.Date != "" {
		if rr, err := models.CheckReunionStart(in); err == nil {
			if v.Warnings, err = s.store.MeetingWarnings(ctx, rr); err != nil {
				return err
			}
		}
	}
	field := func(name, label, hint, typ, value string) formField {
		return formField{ID: "reunion-" + name, Name: name, Label: label, Hint: hint, Type: typ, Value: value, Error: errs[name]}
	}
	if r == nil {
		v.Instance = selectField{ID: "reunion-instance", Name: "instance", Label: "Instance", All: "Choisir une instance",
			Value: f.Instance, Choices: bodies, Error: errs["instance"]}
	}
	v.Titre = field("titre", "Titre", "Facultatif : le nom de l'instance et la date sinon", "text", f.Titre)
	v.Date = field("date", "Date", "Format attendu : JJ/MM/AAAA", "text", f.Date)
	v.HeureDebut = field("heure_debut", "Heure de début", "Heure de Paris, HH:MM", "time", f.HeureDebut)
	v.HeureFin = field("heure_fin", "Heure de fin", "Heure de Paris, HH:MM", "time", f.HeureFin)
	v.Lieu = field("lieu", "Lieu", "Facultatif", "text", f.Lieu)
	v.Visio = field("visio", "Lien de visioconférence", "Facultatif. Format attendu : https://…", "url", f.Visio)
	v.CompteRendu = field("compte_rendu", "Compte rendu", "Facultatif. Markdown accepté.", "", f.CompteRendu)
	v.Statut = selectField{ID: "reunion-statut", Name: "statut", Label: "Statut", All: "Planifiée (par défaut)", Value: f.Statut,
		Choices: models.ReunionStatuses, Error: errs["statut"]}
	return s.render(c, forbiddenStatus(status, forbidden), "reunions/form", v.Heading, crumbs, v)
}

func (s *Server) newReunion(c echo.Context) error {
	return s.reunionFormPage(c, http.StatusOK, nil, reunionForm{Instance: c.QueryParam("instance"), HeureDebut: "14:00", HeureFin: "16:00"}, nil, "", nil)
}

func (s *Server) createReunion(c echo.Context) error {
	f, err := bindForm[reunionForm](c)
	if err != nil {
		return err
	}
	r, err := s.store.CreateReunion(c.Request().Context(), s.actor(c), f.input())
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.reunionFormPage(c, status, nil, f, errs, msg, nil)
	}, Refused: msgReunionRefused, Redirect: "/reunions/" + strconv.FormatInt(r.ID, 10) + "?fait=creation"}.saved(c, err)
}

func (s *Server) editReunion(c echo.Context) error {
	_, r, err := pathRecord(s, c, s.store.GetReunion)
	if err != nil {
		return err
	}
	return s.reunionFormPage(c, http.StatusOK, &r, reunionFormOf(r), nil, "", nil)
}

// updateReunion saves an edit: 404 outside the scope, 403 refused, 409 stale, 422 invalid.
func (s *Server) updateReunion(c echo.Context) error {
	id, r, err := pathRecord(s, c, s.store.GetReunion)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	f, err := bindForm[reunionForm](c)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateReunion(ctx, actor, id, formVersion(f.Version), f.input())
	return updated(c, err, r, func(ce *models.ConflictError, current models.ReunionRow) error {
		cur := reunionFormOf(current)
		status := func(v string) string { return models.LabelOf(models.ReunionStatuses, v) }
		return s.reunionFormPage(c, http.StatusConflict, &current, cur, nil, "", newFormConflict(ce, []conflictRow{
			{Label: "Titre", Current: cur.Titre, Typed: f.Titre}, {Label: "Date", Current: cur.Date, Typed: f.Date},
			{Label: "Début", Current: cur.HeureDebut, Typed: f.HeureDebut}, {Label: "Fin", Current: cur.HeureFin, Typed: f.HeureFin},
			{Label: "Lieu", Current: cur.Lieu, Typed: f.Lieu}, {Label: "Visioconférence", Current: cur.Visio, Typed: f.Visio},
			{Label: "Statut", Current: status(cur.Statut), Typed: status(f.Statut)}, {Label: "Compte rendu", Current: cur.CompteRendu, Typed: f.CompteRendu}}))
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.reunionFormPage(c, status, &r, f, errs, msg, nil)
	}, Refused: msgReunionRefused, Redirect: "/reunions/" + strconv.FormatInt(id, 10) + "?fait=modification"})
}
