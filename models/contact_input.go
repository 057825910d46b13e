package models

import (
	"net/mail"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

// ContactPurpose is the purpose statement shown on the contact form (RGPD, articles 13
// and 14): why the data are collected, on which legal basis, for how long, and the rights
// of the person.
const ContactPurpose = "Ces informations servent à joindre les personnes qui participent au pilotage et au " +
	"déploiement des ENT du premier degré de l'académie (instances, conventions, financements, " +
	"formations). Base légale : mission d'intérêt public confiée au Rectorat (article 6.1.e du RGPD). " +
	"Seules les coordonnées professionnelles utiles sont enregistrées ; elles ne sont visibles que des " +
	"agents et partenaires habilités, et chaque consultation d'une fiche est journalisée. Durée de " +
	"conservation : 3 ans après la dernière mise à jour de la fiche, puis anonymisation. La personne peut " +
	"accéder à ses données, les faire rectifier, s'opposer à leur traitement ou en demander l'effacement " +
	"auprès de l'administrateur de l'application ou du délégué à la protection des données de l'académie, " +
	"et saisir la CNIL."

// Limits of a contact's fields, in characters.
const (
	maxContactNom      = 100
	maxContactPrenom   = 100
	maxContactFonction = 200
	maxContactEmail    = 254
	maxContactNotes    = 2000
)

// normalize trims the input: spaces around single-line fields, trailing spaces of the
// notes, the email in lower case, a French phone number in groups of two digits.
func (in ContactInput) normalize() ContactInput {
	in.Nom = strings.Join(strings.Fields(in.Nom), " ")
	in.Prenom = strings.Join(strings.Fields(in.Prenom), " ")
	in.Fonction = strings.Join(strings.Fields(in.Fonction), " ")
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.Telephone = strings.TrimSpace(in.Telephone)
	if phone, ok := NormalizePhone(in.Telephone); ok {
		in.Telephone = phone
	}
	in.Notes = strings.TrimSpace(strings.ReplaceAll(in.Notes, "\r\n", "\n"))
	return in
}

// Check returns the French message of each invalid field of a contact, checked without
// the database (lengths, formats, characters); field names are those of the form. The
// HTTP layer calls it before anything else, the Store again with the database's checks.
func (in ContactInput) Check() *ValidationError {
	in = in.normalize()
	var errs ValidationError
	if in.OrganisationID <= 0 {
		errs.Add(0, "organisation", "Choisissez l'organisation de la personne.")
	}
	text := func(field, label, v string, max int, required, multiline bool) {
		switch {
		case required && v == "":
			errs.Add(0, field, label+" est obligatoire.")
		case !contactText(v, multiline):
			errs.Add(0, field, label+" contient des caractères invalides.")
		case utf8.RuneCountInString(v) > max:
			errs.Add(0, field, label+" ne doit pas dépasser "+strconv.Itoa(max)+" caractères.")
		}
	}
	text("nom", "Le nom", in.Nom, maxContactNom, true, false)
	text("prenom", "Le prénom", in.Prenom, maxContactPrenom, false, false)
	text("fonction", "La fonction", in.Fonction, maxContactFonction, false, false)
	text("notes", "Le champ notes", in.Notes, maxContactNotes, false, true)
	if in.Email != "" {
		if msg := checkContactEmail(in.Email); msg != "" {
			errs.Add(0, "email", msg)
		}
	}
	if in.Telephone != "" {
		if _, ok := NormalizePhone(in.Telephone); !ok {
			errs.Add(0, "telephone", "Numéro de téléphone invalide : 10 chiffres (exemple : 01 43 93 70 00) ou format international (+33 1 43 93 70 00).")
		}
	}
	if len(errs.Errors) == 0 {
		return nil
	}
	return &errs
}

// validateContact checks the input (Check) and that the organisation is one the actor may
// write for; it returns the organisation's audit label.
func (s *Store) validateContact(tx *gorm.DB, actor Actor, in ContactInput) (string, error) {
	errs := in.Check()
	if errs == nil {
		errs = &ValidationError{}
	}
	if in.OrganisationID > 0 {
		visible, err := contactOrgVisible(tx, actor, in.OrganisationID)
		if err != nil {
			return "", err
		}
		writable := false
		if visible {
			if writable, err = contactOrgWritable(tx, actor, in.OrganisationID); err != nil {
				return "", err
			}
		}
		switch {
		case !visible:
			errs.Add(0, "organisation", "Organisation inconnue : choisissez-la dans la liste.")
		case !writable:
			errs.Add(0, "organisation", "Vous ne pouvez pas gérer les contacts de cette organisation : choisissez-en une de la liste.")
		}
	}
	if err := errs.OrNil(); err != nil {
		return "", err
	}
	return contactOrgLabel(tx, in.OrganisationID)
}

// contactText reports whether a typed text is acceptable: valid UTF-8, no NUL nor control
// characters (line breaks and tabs are allowed in multi-line fields).
func contactText(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\n' || r == '\t' {
			if multiline {
				continue
			}
			return false
		}
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// checkContactEmail returns the French message about an invalid email, "" when it is valid:
// a bare address (no display name), with a domain, at most 254 characters.
func checkContactEmail(e string) string {
	msg := "Adresse électronique invalide (exemple : prenom.nom@mairie-bobigny.fr)."
	if !contactText(e, false) {
		return msg
	}
	if len(e) > maxContactEmail {
		return "L'adresse électronique ne doit pas dépasser 254 caractères."
	}
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e || strings.ContainsAny(e, "<> \"") {
		return msg
	}
	at := strings.LastIndexByte(e, '@')
	if at <= 0 || !strings.Contains(e[at+1:], ".") || strings.HasSuffix(e, ".") {
		return msg
	}
	return ""
}

// NormalizePhone checks a phone number as French users type it and returns it in a
// canonical form: a national number of 10 digits starting with 0 ("01 43 93 70 00"), a
// French international number ("+33 1 43 93 70 00"), or another international number (+
// and 8 to 15 digits, kept as typed). Only digits, spaces, dots and a leading + are
// accepted.
func NormalizePhone(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 30 {
		return "", false
	}
	var digits strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == ' ' || r == '.':
		case r == '+' && i == 0:
		default:
			return "", false
		}
	}
	d := digits.String()
	pairs := func(d string) string {
		var b strings.Builder
		for i := 0; i < len(d); i += 2 {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(d[i:min(i+2, len(d))])
		}
		return b.String()
	}
	switch {
	case strings.HasPrefix(s, "+33"):
		rest := d[2:]
		if len(rest) != 9 || rest[0] == '0' {
			return "", false
		}
		return "+33 " + rest[:1] + " " + pairs(rest[1:]), true
	case strings.HasPrefix(s, "+"):
		if len(d) < 8 || len(d) > 15 || d[0] == '0' {
			return "", false
		}
		return strings.Join(strings.Fields(s), " "), true
	case len(d) == 10 && d[0] == '0' && d[1] != '0':
		return pairs(d), true
	}
	return "", false
}
