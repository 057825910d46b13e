package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The plan form (new and edit), archiving and restoring a plan.

// financementForm is the plan form; the id and version are never bound into the model.
type financementForm struct {
	Titre       string   `form:"titre"`
	Convention  string   `form:"convention"`
	Portage     string   `form:"portage"`
	Departement string   `form:"departement"`
	Commune     string   `form:"commune"`
	EPCI        string   `form:"epci"`
	Communes    []string `form:"communes"`
	Cle         string   `form:"cle"`
	Notes       string   `form:"notes"`
	Version     string   `form:"version"`
}

// input is what the form gives the data layer, its places read back (pl).
func (f financementForm) input(pl financementPlaces) models.FinancementInput {
	conv, _ := strconv.ParseInt(f.Convention, 10, 64)
	return models.FinancementInput{Titre: f.Titre, ConventionID: conv, Portage: f.Portage, Departement: f.Departement,
		Commune: pl.Commune.input(), EPCI: pl.EPCI.input(), Communes: pl.communesInput(), Cle: f.Cle, Notes: f.Notes}
}

// financementFormOf fills the form with a plan's current values; the communes' fixed
// shares are in pl, read by storedFinancementPlaces.
func financementFormOf(r models.FinancementRow, communes []models.FinancementCommune) financementForm {
	f := financementForm{Titre: r.Titre, Portage: r.Portage, Departement: r.DepartementCode, Cle: r.CleRepartition,
		Notes: r.Notes, Version: strconv.Itoa(r.Version)}
	if r.ConventionID != nil {
		f.Convention = strconv.FormatInt(*r.ConventionID, 10)
	}
	switch r.Portage {
	case models.PortageCommune:
		if r.CodeINSEE != nil {
			f.Commune = *r.CodeINSEE
		}
	case models.PortageIntercommunalite:
		if r.EPCISiren != nil {
			f.EPCI = *r.EPCISiren
		}
		f.Communes = financementCodes(communes)
	default:
		f.Communes = financementCodes(communes)
	}
	return f
}

func financementCodes(communes []models.FinancementCommune) []string {
	out := make([]string, len(communes))
	for i, c := range communes {
		out[i] = c.CodeINSEE
	}
	return out
}

// financementFormView is the plan form page; Closed replaces the form for a role that
// writes no plan, Refused explains a save the write rule refused.
type financementFormView struct {
	Heading, Action, Cancel, Submit string
	Closed, Refused, Version        string
	HasErrors                       bool
	Titre, Notes                    formField
	Commune, EPCI                   placeField
	Communes                        placesField
	Portage, Departement            selectField
	Convention, Cle                 selectField
	Conflict                        *formConflict
}

const msgFinancementRefused = "Rien n'a été enregistré : votre rôle ne permet pas de créer ou de modifier ce plan de financement."

func (s *Server) financementFormPage(c echo.Context, status int, plan *models.FinancementRow, f financementForm, pl financementPlaces, errs map[string]string, refused string, conflict *formConflict) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	v := financementFormView{Heading: "Nouveau plan de financement", Action: "/financements", Cancel: "/financements",
		Submit: "Créer le plan", Refused: refused, Version: f.Version, HasErrors: len(errs) > 0, Conflict: conflict}
	crumbs := []crumb{home, financementsCrumb, {Label: "Nouveau plan"}}
	if !models.CanCreateFinancements(actor) {
		v.Closed = "Votre rôle (" + actor.Role.Label() + ") ne permet ni de créer ni de modifier un plan de financement."
	}
	if plan != nil {
		href := "/financements/" + strconv.FormatInt(plan.ID, 10)
		v.Heading, v.Action, v.Cancel, v.Submit = "Modifier le plan "+plan.Titre, href, href, "Enregistrer"
		crumbs = []crumb{home, financementsCrumb, {Label: plan.Titre, Href: href}, {Label: "Modifier"}}
		if !models.CanWriteFinancement(actor, plan.Financement) {
			v.Closed = "Vous pouvez consulter ce plan mais votre rôle ne permet pas de le modifier."
		}
	}
	deps, err := s.store.DepartementChoicesIn(ctx, actor.Scope)
	if err != nil {
		return err
	}
	conventions, err := s.store.FinancementConventionChoices(ctx, actor, "")
	if err != nil {
		return err
	}
	v.Titre = formField{ID: "plan-titre", Name: "titre", Label: "Titre du plan", Type: "text", Value: f.Titre, Error: errs["titre"]}
	v.Departement = selectField{ID: "plan-departement", Name: "departement", Label: "Département", All: "Choisir le département",
		Value: f.Departement, Choices: deps, Error: errs["departement"]}
	v.Convention = selectField{ID: "plan-convention", Name: "convention", Label: "Convention", Hint: "Facultatif : une convention départementale ou locale du même département",
		All: "Aucune convention", Value: f.Convention, Choices: conventions, Error: errs["convention"]}
	v.Portage = selectField{ID: "plan-portage", Name: "portage", Label: "Portage", All: "Choisir le portage", Value: f.Portage,
		Choices: models.Portages, Error: errs["portage"]}
	v.Commune = placeField{ID: "plan-commune", Name: "commune", Kind: placeCommunes, Label: "Commune (portage par une commune seule)",
		Hint: "Son nom (exemple : Bobigny), son code INSEE ou son code postal", Value: pl.Commune.Shown,
		Error: firstOf(errs["commune"], pl.Commune.Error), Include: "#plan-departement"}
	v.EPCI = placeField{ID: "plan-epci", Name: "epci", Kind: placeEPCI, Label: "Intercommunalité (portage par un EPCI)",
		Hint: "Son nom (exemple : Est Ensemble) ou son SIREN", Value: pl.EPCI.Shown,
		Error: firstOf(errs["epci"], pl.EPCI.Error), Include: "#plan-departement"}
	v.Communes = pl.Communes.field(placesField{Legend: "Communes du groupement, ou communes choisies de l'EPCI", Name: "communes",
		Hint:  "Avec la clé « Parts fixes », la part de chaque commune en pourcentage (exemple : 33,33) ; sans objet pour les autres clés",
		Empty: "Aucune commune choisie.", Parts: true,
		Add: placeField{ID: "plan-communes", Kind: placeCommunes, Label: "Ajouter une commune",
			Hint: "Son nom, son code INSEE ou son code postal", Include: "#plan-departement"}})
	v.Communes.Add.Error = firstOf(errs["communes"], pl.Communes.Error)
	for i := range v.Communes.Chosen {
		v.Communes.Chosen[i].Part = pl.Parts[v.Communes.Chosen[i].Code]
	}
	v.Cle = selectField{ID: "plan-cle", Name: "cle", Label: "Clé de répartition entre les communes", Hint: "Sans objet pour une commune seule",
		All: "Choisir la clé", Value: f.Cle, Choices: models.ClesRepartition, Error: errs["cle"]}
	v.Notes = formField{ID: "plan-notes", Name: "notes", Label: "Notes", Hint: "Facultatif", Value: f.Notes, Error: errs["notes"]}
	return s.render(c, closedStatus(status, v.Closed), "financements/form", v.Heading, crumbs, v)
}

