package app

import (
	"errors"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/ac-creteil/pilotage/models"
	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"
)

// newValidator builds the validator of forms and filters, with the product's own rules.
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		for _, tag := range []string{"query", "form"} {
			if name, _, _ := strings.Cut(f.Tag.Get(tag), ","); name != "" && name != "-" {
				return name
			}
		}
		return f.Name
	})
	rules := map[string]func(string) bool{
		"departement": models.ValidDepartementCode,
		"insee":       models.ValidINSEE,
		"siren":       models.ValidSIREN,
		"uai":         func(s string) bool { return models.CheckUAI(s) == "" },
		// PostgreSQL text refuses NUL bytes: they are invalid input, like broken UTF-8.
		"validutf8": func(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) },
	}
	for tag, ok := range rules {
		_ = v.RegisterValidation(tag, func(fl validator.FieldLevel) bool { return ok(fl.Field().String()) })
	}
	_ = v.RegisterValidation("cursor", validCursor) // the lists' pagination cursors (list_paging.go)
	return v
}

// messages are the French messages of the validation rules.
var messages = map[string]string{
	"required":    "Ce champ est obligatoire.",
	"max":         "Valeur trop longue.",
	"oneof":       "Valeur non reconnue : choisissez dans la liste.",
	"numeric":     "Nombre entier attendu.",
	"departement": "Code de département invalide (exemple : 93).",
	"insee":       "Code INSEE invalide : 5 caractères (exemple : 93008).",
	"siren":       "SIREN invalide : 9 chiffres.",
	"uai":         "UAI invalide : 7 chiffres et la lettre de contrôle (exemple : 0930388S).",
	"validutf8":   "Caractères invalides.",
	"cursor":      "Lien de pagination invalide ou périmé : revenez à la première page.",
}

// fieldErrors validates v and returns the French message of each invalid field, or nil.
func fieldErrors(val *validator.Validate, v any) map[string]string {
	err := val.Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return map[string]string{"": "Paramètres invalides."}
	}
	out := make(map[string]string, len(verrs))
	for _, fe := range verrs {
		if _, seen := out[fe.Field()]; seen {
			continue
		}
		msg, ok := messages[fe.Tag()]
		if !ok {
			msg = "Valeur invalide."
		}
		if fe.Tag() == "max" {
			msg = "Valeur trop longue : " + fe.Param() + " caractères au maximum."
		}
		out[fe.Field()] = msg
	}
	return out
}

// bindQuery copies the query parameters into dst (a struct of strings with `query` tags):
// binding strings never fails, so every check happens in validation, in French.
func bindQuery(c echo.Context, dst any) {
	_ = (&echo.DefaultBinder{}).BindQueryParams(c, dst)
}
