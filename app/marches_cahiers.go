package app

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Cahiers des charges: the académie's models and the départements' adaptations, each with
// its versions (a PDF, a date, what changed, the charter version it complies with); a
// market names the version it is based on. The list with its export and API, a cahier's
// page with its history of versions and the form of a new version, the form of a new
// cahier. Who may write is decided by the data layer (models.CanWriteCahier).

var cahiersCrumb = crumb{Label: "Cahiers des charges", Href: "/cahiers-des-charges"}

// cahierHref is the address of a cahier's page.
func cahierHref(id int64) string { return "/cahiers-des-charges/" + strconv.FormatInt(id, 10) }

// cahierQuery is the query string of the list, its export and its API.
type cahierQuery struct {
	Departement string `query:"departement" validate:"omitempty,max=10"`
	Q           string `query:"q" validate:"max=100,validutf8"`
	Paging
}

// cahierNiveaux are the choices of the level filter: the académie's models, then the
// départements' adaptations.
func cahierNiveaux(deps []models.Choice) []models.Choice {
	return append([]models.Choice{{Value: "academie", Label: "Modèles académiques"}}, deps...)
}

func (s *Server) cahierQuery(c echo.Context) (cahierQuery, models.CahierFilter, []models.Choice, map[string]string, error) {
	var q cahierQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, func(k string) bool { return k == "" })
	deps, err := s.store.DepartementChoicesIn(c.Request().Context(), s.scope(c))
	niveaux := cahierNiveaux(deps)
	if q.Departement != "" && models.LabelOf(niveaux, q.Departement) == q.Departement {
		if errs == nil {
			errs = map[string]string{}
		}
		errs["departement"] = "Valeur inconnue : choisissez dans la liste."
	}
	return q, models.CahierFilter{Departement: q.Departement, Q: q.Q}, niveaux, errs, err
}

// cahiersView is the list page.
type cahiersView struct {
	list[cahierQuery, models.CahierRow]
	CanCreate bool
}

func (s *Server) listCahiers(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, niveaux, errs, err := s.cahierQuery(c)
	if err != nil {
		return err
	}
	v := cahiersView{CanCreate: models.CanCreateCahiers(actor)}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-cahiers", "Cahiers des charges"
	v.Empty = emptyList{Text: "Aucun cahier des charges pour l'instant.",
		Hint: "Le modèle académique et ses adaptations départementales, chacun avec ses versions ; un marché désigne la version sur laquelle il se fonde."}
	if v.CanCreate {
		v.Empty.Add, v.Empty.Verb = "/cahiers-des-charges/nouveau", "Créer un cahier des charges"
	}
	if errs == nil {
		if v.Page, err = s.store.ListCahiers(ctx, actor.Scope, f, q.request()); err != nil {
			return err
		}
	}
	v.Form = newFilterForm("/cahiers-des-charges", "Mots du titre", q.Q, q.Paging, errs)
	v.Form.sel("departement", "Niveau", "Tous les niveaux", q.Departement, niveaux, errs)
	u := newListURL(c, "/cahiers-des-charges")
	v.Columns = u.columns("", "", column{Label: "Cahier des charges"}, column{Label: "Niveau"}, column{Label: "Dernière version"},
		column{Label: "Charte"}, column{Label: "Versions"})
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "marches/cahiers", "Cahiers des charges", []crumb{home, marchesCrumb, cahiersCrumb}, v, errs != nil)
}

func (s *Server) exportCahiers(c echo.Context) error {
	_, f, _, errs, err := s.cahierQuery(c)
	if err != nil {
		return err
	}
	return exportScoped(s, c, "cahiers-des-charges", exports.CahiersTable, f, errs, s.store.EachCahier, exports.CahierValues)
}

// cahierJSON is a cahier des charges in the API.
type cahierJSON struct {
	ID          int64               `json:"id"`
	Titre       string              `json:"titre"`
	Departement *string             `json:"departement"`
	Versions    []cahierVersionJSON `json:"versions"`
	Version     int                 `json:"version"`
}

type cahierVersionJSON struct {
	ID         int64  `json:"id"`
	Numero     string `json:"numero"`
	Date       string `json:"date"`
	Resume     string `json:"resume"`
	CharteID   *int64 `json:"charte_version_id"`
	DocumentID *int64 `json:"document_id"`
}

func toCahierJSON(c models.CahierRow) cahierJSON {
	out := cahierJSON{ID: c.ID, Titre: c.Titre, Departement: c.DepartementCode, Version: c.Version, Versions: make([]cahierVersionJSON, len(c.Versions))}
	for i, v := range c.Versions {
		out.Versions[i] = cahierVersionJSON{ID: v.ID, Numero: v.Numero, Date: *isoDate(&v.DateVersion), Resume: v.Resume,
			CharteID: v.CharteVersionID, DocumentID: v.DocumentID}
	}
	return out
}

func (s *Server) apiCahiers(c echo.Context) error {
	q, f, _, errs, err := s.cahierQuery(c)
	if err != nil {
		return err
	}
	return apiScoped(s, c, f, errs, q.request(), s.store.ListCahiers, toCahierJSON)
}

// cahierFormView is the form of a new cahier des charges.
type cahierFormView struct {
	Closed, Refused string
	HasErrors       bool
	Titre, Notes    formField
	Departement     selectField
}