func (s *Server) newFinancement(c echo.Context) error {
	// From a convention's page: the plan is attached to it (?convention=ID).
	f := financementForm{Portage: c.QueryParam("portage"), Convention: c.QueryParam("convention")}
	f.Departement = s.actor(c).Scope.SoleDepartement()
	return s.financementFormPage(c, http.StatusOK, nil, f, financementPlaces{}, nil, "", nil)
}

func (s *Server) createFinancement(c echo.Context) error {
	f, err := bindForm[financementForm](c)
	if err != nil {
		return err
	}
	pl, err := s.readFinancementPlaces(c, f)
	if err != nil {
		return err
	}
	if listEdit(c) {
		return s.financementFormPage(c, http.StatusOK, nil, f, pl, nil, "", nil)
	}
	p, err := s.store.CreateFinancement(c.Request().Context(), s.actor(c), f.input(pl))
	err = withPlaceErrors(err, pl.errors())
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.financementFormPage(c, status, nil, f, pl, errs, msg, nil)
	}, Refused: msgFinancementRefused, Redirect: "/financements/" + strconv.FormatInt(p.ID, 10) + "?fait=creation"}.saved(c, err)
}

func (s *Server) editFinancement(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, scope := c.Request().Context(), s.scope(c)
	p, err := s.store.GetFinancement(ctx, scope, id)
	if err != nil {
		return err
	}
	communes, err := s.store.FinancementCommunes(ctx, scope, id)
	if err != nil {
		return err
	}
	pl, err := s.storedFinancementPlaces(c, p, communes)
	if err != nil {
		return err
	}
	return s.financementFormPage(c, http.StatusOK, &p, financementFormOf(p, communes), pl, nil, "", nil)
}

// updateFinancement saves an edit: 404 outside the scope, 403 refused, 409 stale, 422 invalid.
func (s *Server) updateFinancement(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	p, err := s.store.GetFinancement(ctx, actor.Scope, id)
	if err != nil {
		return err
	}
	f, err := bindForm[financementForm](c)
	if err != nil {
		return err
	}
	pl, err := s.readFinancementPlaces(c, f)
	if err != nil {
		return err
	}
	if listEdit(c) {
		return s.financementFormPage(c, http.StatusOK, &p, f, pl, nil, "", nil)
	}
	_, err = s.store.UpdateFinancement(ctx, actor, id, formVersion(f.Version), f.input(pl))
	err = withPlaceErrors(err, pl.errors())
	return updated(c, err, p, func(ce *models.ConflictError, current models.FinancementRow) error {
		communes, err := s.store.FinancementCommunes(ctx, actor.Scope, id)
		if err != nil {
			return err
		}
		cur := financementFormOf(current, communes)
		curPl, err := s.storedFinancementPlaces(c, current, communes)
		if err != nil {
			return err
		}
		portage := func(v string) string { return models.LabelOf(models.Portages, v) }
		return s.financementFormPage(c, http.StatusConflict, &current, cur, curPl, nil, "", newFormConflict(ce, []conflictRow{
			{Label: "Titre", Current: cur.Titre, Typed: f.Titre}, {Label: "Portage", Current: portage(cur.Portage), Typed: portage(f.Portage)},
			{Label: "Département", Current: cur.Departement, Typed: f.Departement},
			{Label: "Communes", Current: curPl.communesInput(), Typed: pl.communesInput()},
			{Label: "Notes", Current: cur.Notes, Typed: f.Notes}}))
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.financementFormPage(c, status, &p, f, pl, errs, msg, nil)
	}, Refused: msgFinancementRefused, Redirect: "/financements/" + strconv.FormatInt(id, 10) + "?fait=modification"})
}

// archiveFinancement archives a plan; the list then offers to restore it.
func (s *Server) archiveFinancement(c echo.Context) error {
	return s.onRecord(c, s.store.ArchiveFinancement, func(id string) string { return "/financements?fait=archivage&archive=" + id })
}

func (s *Server) restoreFinancement(c echo.Context) error {
	return s.onRecord(c, s.store.RestoreFinancement, func(id string) string { return "/financements/" + id + "?fait=restauration" })
}
