package app

import (
	"net/http"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Milestones (jalons) of the programme: the list with its filters, exports and API, one
// milestone's page, archiving. Late is derived by the data layer; who writes is the policy
// of models.EntityJalon, asked through Store.CanWrite.

var jalonsCrumb = crumb{Label: "Jalons", Href: "/jalons"}

// jalonQuery is the query string of the list, its exports and its API.
type jalonQuery struct {
	Niveau      string `query:"niveau" validate:"max=20"`
	Departement string `query:"departement" validate:"max=20"`
	Commune     string `query:"commune" validate:"max=100,validutf8"`
	Statut      string `query:"statut" validate:"max=20"`
	Retard      string `query:"retard" validate:"omitempty,oneof=1"`
	Du          string `query:"du" validate:"max=10"`
	Au          string `query:"au" validate:"max=10"`
	Q           string `query:"q" validate:"max=100,validutf8"`
	Paging
}

func (s *Server) jalonQuery(c echo.Context) (jalonQuery, models.JalonFilter, map[string]string) {
	var q jalonQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, func(k string) bool { return k == "" })
	add := func(field, msg string) {
		if errs == nil {
			errs = map[string]string{}
		}
		errs[field] = msg
	}
	f := models.JalonFilter{Niveau: q.Niveau, Departement: q.Departement, Statut: q.Statut, EnRetard: q.Retard == "1", Q: q.Q}
	f.Commune, errs = s.placeFilterCode(c, placeCommunes, "commune", q.Commune, errs)
	if q.Niveau != "" && models.LabelOf(models.JalonNiveaux, q.Niveau) == q.Niveau {
		add("niveau", "Niveau inconnu : choisissez dans la liste.")
	}
	if q.Statut != "" && models.LabelOf(models.JalonStatuts, q.Statut) == q.Statut {
		add("statut", "Statut inconnu : choisissez dans la liste.")
	}
	if q.Departement != "" && q.Departement != models.NiveauAcademie && !models.ValidDepartementCode(q.Departement) {
		add("departement", "Département inconnu : choisissez dans la liste.")
	}
	errs = dayRange(q.Du, q.Au, &f.Du, &f.Au, errs)
	return q, f, errs
}

// jalonsView is the list page.
type jalonsView struct {
	list[jalonQuery, models.JalonRow]
	Done      string
	Archived  int64
	CanCreate bool
}

func (s *Server) listJalons(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, errs := s.jalonQuery(c)
	v := jalonsView{CanCreate: models.CanCreate(actor, models.EntityJalon)}
	if c.QueryParam("fait") == "archivage" {
		v.Done = "Le jalon a été archivé : il n'apparaît plus dans la liste, la chronologie ni les exports."
		v.Archived, _ = strconv.ParseInt(c.QueryParam("archive"), 10, 64)
	}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-jalons", "Jalons du programme"
	v.Empty = emptyList{Text: "Aucun jalon pour l'instant.",
		Hint: "Les jalons marquent les étapes du programme : concertation, conventions, ouverture des sites pilotes, vagues de déploiement, bilans."}
	if v.CanCreate {
		v.Empty.Add, v.Empty.Verb = "/jalons/nouveau", "Ajouter un jalon"
	}
	deps, err := s.store.DepartementChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	if errs == nil {
		if v.Page, err = s.store.ListJalons(ctx, actor.Scope, f, q.request()); err != nil {
			return err
		}
	}
	v.Form = newFilterForm("/jalons", "Mots du titre du jalon", q.Q, q.Paging, errs)
	v.Form.sel("niveau", "Niveau", "Tous les niveaux", q.Niveau, models.JalonNiveaux, errs)
	v.Form.sel("departement", "Département", "Tous", q.Departement,
		append([]models.Choice{{Value: models.NiveauAcademie, Label: "Académie (jalons communs)"}}, deps...), errs)
	v.Form.sel("statut", "Statut", "Tous les statuts", q.Statut, models.JalonStatuts, errs)
	v.Form.sel("retard", "Retard", "Tous les jalons", q.Retard, []models.Choice{{Value: "1", Label: "En retard seulement"}}, errs)
	v.Form.Inputs = []formField{
		placeFilter(placeCommunes, "commune", "Commune", "Son nom ou son code INSEE (exemple : Bobigny)", q.Commune, errs["commune"]),
		{ID: "filtre-du", Name: "du", Label: "Prévus du", Hint: "JJ/MM/AAAA", Type: "text", Value: q.Du, Error: errs["du"]},
		{ID: "filtre-au", Name: "au", Label: "au", Hint: "JJ/MM/AAAA", Type: "text", Value: q.Au, Error: errs["au"]},
	}
	u := newListURL(c, "/jalons")
	v.Columns = u.columns("", "", column{Label: "Date prévue"}, column{Label: "Jalon"}, column{Label: "Territoire"},
		column{Label: "Statut"}, column{Label: "Date effective"}, column{Label: "Liens"})
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "jalons/list", "Jalons", []crumb{home, jalonsCrumb}, v, errs != nil)
}

