package app

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The campaign form (new and edit): its fields and its weighted criteria, one row each,
// with empty rows to add some; a criterion whose label and weight are emptied is removed
// with its scores.

// campagneForm is the campaign form; the id and version are never bound into the model.
type campagneForm struct {
	Nom            string   `form:"nom"`
	AnneeScolaire  string   `form:"annee_scolaire"`
	Departement    string   `form:"departement"`
	DateOuverture  string   `form:"date_ouverture"`
	DateCloture    string   `form:"date_cloture"`
	Statut         string   `form:"statut"`
	Vague          string   `form:"vague"`
	Notes          string   `form:"notes"`
	CritereIDs     []string `form:"critere_id"`
	CritereLibelle []string `form:"critere_libelle"`
	CriterePoids   []string `form:"critere_poids"`
	Version        string   `form:"version"`
}

// criteres are the rows of the form that hold something.
func (f campagneForm) criteres() []models.CritereInput {
	var out []models.CritereInput
	for i, lib := range f.CritereLibelle {
		poids := at(f.CriterePoids, i)
		if strings.TrimSpace(lib) == "" && strings.TrimSpace(poids) == "" {
			continue
		}
		id, _ := strconv.ParseInt(at(f.CritereIDs, i), 10, 64)
		out = append(out, models.CritereInput{ID: id, Libelle: lib, Poids: poids})
	}
	return out
}

// at is the i-th value, "" past the end.
func at(values []string, i int) string {
	if i < len(values) {
		return values[i]
	}
	return ""
}

func (f campagneForm) input() models.CampagneInput {
	vague, _ := strconv.ParseInt(f.Vague, 10, 64)
	crit := f.criteres()
	if crit == nil {
		crit = []models.CritereInput{}
	}
	return models.CampagneInput{Nom: f.Nom, AnneeScolaire: f.AnneeScolaire, Departement: f.Departement,
		DateOuverture: f.DateOuverture, DateCloture: f.DateCloture, Statut: f.Statut, VagueID: vague, Notes: f.Notes, Criteres: crit}
}

func campagneFormOf(c models.CampagneRow) campagneForm {
	f := campagneForm{Nom: c.Nom, AnneeScolaire: c.AnneeScolaire, Statut: c.Statut, Notes: c.Notes, Version: strconv.Itoa(c.Version)}
	if c.DepartementCode != nil {
		f.Departement = *c.DepartementCode
	}
	if c.DateOuverture != nil {
		f.DateOuverture = c.DateOuverture.Format("02/01/2006")
	}
	if c.DateCloture != nil {
		f.DateCloture = c.DateCloture.Format("02/01/2006")
	}
	if c.VagueID != nil {
		f.Vague = strconv.FormatInt(*c.VagueID, 10)
	}
	for _, k := range c.Criteres {
		f.CritereIDs = append(f.CritereIDs, strconv.FormatInt(k.ID, 10))
		f.CritereLibelle = append(f.CritereLibelle, k.Libelle)
		f.CriterePoids = append(f.CriterePoids, strconv.Itoa(k.Poids))
	}
	return f
}

// critereRow is one criterion row of the form.
type critereRow struct {
	N                      int
	ID, Libelle, Poids     string
	LibelleID, PoidsID     string
	Error                  string
	LibelleLabel, PoidsLbl string
}

// campagneFormView is the campaign form page.
type campagneFormView struct {
	Heading, Action, Cancel, Submit string
	Closed, Refused, Version        string
	HasErrors                       bool
	Nom, AnneeScolaire, Notes       formField
	DateOuverture, DateCloture      formField
	Departement, Statut, Vague      selectField
	Criteres                        []critereRow
	CriteresError                   string
	Conflict                        *formConflict
}

const msgCampagneRefused = "Rien n'a été enregistré : votre rôle ne permet pas de créer ou de modifier cette campagne."

