package app

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Choosing a commune, an EPCI or an école by name. Every form field that chooses a place is
// a placeField (one place) or a placesField (a list of places with remove buttons, and a
// placeField to add one): a text input that accepts a name, a code, or the label of a
// suggestion ("Bobigny (93008)"), with suggestions fetched by htmx from
// /suggestions/<kind> as the user types (partials/places.html, views/static/js/app.js).
// Without JavaScript the input takes a name or a code and the "Ajouter" and "Retirer"
// buttons post the form, which comes back with the list changed and nothing saved.

// The kinds of places, as the suggestions' addresses name them.
const (
	placeCommunes = "communes"
	placeEPCI     = "epci"
	placeEcoles   = "ecoles"
)

// placeField is a text input choosing one place, with suggestions.
type placeField struct {
	ID, Name, Label, Hint, Value, Error string
	Kind                                string // placeCommunes, placeEPCI or placeEcoles
	Include                             string // selector of the fields sent with the text (a département select)
	Params                              string // fixed parameters of the suggestions ("departement=93")
}

// SuggestURL is the address of the field's suggestions.
func (f placeField) SuggestURL() string {
	u := "/suggestions/" + f.Kind + "?champ=" + f.Name
	if f.Params != "" {
		u += "&" + f.Params
	}
	return u
}

// placesField is a list of chosen places, each with a remove button (and a share input
// with Parts), and a field to add one.
type placesField struct {
	Legend, Hint, Empty string
	Name                string // the name of the chosen places' hidden inputs, and of the add input
	Add                 placeField
	Chosen              []chosenPlace
	Parts               bool
}

// chosenPlace is one place of a placesField.
type chosenPlace struct {
	Code, Label, Part string
}

// PartName is the name of the share input of a chosen place.
func (p chosenPlace) PartName() string { return "part_" + p.Code }

// placesValue is a list field read back: the places chosen in order, what was typed and
// names none or several (shown again in the add input), and the French message.
type placesValue struct {
	Chosen []models.PlaceChoice
	Typed  string
	Error  string
}

// codes are the codes of the chosen places.
func (v placesValue) codes() []string {
	out := make([]string, len(v.Chosen))
	for i, p := range v.Chosen {
		out[i] = p.Code
	}
	return out
}

// unresolved is what a form gives the data layer in place of an entry that was not read
// back: a code no place has, so that the save is refused along with the form's other
// checks, and the field then shows the resolver's message (withPlaceErrors).
const unresolved = "?"

// labels are the chosen places as a reader names them: "Bobigny (93008), Pantin (93055)".
func (v placesValue) labels() string {
	out := make([]string, len(v.Chosen))
	for i, p := range v.Chosen {
		out[i] = p.Label()
	}
	return strings.Join(out, ", ")
}

// input is the list as the data layer reads it: the codes separated by sep, and
// unresolved when an entry was not read back.
func (v placesValue) input(sep string) string {
	codes := v.codes()
	if v.Error != "" {
		codes = append(codes, unresolved)
	}
	return strings.Join(codes, sep)
}

// inputList is input as a list of codes.
func (v placesValue) inputList() []string {
	codes := v.codes()
	if v.Error != "" {
		codes = append(codes, unresolved)
	}
	return codes
}

// field fills the list field f with the value.
func (v placesValue) field(f placesField) placesField {
	f.Chosen = make([]chosenPlace, len(v.Chosen))
	for i, p := range v.Chosen {
		f.Chosen[i] = chosenPlace{Code: p.Code, Label: p.Label()}
	}
	f.Add.Name, f.Add.Value, f.Add.Error = f.Name, v.Typed, v.Error
	return f
}

// maxPlaceEntries bounds the entries of a list field.
const maxPlaceEntries = 600

// placeEntries cuts what a list field holds into entries: each posted value holds one
// place, or several separated by commas, semicolons or line breaks; a value made only of
// codes separated by spaces ("93008 93048") holds each of them.
func placeEntries(values []string) []string {
	var out []string
	for _, v := range values {
		for _, e := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
			e = strings.TrimSpace(e)
			if e == "" {
				continue
			}
			words := strings.Fields(e)
			codes := len(words) > 1
			for _, w := range words {
				codes = codes && isCodeLike(w)
			}
			if codes {
				out = append(out, words...)
			} else {
				out = append(out, e)
			}
		}
	}
	return out
}

// isCodeLike reports whether w looks like a code (INSEE, SIREN, UAI): digits, and letters
// only after the first two characters or at the end.
func isCodeLike(w string) bool {
	if len(w) < 5 || len(w) > 9 {
		return false
	}
	digits := 0
	for _, r := range w {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	return digits >= len(w)-2
}

// validText reports whether the posted values are text (UTF-8 without NUL).
func validText(values ...string) bool {
	for _, v := range values {
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			return false
		}
	}
	return true
}