func (s *Server) exportJalons(c echo.Context) error {
	_, f, errs := s.jalonQuery(c)
	return exportScoped(s, c, "jalons", exports.JalonsTable, f, errs, s.store.EachJalon, exports.JalonValues)
}

// jalonJSON is a milestone in the API.
type jalonJSON struct {
	ID            int64   `json:"id"`
	Titre         string  `json:"titre"`
	Description   string  `json:"description"`
	Niveau        string  `json:"niveau"`
	Departement   *string `json:"departement"`
	CodeINSEE     *string `json:"code_insee"`
	DatePrevue    string  `json:"date_prevue"`
	DateEffective *string `json:"date_effective"`
	Statut        string  `json:"statut"`
	EnRetard      bool    `json:"en_retard"`
	ConventionID  *int64  `json:"convention_id"`
	VagueID       *int64  `json:"vague_id"`
	DecisionID    *int64  `json:"decision_id"`
	Version       int     `json:"version"`
}

func toJalonJSON(j models.JalonRow) jalonJSON {
	out := jalonJSON{ID: j.ID, Titre: j.Titre, Description: j.Description, Niveau: j.Niveau, Departement: j.DepartementCode,
		CodeINSEE: j.CodeINSEE, DatePrevue: j.DatePrevue.UTC().Format(time.DateOnly), Statut: j.Statut, EnRetard: j.EnRetard,
		ConventionID: j.ConventionID, VagueID: j.VagueID, DecisionID: j.DecisionID, Version: j.Version}
	if j.DateEffective != nil {
		d := j.DateEffective.UTC().Format(time.DateOnly)
		out.DateEffective = &d
	}
	return out
}

func (s *Server) apiJalons(c echo.Context) error {
	q, f, errs := s.jalonQuery(c)
	return apiScoped(s, c, f, errs, q.request(), s.store.ListJalons, toJalonJSON)
}

// jalonView is one milestone's page.
type jalonView struct {
	Jalon    models.JalonRow
	CanWrite bool
	Done     string
	History  []models.AuditEvent
}

var jalonDone = map[string]string{
	"creation":     "Le jalon a été enregistré.",
	"modification": "Les modifications ont été enregistrées.",
	"restauration": "Le jalon a été restauré : il apparaît de nouveau dans la liste et la chronologie.",
}

func (s *Server) showJalon(c echo.Context) error {
	id, j, err := pathRecord(s, c, s.store.GetJalon)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	v := jalonView{Jalon: j, Done: jalonDone[c.QueryParam("fait")]}
	if v.CanWrite, err = s.store.CanWrite(ctx, actor, models.EntityJalon, id); err != nil {
		return err
	}
	if v.History, err = s.history(c, "jalon", strconv.FormatInt(id, 10)); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "jalons/show", j.Titre, []crumb{home, jalonsCrumb, {Label: j.Titre}}, v)
}

func (s *Server) archiveJalon(c echo.Context) error {
	return s.onRecord(c, s.store.ArchiveJalon, func(id string) string { return "/jalons?fait=archivage&archive=" + id })
}

func (s *Server) restoreJalon(c echo.Context) error {
	return s.onRecord(c, s.store.RestoreJalon, func(id string) string { return "/jalons/" + id + "?fait=restauration" })
}