func (s *Server) campagneFormPage(c echo.Context, status int, camp *models.CampagneRow, f campagneForm, errs map[string]string, refused string, conflict *formConflict) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	v := campagneFormView{Heading: "Nouvelle campagne", Action: "/campagnes", Cancel: "/campagnes", Submit: "Créer la campagne",
		Refused: refused, Version: f.Version, HasErrors: len(errs) > 0, Conflict: conflict, CriteresError: errs["criteres"]}
	crumbs := []crumb{home, campagnesCrumb, {Label: "Nouvelle campagne"}}
	if camp == nil && !models.CanCreateCampagnes(actor) {
		v.Closed = "Votre rôle (" + actor.Role.Label() + ") ne permet pas de créer de campagne."
	}
	if camp != nil {
		href := campagneHref(camp.ID)
		v.Heading, v.Action, v.Cancel, v.Submit = "Modifier la campagne "+camp.Nom, href, href, "Enregistrer"
		crumbs = []crumb{home, campagnesCrumb, {Label: camp.Nom, Href: href}, {Label: "Modifier"}}
		if !models.CanWriteCampagne(actor, camp.Campagne) {
			v.Closed = "Vous pouvez consulter cette campagne mais votre rôle ne permet pas de la modifier."
		}
	}
	deps, err := s.store.DepartementChoicesIn(ctx, actor.Scope)
	if err != nil {
		return err
	}
	vagues, err := s.store.PilotVagueChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	all := "Choisir un département"
	if models.CanWriteAcademieRecords(actor, models.EntityCampagne) || f.Departement == "" {
		all = "Toute l'académie"
	}
	v.Nom = formField{Type: "text", ID: "campagne-nom", Name: "nom", Label: "Nom de la campagne", Value: f.Nom, Error: errs["nom"], Hint: "Exemple : Sites pilotes 2012"}
	v.AnneeScolaire = formField{Type: "text", ID: "campagne-annee", Name: "annee_scolaire", Label: "Année scolaire", Hint: "Exemple : 2011-2012",
		Value: f.AnneeScolaire, Error: errs["annee_scolaire"]}
	v.DateOuverture = formField{Type: "text", ID: "campagne-ouverture", Name: "date_ouverture", Label: "Ouverture des candidatures", Hint: "Facultatif, JJ/MM/AAAA",
		Value: f.DateOuverture, Error: errs["date_ouverture"]}
	v.DateCloture = formField{Type: "text", ID: "campagne-cloture", Name: "date_cloture", Label: "Clôture des candidatures", Hint: "Facultatif, JJ/MM/AAAA",
		Value: f.DateCloture, Error: errs["date_cloture"]}
	v.Notes = formField{Type: "text", ID: "campagne-notes", Name: "notes", Label: "Notes", Hint: "Facultatif", Value: f.Notes, Error: errs["notes"]}
	v.Departement = selectField{ID: "campagne-departement", Name: "departement", Label: "Territoire", All: all, Value: f.Departement,
		Choices: deps, Error: errs["departement"]}
	v.Statut = selectField{ID: "campagne-statut", Name: "statut", Label: "Statut", All: "Choisir un statut", Value: firstOf(f.Statut, "ouverte"),
		Choices: models.CampagneStatuts, Error: errs["statut"]}
	v.Vague = selectField{ID: "campagne-vague", Name: "vague", Label: "Vague pilote", All: "Aucune pour l'instant",
		Hint: "Les écoles des candidatures retenues y entrent, en phase « pilote ».", Value: f.Vague, Choices: vagues, Error: errs["vague"]}
	v.Criteres = critereRows(f, errs)
	return s.render(c, closedStatus(status, v.Closed), "campagnes/form", v.Heading, crumbs, v)
}

// critereRows are the criterion rows of the form: those typed, then three empty ones.
func critereRows(f campagneForm, errs map[string]string) []critereRow {
	n := len(f.CritereLibelle) + 3
	out := make([]critereRow, 0, n)
	kept := 0
	for i := range n {
		lib, poids := at(f.CritereLibelle, i), at(f.CriterePoids, i)
		r := critereRow{N: i + 1, ID: at(f.CritereIDs, i), Libelle: lib, Poids: poids,
			LibelleID: "critere-libelle-" + strconv.Itoa(i+1), PoidsID: "critere-poids-" + strconv.Itoa(i+1)}
		if strings.TrimSpace(lib) != "" || strings.TrimSpace(poids) != "" {
			kept++
			r.Error = errs["critere_"+strconv.Itoa(kept)]
		}
		out = append(out, r)
	}
	return out
}

func (s *Server) newCampagne(c echo.Context) error {
	f := campagneForm{Departement: s.actor(c).Scope.SoleDepartement(), Statut: "ouverte"}
	for _, k := range models.DefaultCriteres() {
		f.CritereIDs, f.CritereLibelle, f.CriterePoids = append(f.CritereIDs, ""), append(f.CritereLibelle, k.Libelle), append(f.CriterePoids, k.Poids)
	}
	return s.campagneFormPage(c, http.StatusOK, nil, f, nil, "", nil)
}

func (s *Server) createCampagne(c echo.Context) error {
	f, err := bindForm[campagneForm](c)
	if err != nil {
		return err
	}
	camp, err := s.store.CreateCampagne(c.Request().Context(), s.actor(c), f.input())
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.campagneFormPage(c, status, nil, f, errs, msg, nil)
	}, Refused: msgCampagneRefused, Redirect: campagneHref(camp.ID) + "?fait=creation"}.saved(c, err)
}

func (s *Server) editCampagne(c echo.Context) error {
	_, camp, err := pathRecord(s, c, s.store.GetCampagne)
	if err != nil {
		return err
	}
	return s.campagneFormPage(c, http.StatusOK, &camp, campagneFormOf(camp), nil, "", nil)
}

func (s *Server) updateCampagne(c echo.Context) error {
	id, camp, err := pathRecord(s, c, s.store.GetCampagne)
	if err != nil {
		return err
	}
	f, err := bindForm[campagneForm](c)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateCampagne(c.Request().Context(), s.actor(c), id, formVersion(f.Version), f.input())
	return updated(c, err, camp, func(ce *models.ConflictError, current models.CampagneRow) error {
		cur := campagneFormOf(current)
		return s.campagneFormPage(c, http.StatusConflict, &current, cur, nil, "", newFormConflict(ce, []conflictRow{
			{Label: "Nom", Current: cur.Nom, Typed: f.Nom}, {Label: "Année scolaire", Current: cur.AnneeScolaire, Typed: f.AnneeScolaire},
			{Label: "Critères", Current: strings.Join(cur.CritereLibelle, ", "), Typed: strings.Join(f.CritereLibelle, ", ")}}))
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.campagneFormPage(c, status, &camp, f, errs, msg, nil)
	}, Refused: msgCampagneRefused, Redirect: campagneHref(id) + "?fait=modification"})
}
