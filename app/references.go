package app

import (
	"net/http"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Baselines of the plan (références): the list with the "Geler le plan" form, one
// baseline's page with its comparison with the current plan or the actuals, and the API.

var referencesCrumb = crumb{Label: "Références du plan", Href: "/references"}

// referencesView is the list page with the freeze form.
type referencesView struct {
	Page      models.Page[models.ReferenceRow]
	Pager     pager
	CanFreeze bool
	Territory string // what a baseline frozen by the user holds: "l'académie", "le département 93"
	Nom       formField
	Notes     formField
	HasErrors bool
	Refused   string
}

func (s *Server) referencesPage(c echo.Context, status int, nom, notes string, errs map[string]string, refused string) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	p, err := s.pageRequest(c)
	if err != nil {
		return err
	}
	v := referencesView{CanFreeze: models.CanFreezeReference(actor), HasErrors: len(errs) > 0, Refused: refused}
	if v.Page, err = s.store.ListReferences(ctx, actor.Scope, p); err != nil {
		return err
	}
	v.Pager = newPager(newListURL(c, "/references"), v.Page)
	v.Territory = "de toute l'académie"
	if dep := actor.Scope.SoleDepartement(); dep != "" {
		v.Territory = "du département " + dep
	}
	v.Nom = formField{ID: "reference-nom", Name: "nom", Label: "Nom de la référence", Hint: "Exemple : Plan initial (janvier 2012)",
		Type: "text", Value: nom, Error: errs["nom"]}
	v.Notes = formField{ID: "reference-notes", Name: "notes", Label: "Notes", Hint: "Facultatif", Value: notes, Error: errs["notes"]}
	return s.render(c, status, "references/list", "Références du plan", []crumb{home, referencesCrumb}, v)
}

func (s *Server) listReferences(c echo.Context) error {
	return s.referencesPage(c, http.StatusOK, "", "", nil, "")
}

// referenceForm is the "Geler le plan" form.
type referenceForm struct {
	Nom   string `form:"nom"`
	Notes string `form:"notes"`
}

// freezeReference freezes the plan of the user's territory: 422 on a bad name, 403 for a
// role that freezes nothing.
func (s *Server) freezeReference(c echo.Context) error {
	f, err := bindForm[referenceForm](c)
	if err != nil {
		return err
	}
	r, err := s.store.FreezeReference(c.Request().Context(), s.actor(c), f.Nom, f.Notes)
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.referencesPage(c, status, f.Nom, f.Notes, errs, msg)
	}, Refused: "Rien n'a été gelé : votre rôle ne permet pas de geler le plan.",
		Redirect: "/references/" + strconv.FormatInt(r.ID, 10) + "?fait=gel"}.saved(c, err)
}

// compareQuery is the query string of a baseline's comparison.
type compareQuery struct {
	Mode        string `query:"mode" validate:"omitempty,oneof=plan realise"`
	Departement string `query:"departement" validate:"omitempty,max=3"`
}

// referenceView is one baseline's page with its comparison.
type referenceView struct {
	Reference  models.ReferenceRow
	Comparison models.Comparison
	Done       string
	Mode, Dep  selectField
	Errors     map[string]string
	Realise    bool
}

func (s *Server) showReference(c echo.Context) error {
	id, r, err := pathRecord(s, c, s.store.GetReference)
	if err != nil {
		return err
	}
	ctx, scope := c.Request().Context(), s.scope(c)
	var q compareQuery
	bindQuery(c, &q)
	errs := fieldErrors(s.valid, q)
	if q.Departement != "" && !models.ValidDepartementCode(q.Departement) {
		errs = map[string]string{"departement": "Département inconnu : choisissez dans la liste."}
	}
	v := referenceView{Reference: r, Errors: errs}
	if c.QueryParam("fait") == "gel" {
		v.Done = "Le plan a été gelé : cette référence garde les dates prévues telles qu'elles étaient à cet instant."
	}
	deps, err := s.store.DepartementChoices(ctx, scope)
	if err != nil {
		return err
	}
	mode := q.Mode
	if mode == "" {
		mode = models.CompareActuals
	}
	v.Mode = selectField{ID: "comparaison-mode", Name: "mode", Label: "Comparer la référence avec", All: "Le réalisé", Value: q.Mode,
		Choices: []models.Choice{{Value: models.CompareCurrentPlan, Label: "Le plan actuel"}, {Value: models.CompareActuals, Label: "Le réalisé"}},
		Error:   errs["mode"]}
	v.Dep = selectField{ID: "comparaison-departement", Name: "departement", Label: "Département", All: "Tous", Value: q.Departement,
		Choices: deps, Error: errs["departement"]}
	status := http.StatusOK
	if errs == nil {
		v.Comparison, err = s.store.CompareReference(ctx, scope, id, models.CompareFilter{Mode: mode, Departement: q.Departement})
		if err != nil {
			return err
		}
		v.Realise = v.Comparison.Mode == models.CompareActuals
	} else {
		status = http.StatusBadRequest
	}
	return s.render(c, status, "references/show", r.Nom, []crumb{home, referencesCrumb, {Label: r.Nom}}, v)
}

// referenceJSON is a baseline in the API.
type referenceJSON struct {
	ID          int64     `json:"id"`
	Nom         string    `json:"nom"`
	DateGel     time.Time `json:"date_gel"`
	Departement *string   `json:"departement"`
	GelePar     string    `json:"gele_par"`
	Notes       string    `json:"notes"`
	NbVagues    int64     `json:"nb_vagues"`
	NbJalons    int64     `json:"nb_jalons"`
	NbEcoles    int64     `json:"nb_ecoles"`
}

func toReferenceJSON(r models.ReferenceRow) referenceJSON {
	return referenceJSON{ID: r.ID, Nom: r.Nom, DateGel: r.DateGel.UTC(), Departement: r.DepartementCode, GelePar: r.GelePar,
		Notes: r.Notes, NbVagues: r.NbVagues, NbJalons: r.NbJalons, NbEcoles: r.NbEcoles}
}

func (s *Server) apiReferences(c echo.Context) error {
	p, err := s.pageRequest(c)
	if err != nil {
		return err
	}
	page, err := s.store.ListReferences(c.Request().Context(), s.scope(c), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newAPIList(page, toReferenceJSON))
}
