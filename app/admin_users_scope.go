package app

import (
	"net/http"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The scope fields of the account form follow the role: département for an IA-DASEN,
// circonscription for an IEN, communes or EPCI for a référent, none for the others.
//
// The page shows all of them, with a French hint saying that only the role's are kept
// (the data layer ignores the others): that is the form without JavaScript. With it,
// app.js hides the fields of the other roles when the page loads, and a change of role
// asks the fieldset again (htmx, GET /admin/utilisateurs/perimetre), which shows only the
// new role's fields and keeps the values of the others in hidden inputs.

// userPlaces are the communes and the EPCI of the account form, read back.
type userPlaces struct {
	Communes placesValue
	EPCI     placeValue
}

// errors are the messages of the places the form names none or several of, for the
// référent, the one role that uses them.
func (pl userPlaces) errors(role string) map[string]string {
	if models.Role(role) != models.RoleReferent {
		return nil
	}
	return map[string]string{"communes": pl.Communes.Error, "epci": pl.EPCI.Error}
}

// readUserPlaces reads back the communes and the EPCI of the account form.
func (s *Server) readUserPlaces(c echo.Context, f userForm) (userPlaces, error) {
	var pl userPlaces
	var err error
	if pl.Communes, err = s.readPlaces(c, placeCommunes, "communes", "", f.Communes); err != nil {
		return pl, err
	}
	pl.EPCI, err = s.readOnePlace(c, placeEPCI, "", f.EPCI)
	return pl, err
}

// storedUserPlaces are the communes and the EPCI of an account, for its form.
func (s *Server) storedUserPlaces(c echo.Context, f userForm) (userPlaces, error) {
	var pl userPlaces
	var err error
	if pl.Communes, err = s.storedPlaces(c, placeCommunes, f.Communes); err != nil {
		return pl, err
	}
	pl.EPCI.Place.Code = f.EPCI
	pl.EPCI.Shown, err = s.placeShown(c, placeEPCI, f.EPCI)
	return pl, err
}

// userScopeView is the fieldset of the scope fields. Filtered shows only the role's
// fields (the htmx fragment), with the values of the others in Kept; otherwise every field
// is shown, each marked with the role that uses it (Roles).
type userScopeView struct {
	Filtered                      bool
	Note                          string
	Notes                         []models.Choice // per role, what its scope is (Value: the role)
	Departement, Circonscription  selectField
	EPCI                          placeField
	Communes                      placesField
	ShowDepartement, ShowCirco    bool
	ShowReferent                  bool
	Kept                          []models.Choice // hidden inputs: Value is the name, Label the value
	RoleIA, RoleIEN, RoleReferent string
}

// scopeNotes say, per role, what the account's scope is.
var scopeNotes = []models.Choice{
	{Value: string(models.RoleIA), Label: "Un IA-DASEN voit et modifie les données de son département : choisissez-le."},
	{Value: string(models.RoleIEN), Label: "Un IEN voit sa circonscription : ses écoles et leurs communes. Choisissez-la."},
	{Value: string(models.RoleReferent), Label: "Un référent voit ses communes, ou celles de son EPCI ou EPT : choisissez les unes ou l'autre."},
}

const (
	noteAllFields = "Seuls les champs du rôle choisi sont enregistrés : département pour un IA-DASEN, circonscription pour un IEN, " +
		"communes ou EPCI pour un référent ; les autres sont ignorés. Les autres rôles couvrent toute l'académie."
	noteNoRole   = "Choisissez d'abord le rôle : les champs de son périmètre s'affichent alors."
	noteAcademie = "Ce rôle couvre toute l'académie : il n'a pas de périmètre à choisir."
)

// userScope builds the scope fieldset of the form f.
func (s *Server) userScope(c echo.Context, f userForm, pl userPlaces, errs map[string]string, filtered bool) (userScopeView, error) {
	ctx, scope := c.Request().Context(), s.scope(c)
	deps, err := s.store.DepartementChoices(ctx, scope)
	if err != nil {
		return userScopeView{}, err
	}
	circos, err := s.store.CirconscriptionChoices(ctx, scope, "")
	if err != nil {
		return userScopeView{}, err
	}
	role := models.Role(f.Role)
	v := userScopeView{Filtered: filtered, Note: noteAllFields, Notes: scopeNotes,
		RoleIA: string(models.RoleIA), RoleIEN: string(models.RoleIEN), RoleReferent: string(models.RoleReferent)}
	v.Departement = selectField{ID: "compte-departement", Name: "departement", Label: "Département", Hint: "Pour le rôle IA-DASEN",
		All: "Aucun", Value: f.Departement, Error: errs["departement"], Choices: deps}
	v.Circonscription = selectField{ID: "compte-circonscription", Name: "circonscription", Label: "Circonscription", Hint: "Pour le rôle IEN",
		All: "Aucune", Value: f.Circonscription, Error: errs["circonscription"], Choices: circos}
	v.EPCI = placeField{ID: "compte-epci", Name: "epci", Kind: placeEPCI, Label: "EPCI ou EPT",
		Hint:  "Pour le rôle référent, à la place des communes : son nom ou son SIREN (exemple : Est Ensemble)",
		Value: pl.EPCI.Shown, Error: firstOf(errs["epci"], pl.EPCI.Error)}
	v.Communes = pl.Communes.field(placesField{Legend: "Communes", Name: "communes", Empty: "Aucune commune choisie.",
		Hint: "Pour le rôle référent sans EPCI",
		Add: placeField{ID: "compte-communes", Kind: placeCommunes, Label: "Ajouter une commune",
			Hint: "Son nom (exemple : Bobigny), son code INSEE ou son code postal"}})
	v.Communes.Add.Error = firstOf(errs["communes"], pl.Communes.Error)
	if !filtered {
		v.ShowDepartement, v.ShowCirco, v.ShowReferent = true, true, true
		return v, nil
	}
	switch role {
	case models.RoleIA:
		v.ShowDepartement = true
	case models.RoleIEN:
		v.ShowCirco = true
	case models.RoleReferent:
		v.ShowReferent = true
	}
	v.Note = models.LabelOf(scopeNotes, string(role))
	switch {
	case role == "":
		v.Note = noteNoRole
	case v.Note == string(role):
		v.Note = noteAcademie
	}
	keep := func(name, value string) {
		if value != "" {
			v.Kept = append(v.Kept, models.Choice{Value: name, Label: value})
		}
	}
	if !v.ShowDepartement {
		keep("departement", f.Departement)
	}
	if !v.ShowCirco {
		keep("circonscription", f.Circonscription)
	}
	if !v.ShowReferent {
		keep("epci", pl.EPCI.Shown)
		for _, code := range pl.Communes.codes() {
			keep("communes", code)
		}
		keep("communes", pl.Communes.Typed)
	}
	return v, nil
}

// userScopeFields answers the scope fieldset of the role chosen in the account form (the
// htmx fragment asked when the role changes), keeping the values typed.
func (s *Server) userScopeFields(c echo.Context) error {
	var f userForm
	if err := (&echo.DefaultBinder{}).BindQueryParams(c, &f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	pl, err := s.readUserPlaces(c, f)
	if err != nil {
		return err
	}
	// A change of role is not a save: the resolver's messages wait for it.
	pl.Communes.Error, pl.EPCI.Error = "", ""
	v, err := s.userScope(c, f, pl, nil, true)
	if err != nil {
		return err
	}
	return s.renderBlock(c, http.StatusOK, "admin/users/form", "user-scope", v)
}