func (s *Server) cahierFormPage(c echo.Context, status int, values map[string]string, errs map[string]string, refused string) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	v := cahierFormView{Refused: refused, HasErrors: len(errs) > 0}
	if !models.CanCreateCahiers(actor) {
		v.Closed = "Votre rôle (" + actor.Role.Label() + ") ne permet pas de créer de cahier des charges."
	}
	deps, err := s.store.DepartementChoicesIn(ctx, actor.Scope)
	if err != nil {
		return err
	}
	all := "Modèle académique (aucun département)"
	if !models.CanWriteAcademieRecords(actor, models.EntityCahier) {
		all = "Choisir le département"
	}
	v.Titre = formField{Type: "text", ID: "cahier-titre", Name: "titre", Label: "Titre", Hint: "Exemple : Cahier des charges de l'ENT 1D",
		Value: values["titre"], Error: errs["titre"]}
	v.Departement = selectField{ID: "cahier-departement", Name: "departement", Label: "Niveau", All: all,
		Hint: "Le modèle académique, ou l'adaptation d'un département", Value: values["departement"], Choices: deps, Error: errs["departement"]}
	v.Notes = formField{Type: "text", ID: "cahier-notes", Name: "notes", Label: "Notes", Hint: "Facultatif", Value: values["notes"], Error: errs["notes"]}
	crumbs := []crumb{home, marchesCrumb, cahiersCrumb, {Label: "Nouveau cahier des charges"}}
	return s.render(c, closedStatus(status, v.Closed), "marches/cahier_form", "Nouveau cahier des charges", crumbs, v)
}

func (s *Server) newCahier(c echo.Context) error {
	return s.cahierFormPage(c, http.StatusOK, map[string]string{"departement": s.actor(c).Scope.SoleDepartement()}, nil, "")
}

func (s *Server) createCahier(c echo.Context) error {
	v := formValues(c, "titre", "departement", "notes")
	row, err := s.store.CreateCahier(c.Request().Context(), s.actor(c), models.CahierInput{Titre: v["titre"], Departement: v["departement"], Notes: v["notes"]})
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.cahierFormPage(c, status, v, errs, msg)
	}, Refused: "Rien n'a été enregistré : votre rôle ne permet pas de créer un cahier des charges de ce niveau (un IA-DASEN crée l'adaptation de son département).",
		Redirect: cahierHref(row.ID) + "?fait=creation"}.saved(c, err)
}

// cahierView is a cahier's page with the form of a new version.
type cahierView struct {
	Cahier                 models.CahierRow
	Done, Version, Refused string
	CanWrite, HasErrors    bool
	Numero, Date, Resume   formField
	Charte                 selectField
	FichierError           string
}

var cahierDone = map[string]string{
	"creation": "Le cahier des charges a été enregistré : ajoutez sa première version.",
	"version":  "La version a été ajoutée.",
}

func (s *Server) showCahier(c echo.Context) error {
	return s.cahierPage(c, http.StatusOK, nil, nil, "")
}

func (s *Server) cahierPage(c echo.Context, status int, typed, errs map[string]string, refused string) error {
	_, row, err := pathRecord(s, c, s.store.GetCahier)
	if err != nil {
		return err
	}
	actor := s.actor(c)
	v := cahierView{Cahier: row, Done: cahierDone[c.QueryParam("fait")], Version: strconv.Itoa(row.Version), Refused: refused,
		CanWrite: models.CanWriteCahier(actor, row.CahierCharges), HasErrors: len(errs) > 0, FichierError: errs["fichier"]}
	if v.CanWrite {
		chartes, err := s.store.CharteChoices(c.Request().Context())
		if err != nil {
			return err
		}
		field := func(name, label, hint string) formField {
			return formField{Type: "text", ID: "version-" + name, Name: name, Label: label, Hint: hint, Value: typed[name], Error: errs[name]}
		}
		v.Numero = field("numero", "Numéro de version", "Exemple : 2 ou 2.1")
		v.Date = field("date", "Date de la version", "JJ/MM/AAAA")
		v.Resume = field("resume", "Ce qui change", "Le résumé des changements depuis la version précédente")
		v.Charte = selectField{ID: "version-charte", Name: "charte", Label: "Version de la charte respectée", All: "Aucune",
			Value: typed["charte"], Choices: chartes, Error: errs["charte"]}
	}
	crumbs := []crumb{home, marchesCrumb, cahiersCrumb, {Label: row.Titre}}
	return s.render(c, status, "marches/cahier", row.Titre, crumbs, v)
}

// addCahierVersion records a version with its PDF (field "fichier").
func (s *Server) addCahierVersion(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v := formValues(c, "numero", "date", "resume", "charte", "version")
	name, file, closeFile, err := uploadedFile(c)
	if err != nil {
		return err
	}
	defer closeFile()
	in := models.CahierVersionInput{Numero: v["numero"], Date: v["date"], Resume: v["resume"], FileName: name, File: file}
	in.CharteID, _ = strconv.ParseInt(v["charte"], 10, 64)
	_, err = s.store.AddCahierVersion(c.Request().Context(), s.actor(c), id, formVersion(v["version"]), in)
	if errors.Is(err, models.ErrConflict) {
		return s.cahierPage(c, http.StatusConflict, v, map[string]string{"numero": "Le cahier a été modifié entre-temps : rien n'a été enregistré. Vérifiez la page à jour et recommencez."}, "")
	}
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.cahierPage(c, status, v, errs, msg)
	}, Refused: "Rien n'a été enregistré : votre rôle ne permet pas de modifier ce cahier des charges.",
		Redirect: cahierHref(id) + "?fait=version#versions"}.saved(c, err)
}