// removedPlace is the code whose "Retirer" button of the list field name posted the form, "".
func removedPlace(c echo.Context, name string) string {
	field, code, ok := strings.Cut(c.FormValue("_retirer"), ":")
	if !ok || field != name {
		return ""
	}
	return code
}

// listEdit reports whether the form was posted by an "Ajouter" or "Retirer" button of a
// list field (or another button that asks the page again): the form then comes back
// changed, nothing saved.
func listEdit(c echo.Context) bool {
	return c.FormValue("_ajouter") != "" || c.FormValue("_retirer") != ""
}

// readPlaces reads back a list field of the kind: the values posted under its name, less
// the one its "Retirer" button removed. Names and labels are read in the caller's scope
// (and the département dep first); codes are taken as they are, the data layer checks them
// against its rules.
func (s *Server) readPlaces(c echo.Context, kind, name, dep string, values []string) (placesValue, error) {
	var v placesValue
	if !validText(values...) {
		v.Error, v.Typed = "Caractères invalides.", ""
		return v, nil
	}
	entries := placeEntries(values)
	if drop := removedPlace(c, name); drop != "" {
		entries = slices.DeleteFunc(entries, func(e string) bool { return strings.EqualFold(e, drop) })
	}
	if len(entries) > maxPlaceEntries {
		v.Error = "Trop de valeurs : " + strconv.Itoa(maxPlaceEntries) + " au plus."
		return v, nil
	}
	var codes []string
	for _, e := range entries {
		if code := strings.ToUpper(e); validPlaceCode(kind, code) {
			codes = append(codes, code)
		}
	}
	known, err := s.placeLabels(c, kind, codes)
	if err != nil {
		return v, err
	}
	var typed, msgs []string
	seen := map[string]bool{}
	add := func(p models.PlaceChoice) {
		if !seen[p.Code] {
			seen[p.Code] = true
			v.Chosen = append(v.Chosen, p)
		}
	}
	for _, e := range entries {
		if p, ok := known[strings.ToUpper(e)]; ok {
			add(p)
			continue
		}
		p, msg, err := s.readPlace(c, kind, dep, e)
		if err != nil {
			return v, err
		}
		if msg != "" {
			typed = append(typed, e)
			if !slices.Contains(msgs, msg) {
				msgs = append(msgs, msg)
			}
			continue
		}
		add(p)
	}
	v.Typed, v.Error = strings.Join(typed, ", "), strings.Join(msgs, " ")
	return v, nil
}

// validPlaceCode reports whether code has the shape of a code of the kind.
func validPlaceCode(kind, code string) bool {
	switch kind {
	case placeCommunes:
		return models.ValidINSEE(code)
	case placeEPCI:
		return models.ValidSIREN(code)
	case placeEcoles:
		return models.CheckUAI(code) == ""
	}
	return false
}

// placeLabels returns the places of these codes, by code.
func (s *Server) placeLabels(c echo.Context, kind string, codes []string) (map[string]models.PlaceChoice, error) {
	ctx := c.Request().Context()
	switch kind {
	case placeCommunes:
		return s.store.CommuneLabels(ctx, codes)
	case placeEPCI:
		return s.store.EPCILabels(ctx, codes)
	}
	out := map[string]models.PlaceChoice{}
	for _, code := range codes {
		p, msg, err := s.store.ResolveEcole(ctx, models.AcademieScope(), "", code)
		if err != nil {
			return nil, err
		}
		if msg == "" {
			out[p.Code] = p
		}
	}
	return out, nil
}

// readPlace reads back a field holding one place of the kind, in the caller's scope: the
// place, or the French message of a text that names none or several ("" and no message for
// an empty text).
func (s *Server) readPlace(c echo.Context, kind, dep, text string) (models.PlaceChoice, string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return models.PlaceChoice{}, "", nil
	}
	if !validText(text) {
		return models.PlaceChoice{}, "Caractères invalides.", nil
	}
	ctx, scope := c.Request().Context(), s.scope(c)
	switch kind {
	case placeCommunes:
		return s.store.ResolveCommune(ctx, scope, dep, text)
	case placeEPCI:
		return s.store.ResolveEPCI(ctx, scope, dep, text)
	}
	return s.store.ResolveEcole(ctx, scope, dep, text)
}

// placeValue is a field holding one place read back: the place (zero when none), what to
// show in the field again, and the message.
type placeValue struct {
	Place models.PlaceChoice
	Shown string
	Error string
}

// input is the code the data layer reads: the place's, unresolved when the text names
// none or several, "" for an empty field.
func (v placeValue) input() string {
	switch {
	case v.Error != "":
		return unresolved
	case v.Place.Code != "":
		return v.Place.Code
	}
	return ""
}

// readOnePlace reads back a field holding one place.
func (s *Server) readOnePlace(c echo.Context, kind, dep, text string) (placeValue, error) {
	p, msg, err := s.readPlace(c, kind, dep, text)
	v := placeValue{Place: p, Shown: text, Error: msg}
	if p.Code != "" {
		v.Shown = p.Label()
	}
	return v, err
}

