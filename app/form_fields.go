package app

import "github.com/ac-creteil/pilotage/models"

// The fields of the forms and filters, as the partials "field", "select" and "check" want
// them. Every form of the product builds its fields from these types.

// formField is a text input (Type: text, email, tel, search, date...) or, with Textarea, a
// textarea, with its French hint and error. Max bounds its length, Autocomplete helps the
// browser fill it.
type formField struct {
	ID, Name, Label, Hint, Type, Value, Error, Autocomplete string
	Required, Textarea                                      bool
	Max                                                     int
	Place                                                   *placeField // a list filter choosing a place by name (app/places.go)
}

// selectField is a select of a form; All labels the empty choice.
type selectField struct {
	ID, Name, Label, Hint, All, Value, Error string
	Choices                                  []models.Choice
}

// checkField is a checkbox.
type checkField struct {
	ID, Name, Value, Label string
	Checked                bool
}
