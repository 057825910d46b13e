package app

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The models of convention text kept by the administrator, and "Générer le projet", which
// drafts a convention's text from a model.

var modelesCrumb = crumb{Label: "Modèles de convention", Href: "/admin/modeles"}

// modelesView is the list of models.
type modelesView struct {
	Modeles      []models.ConventionModele
	Placeholders []models.Choice
	CanWrite     bool
}

func (s *Server) listModeles(c echo.Context) error {
	list, err := s.store.ListModeles(c.Request().Context())
	if err != nil {
		return err
	}
	v := modelesView{Modeles: list, Placeholders: models.ModelePlaceholders, CanWrite: models.CanWriteModeles(s.actor(c))}
	return s.render(c, http.StatusOK, "modeles/list", "Modèles de convention", []crumb{home, modelesCrumb}, v)
}

// modeleForm is the model form as posted.
type modeleForm struct {
	Nom     string `form:"nom"`
	Kind    string `form:"type"`
	Texte   string `form:"texte"`
	Version string `form:"version"`
}

// modeleFormView is the model form page.
type modeleFormView struct {
	Heading, Action, Submit, Conflict string
	Version                           string
	HasErrors                         bool
	Nom                               formField
	Type                              selectField
	Texte                             formField
	Placeholders                      []models.Choice
}

func (s *Server) modeleFormPage(c echo.Context, status int, id int64, f modeleForm, errs map[string]string, conflict string) error {
	v := modeleFormView{Heading: "Nouveau modèle de convention", Action: "/admin/modeles", Submit: "Créer le modèle",
		Version: f.Version, HasErrors: len(errs) > 0, Conflict: conflict, Placeholders: models.ModelePlaceholders}
	if id != 0 {
		v.Heading, v.Action, v.Submit = "Modifier le modèle « "+f.Nom+" »", "/admin/modeles/"+strconv.FormatInt(id, 10), "Enregistrer"
	}
	v.Nom = formField{ID: "modele-nom", Name: "nom", Label: "Nom du modèle", Type: "text", Value: f.Nom, Error: errs["nom"], Required: true}
	v.Type = selectField{ID: "modele-type", Name: "type", Label: "Type de convention", All: "Choisir un type", Value: f.Kind,
		Error: errs["type"], Choices: models.ConventionKinds}
	v.Texte = formField{ID: "modele-texte", Name: "texte", Label: "Texte du modèle", Hint: "En Markdown, avec les champs entre doubles accolades, par exemple {{commune}}.",
		Value: f.Texte, Error: errs["texte"]}
	return s.render(c, status, "modeles/form", v.Heading, []crumb{home, modelesCrumb, {Label: v.Heading}}, v)
}

func (s *Server) newModele(c echo.Context) error {
	return s.modeleFormPage(c, http.StatusOK, 0, modeleForm{Kind: models.ConventionLocale}, nil, "")
}

func (s *Server) editModele(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.store.GetModele(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return s.modeleFormPage(c, http.StatusOK, id, modeleForm{Nom: m.Nom, Kind: m.Kind, Texte: m.Texte, Version: strconv.Itoa(m.Version)}, nil, "")
}

// saveModele creates (POST /admin/modeles) or updates (POST /admin/modeles/:id) a model.
func (s *Server) saveModele(c echo.Context) error {
	var id int64
	if c.Param("id") != "" {
		var err error
		if id, err = pathID(c, "id"); err != nil {
			return err
		}
	}
	var f modeleForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	_, err := s.store.SaveModele(c.Request().Context(), s.actor(c), id, formVersion(f.Version), models.ModeleInput{Nom: f.Nom, Kind: f.Kind, Texte: f.Texte})
	return updated(c, err, models.ConventionModele{}, func(ce *models.ConflictError, current models.ConventionModele) error {
		return s.modeleFormPage(c, http.StatusConflict, id, modeleForm{Nom: current.Nom, Kind: current.Kind, Texte: current.Texte,
			Version: strconv.Itoa(current.Version)}, nil,
			"Ce modèle a été modifié par "+conflictBy(ce)+" depuis l'ouverture de votre formulaire : rien n'a été enregistré. Le formulaire montre les valeurs actuelles.")
	}, formAnswer{Form: func(status int, errs map[string]string, _ string) error {
		return s.modeleFormPage(c, status, id, f, errs, "")
	}, Redirect: "/admin/modeles?fait=enregistrement"})
}

func (s *Server) archiveModele(c echo.Context) error {
	return s.onRecord(c, s.store.ArchiveModele, func(string) string { return "/admin/modeles?fait=archivage" })
}

// projetView is the draft of a convention from a model, printable.
type projetView struct {
	Convention models.ConventionRow
	Modeles    []models.ConventionModele
	ModeleID   int64
	HTML       template.HTML
	Markdown   string
}

// showProjet is "Générer le projet": the convention's text drafted from the chosen model
// (the first model of its kind by default), for printing or download (?format=md).
func (s *Server) showProjet(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, scope := c.Request().Context(), s.scope(c)
	conv, err := s.store.GetConvention(ctx, scope, id)
	if err != nil {
		return err
	}
	v := projetView{Convention: conv}
	if v.Modeles, err = s.store.ListModeles(ctx); err != nil {
		return err
	}
	v.ModeleID, _ = strconv.ParseInt(c.QueryParam("modele"), 10, 64)
	if v.ModeleID == 0 {
		for _, m := range v.Modeles {
			if m.Kind == conv.Kind || v.ModeleID == 0 {
				v.ModeleID = m.ID
				if m.Kind == conv.Kind {
					break
				}
			}
		}
	}
	if v.ModeleID != 0 {
		m, err := s.store.GetModele(ctx, v.ModeleID)
		if err != nil {
			return err
		}
		md := exports.ConventionDraft(m.Texte, conv)
		if c.QueryParam("format") == "md" {
			c.Response().Header().Set(echo.HeaderContentDisposition, contentDisposition(conv.Reference+".md"))
			return c.Blob(http.StatusOK, "text/markdown; charset=utf-8", []byte(md))
		}
		v.Markdown, v.HTML = md, markdownHTML(md)
	}
	href := "/conventions/" + strconv.FormatInt(id, 10)
	return s.render(c, http.StatusOK, "modeles/projet", "Projet de convention "+conv.Reference,
		[]crumb{home, conventionsCrumb, {Label: conv.Reference, Href: href}, {Label: "Projet"}}, v)
}