// placeShown is the label of a stored code of the kind, "Bobigny (93008)", for a form
// opened on a record; the code itself when unknown.
func (s *Server) placeShown(c echo.Context, kind, code string) (string, error) {
	if code == "" {
		return "", nil
	}
	known, err := s.placeLabels(c, kind, []string{code})
	if err != nil {
		return "", err
	}
	if p, ok := known[code]; ok {
		return p.Label(), nil
	}
	return code, nil
}

// storedPlaces is a list field opened on a record: its stored codes, with their labels.
func (s *Server) storedPlaces(c echo.Context, kind string, codes []string) (placesValue, error) {
	known, err := s.placeLabels(c, kind, codes)
	if err != nil {
		return placesValue{}, err
	}
	var v placesValue
	for _, code := range codes {
		p, ok := known[code]
		if !ok {
			p = models.PlaceChoice{Code: code}
		}
		v.Chosen = append(v.Chosen, p)
	}
	return v, nil
}

// withPlaceErrors puts the messages of the place fields (field name → message) on the
// validation error of a save, in front of the data layer's own messages for those fields
// (which speak of the unresolved code). Any other outcome is returned as it is: a save the
// data layer accepted ignored the field (a scope field the role does not use).
func withPlaceErrors(err error, msgs map[string]string) error {
	var out []models.FieldError
	for field, msg := range msgs {
		if msg != "" {
			out = append(out, models.FieldError{Field: field, Msg: msg})
		}
	}
	if len(out) == 0 {
		return err
	}
	var verr *models.ValidationError
	if !errors.As(err, &verr) {
		return err
	}
	slices.SortFunc(out, func(a, b models.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return &models.ValidationError{Errors: append(out, verr.Errors...)}
}

// suggestionsView is the fragment of suggestions of a place field.
type suggestionsView struct {
	Items []models.PlaceChoice
	Q     string
	What  string // "commune", "EPCI", "école"
}

// suggestions answers the suggestions of a place field: the places of the caller's scope
// (and of the département given) matching the text typed, at most models.MaxSuggestions,
// as an HTML fragment. The text is "q", or the parameter named by "champ" (the field's
// own name, which htmx sends).
func (s *Server) suggestions(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		q := c.QueryParam("q")
		if champ := c.QueryParam("champ"); q == "" && champ != "" && champ != "champ" && champ != "departement" {
			q = c.QueryParam(champ)
		}
		dep := c.QueryParam("departement")
		if len(q) > 200 || len(dep) > 3 || !validText(q, dep) {
			return echo.NewHTTPError(http.StatusBadRequest)
		}
		ctx, scope := c.Request().Context(), s.scope(c)
		v := suggestionsView{Q: strings.TrimSpace(q)}
		var err error
		switch kind {
		case placeCommunes:
			v.What = "commune"
			v.Items, err = s.store.SuggestCommunes(ctx, scope, dep, q)
		case placeEPCI:
			v.What = "EPCI"
			v.Items, err = s.store.SuggestEPCI(ctx, scope, dep, q)
		default:
			v.What = "école"
			v.Items, err = s.store.SuggestEcoles(ctx, scope, dep, q)
		}
		if err != nil {
			return err
		}
		return s.renderBlock(c, http.StatusOK, "suggestions/list", "suggestions", v)
	}
}

// firstOf is the first of the values that is not "".
func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// filterPlace reads back a list filter holding a place: a code is taken as it is (the list
// is limited to the scope anyway), a name or a label is read in the caller's scope. code is
// what to filter on; msg the French message of a text that names none or several.
func (s *Server) filterPlace(c echo.Context, kind, value string) (code, msg string, err error) {
	value = strings.TrimSpace(value)
	if value == "" || validPlaceCode(kind, strings.ToUpper(value)) {
		return strings.ToUpper(value), "", nil
	}
	p, msg, err := s.readPlace(c, kind, "", value)
	return p.Code, msg, err
}

// placeFilterCode reads back the filter field of a list query holding a place of the kind:
// the code to filter on, and errs with the French message of a text that names none or
// several (or that could not be read). A field the validation refused is left alone.
func (s *Server) placeFilterCode(c echo.Context, kind, field, value string, errs map[string]string) (string, map[string]string) {
	if errs[field] != "" {
		return "", errs
	}
	code, msg, err := s.filterPlace(c, kind, value)
	if err != nil {
		msg = "Ce critère n'a pas pu être lu : réessayez dans un instant."
	}
	if msg == "" {
		return code, errs
	}
	if errs == nil {
		errs = map[string]string{}
	}
	errs[field] = msg
	return "", errs
}

// placeFilter is the input of a list filter choosing a place by name, with suggestions.
func placeFilter(kind, name, label, hint, value, msg string) formField {
	id := "filtre-" + name
	return formField{ID: id, Name: name, Label: label, Hint: hint, Type: "text", Value: value, Error: msg,
		Place: &placeField{ID: id, Name: name, Kind: kind, Label: label, Hint: hint, Value: value, Error: msg}}
}
