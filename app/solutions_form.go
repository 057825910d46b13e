package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The ENT solution form.

// solutionForm is the solution form; the id and version are never bound into the model.
type solutionForm struct {
	Produit     string `form:"produit"`
	Editeur     string `form:"editeur"`
	Version     string `form:"version_produit"`
	Hebergement string `form:"hebergement"`
	Federation  string `form:"federation"`
	Notes       string `form:"notes"`
	RowVersion  string `form:"version"`
}

func (f solutionForm) input() models.SolutionInput {
	return models.SolutionInput{Produit: f.Produit, Editeur: f.Editeur, Version: f.Version, Hebergement: f.Hebergement,
		Federation: f.Federation, Notes: f.Notes}
}

func solutionFormOf(r models.SolutionRow) solutionForm {
	f := solutionForm{Produit: r.Produit, Version: r.VersionProduit, Hebergement: r.Hebergement, Federation: r.Federation,
		Notes: r.Notes, RowVersion: strconv.Itoa(r.Version)}
	if r.EditeurID != nil {
		f.Editeur = strconv.FormatInt(*r.EditeurID, 10)
	}
	return f
}

// solutionFormView is the solution form page.
type solutionFormView struct {
	Heading, Action, Cancel, Submit string
	Closed, Refused, Version        string
	HasErrors                       bool
	Produit, VersionProduit         formField
	Hebergement, Notes              formField
	Editeur, Federation             selectField
	Conflict                        *formConflict
}

const msgSolutionRefused = "Rien n'a été enregistré : seuls les pilotes académiques et l'administrateur modifient les solutions ENT."

func (s *Server) solutionFormPage(c echo.Context, status int, r *models.SolutionRow, f solutionForm, errs map[string]string, refused string, conflict *formConflict) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	v := solutionFormView{Heading: "Nouvelle solution ENT", Action: "/solutions", Cancel: "/solutions", Submit: "Enregistrer la solution",
		Refused: refused, Version: f.RowVersion, HasErrors: len(errs) > 0, Conflict: conflict}
	crumbs := []crumb{home, solutionsCrumb, {Label: "Nouvelle solution"}}
	if r != nil {
		href := "/solutions/" + strconv.FormatInt(r.ID, 10)
		v.Heading, v.Action, v.Cancel, v.Submit = "Modifier la solution "+r.Produit, href, href, "Enregistrer"
		crumbs = []crumb{home, solutionsCrumb, {Label: r.Produit, Href: href}, {Label: "Modifier"}}
	}
	if !models.WritesSolutions(actor) {
		v.Closed = "Votre rôle (" + actor.Role.Label() + ") ne permet ni de créer ni de modifier une solution ENT."
	}
	editeurs, err := s.store.SolutionEditeurChoices(ctx)
	if err != nil {
		return err
	}
	v.Produit = formField{ID: "solution-produit", Name: "produit", Label: "Produit", Type: "text", Value: f.Produit, Error: errs["produit"]}
	v.Editeur = selectField{ID: "solution-editeur", Name: "editeur", Label: "Éditeur",
		Hint: "Une organisation de type « Éditeur d'ENT » (à créer d'abord dans les organisations)", All: "Éditeur non renseigné",
		Value: f.Editeur, Choices: editeurs, Error: errs["editeur"]}
	v.VersionProduit = formField{ID: "solution-version", Name: "version_produit", Label: "Version", Hint: "Facultatif", Type: "text",
		Value: f.Version, Error: errs["version"]}
	v.Hebergement = formField{ID: "solution-hebergement", Name: "hebergement", Label: "Hébergement",
		Hint: "Facultatif. Exemple : hébergé par l'éditeur, datacentre de l'académie", Type: "text", Value: f.Hebergement, Error: errs["hebergement"]}
	v.Federation = selectField{ID: "solution-federation", Name: "federation", Label: "Fédération d'identité", All: "Aucune",
		Value: f.Federation, Choices: models.SolutionFederations[1:], Error: errs["federation"]}
	v.Notes = formField{ID: "solution-notes", Name: "notes", Label: "Notes", Hint: "Facultatif", Value: f.Notes, Error: errs["notes"]}
	return s.render(c, closedStatus(status, v.Closed), "solutions/form", v.Heading, crumbs, v)
}

func (s *Server) newSolution(c echo.Context) error {
	return s.solutionFormPage(c, http.StatusOK, nil, solutionForm{}, nil, "", nil)
}

func (s *Server) createSolution(c echo.Context) error {
	f, err := bindForm[solutionForm](c)
	if err != nil {
		return err
	}
	r, err := s.store.CreateSolution(c.Request().Context(), s.actor(c), f.input())
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.solutionFormPage(c, status, nil, f, errs, msg, nil)
	}, Refused: msgSolutionRefused, Redirect: "/solutions/" + strconv.FormatInt(r.ID, 10) + "?fait=creation"}.saved(c, err)
}

func (s *Server) editSolution(c echo.Context) error {
	_, r, err := pathRecord(s, c, s.store.GetSolution)
	if err != nil {
		return err
	}
	return s.solutionFormPage(c, http.StatusOK, &r, solutionFormOf(r), nil, "", nil)
}

// updateSolution saves an edit: 403 refused, 409 stale, 422 invalid.
func (s *Server) updateSolution(c echo.Context) error {
	id, r, err := pathRecord(s, c, s.store.GetSolution)
	if err != nil {
		return err
	}
	f, err := bindForm[solutionForm](c)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateSolution(c.Request().Context(), s.actor(c), id, formVersion(f.RowVersion), f.input())
	return updated(c, err, r, func(ce *models.ConflictError, current models.SolutionRow) error {
		cur := solutionFormOf(current)
		return s.solutionFormPage(c, http.StatusConflict, &current, cur, nil, "", newFormConflict(ce, []conflictRow{
			{Label: "Produit", Current: cur.Produit, Typed: f.Produit}, {Label: "Version", Current: cur.Version, Typed: f.Version},
			{Label: "Hébergement", Current: cur.Hebergement, Typed: f.Hebergement}, {Label: "Notes", Current: cur.Notes, Typed: f.Notes}}))
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.solutionFormPage(c, status, &r, f, errs, msg, nil)
	}, Refused: msgSolutionRefused, Redirect: "/solutions/" + strconv.FormatInt(id, 10) + "?fait=modification"})
}
