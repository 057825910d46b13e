package models

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// The statuses of a session (FormationStatuts).
const (
	FormationPlanifiee = "planifiee"
	FormationOuverte   = "ouverte"
	FormationComplete  = "complete"
	FormationTenue     = "tenue"
	FormationAnnulee   = "annulee"
)

// Limits of a session's fields.
const (
	MaxFormationLieu  = 300
	MaxFormationLien  = 500
	MaxFormationNotes = 5000
	MaxFormationDuree = 1440
	MaxFormationPlace = 10000
)

// FormationRow is a session as pages show it: the names of its module, plan,
// circonscription and trainer, and the headcount of its waiting list. The trainer is a
// contact acting in a public capacity: their name shows to whoever reads the session;
// FormateurLisible says whether the reader may open the contact's page.
type FormationRow struct {
	Formation
	ModuleLibelle      string
	PlanAnnee          string
	PlanTitre          string
	CirconscriptionNom *string
	FormateurNom       *string
	EnAttente          int
	FormateurLisible   bool `gorm:"-"`
}

// PlacesRestantes is the number of seats still free.
func (r FormationRow) PlacesRestantes() int { return max(r.Capacite-r.Inscrits, 0) }

// StatutLabel is the French label of the session's status.
func (f Formation) StatutLabel() string { return LabelOf(FormationStatuts, f.Statut) }

// PublicLabel is the French label of the session's audience.
func (f Formation) PublicLabel() string { return LabelOf(FormationPublics, f.Public) }

// DateLabel is the session's day, "09/01/2027".
func (f Formation) DateLabel() string { return fr.Day(f.DateSession) }

// HeureLabel is the start time as French pages write it, "14h30".
func (f Formation) HeureLabel() string { return strings.Replace(f.HeureDebut, ":", "h", 1) }

// DureeLabel is the duration, "3 h", "1 h 30" or "45 min".
func (f Formation) DureeLabel() string {
	h, m := f.DureeMinutes/60, f.DureeMinutes%60
	switch {
	case h == 0:
		return strconv.Itoa(m) + " min"
	case m == 0:
		return strconv.Itoa(h) + " h"
	}
	return strconv.Itoa(h) + " h " + strconv.Itoa(m)
}

// Debut is the start of the session (Europe/Paris).
func (f Formation) Debut() time.Time {
	hh, mm, _ := strings.Cut(f.HeureDebut, ":")
	h, _ := strconv.Atoi(hh)
	m, _ := strconv.Atoi(mm)
	d := f.DateSession.UTC()
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, fr.Paris())
}

// Fin is the end of the session.
func (f Formation) Fin() time.Time { return f.Debut().Add(time.Duration(f.DureeMinutes) * time.Minute) }

// Annulee reports whether the session is cancelled.
func (f Formation) Annulee() bool { return f.Statut == FormationAnnulee }

// LieuLabel is the place, or "À distance".
func (f Formation) LieuLabel() string {
	if f.ADistance {
		return "À distance"
	}
	return f.Lieu
}

// TerritoireLabel is the circonscription's name, or "Département 94" for a session of the
// whole département.
func (r FormationRow) TerritoireLabel() string {
	if r.CodeCirconscription == nil {
		return "Département " + r.DepartementCode
	}
	return PlaceLabel(deref(r.CirconscriptionNom), *r.CodeCirconscription)
}

// Titre is "Prise en main de l'ENT — 09/01/2027".
func (r FormationRow) Titre() string { return r.ModuleLibelle + " — " + r.DateLabel() }

var formationFields = []Choice{{"plan", "Plan"}, {"module", "Module"}, {"public", "Public"},
	{"territoire", "Territoire"}, {"lieu", "Lieu"}, {"lien", "Lien"}, {"date", "Date"}, {"heure", "Heure"},
	{"duree", "Durée"}, {"formateur", "Formateur"}, {"capacite", "Capacité"}, {"statut", "Statut"}, {"notes", "Notes"}}

func (r FormationRow) auditValues() map[string]string {
	return map[string]string{"plan": r.PlanAnnee + " " + r.DepartementCode, "module": r.ModuleLibelle,
		"public": r.PublicLabel(), "territoire": r.TerritoireLabel(), "lieu": r.LieuLabel(), "lien": r.Lien,
		"date": r.DateLabel(), "heure": r.HeureLabel(), "duree": r.DureeLabel(), "formateur": deref(r.FormateurNom),
		"capacite": strconv.Itoa(r.Capacite), "statut": r.StatutLabel(), "notes": r.Notes}
}

// FormationInput is what the session form gives: the day JJ/MM/AAAA (or AAAA-MM-JJ), the
// start time "14:30" or "14h30", the duration in minutes and the capacity as typed, the
// circonscription's code ("" : the whole département), the trainer's contact (0: none).
type FormationInput struct {
	PlanID, ModuleID              int64
	Public, Circonscription, Lieu string
	ADistance                     bool
	Lien, Date, HeureDebut        string
	DureeMinutes, Capacite        string
	FormateurID                   int64
	Statut, Notes                 string
}

func (in FormationInput) normalize() FormationInput {
	in.Public, in.Circonscription = strings.TrimSpace(in.Public), strings.ToUpper(strings.TrimSpace(in.Circonscription))
	in.Lieu, in.Lien, in.Statut = strings.TrimSpace(in.Lieu), strings.TrimSpace(in.Lien), strings.TrimSpace(in.Statut)
	in.Date, in.HeureDebut = strings.TrimSpace(in.Date), strings.TrimSpace(in.HeureDebut)
	in.DureeMinutes, in.Capacite = strings.TrimSpace(in.DureeMinutes), strings.TrimSpace(in.Capacite)
	in.Notes = strings.TrimSpace(strings.ReplaceAll(in.Notes, "\r\n", "\n"))
	if in.Statut == "" {
		in.Statut = FormationPlanifiee
	}
	if in.ADistance {
		in.Lieu = ""
	}
	return in
}

var heurePattern = regexp.MustCompile(`^([0-9]{1,2}) ?[:hH] ?([0-9]{2})?$`)

// ParseHeure reads "14:30", "14h30", "9h" or "09:05" and returns "HH:MM"; ok is false for
// anything else or a time that does not exist.
func ParseHeure(s string) (string, bool) {
	m := heurePattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", false
	}
	h, _ := strconv.Atoi(m[1])
	mi := 0
	if m[2] != "" {
		mi, _ = strconv.Atoi(m[2])
	}
	if h > 23 || mi > 59 {
		return "", false
	}
	return time.Date(2000, 1, 1, h, mi, 0, 0, time.UTC).Format("15:04"), true
}

// intProblem reads a whole number typed in a form between lo and hi.
func intProblem(subject, v string, lo, hi int) (int, string) {
	n, err := strconv.Atoi(strings.ReplaceAll(v, " ", ""))
	switch {
	case v == "":
		return 0, subject + " est obligatoire."
	case err != nil:
		return 0, subject + " doit être un nombre entier (exemple : " + strconv.Itoa(lo+hi/100) + ")."
	case n < lo || n > hi:
		return 0, subject + " doit être comprise entre " + fr.Int(lo) + " et " + fr.Int(hi) + "."
	}
	return n, ""
}

// checkFormationFields validates what the form gives on its own (field errors in French).
func checkFormationFields(in FormationInput, f *Formation, errs *ValidationError) {
	f.Public, f.Lieu, f.ADistance, f.Lien, f.Statut, f.Notes = in.Public, in.Lieu, in.ADistance, in.Lien, in.Statut, in.Notes
	if !slices.Contains(ChoiceValues(FormationPublics), in.Public) {
		errs.Add(0, "public", "Choisissez le public de la session dans la liste.")
	}
	if in.Date == "" {
		errs.Add(0, "date", "Indiquez la date de la session (JJ/MM/AAAA).")
	} else if t, msg := DayProblem("La date de la session", in.Date); msg != "" {
		errs.Add(0, "date", msg)
	} else {
		f.DateSession = dateOnly(t)
	}
	if h, ok := ParseHeure(in.HeureDebut); ok {
		f.HeureDebut = h
	} else {
		errs.Add(0, "heure_debut", "Heure invalide : écrivez-la HH:MM ou 14h30.")
	}
	if n, msg := intProblem("La durée", in.DureeMinutes, 1, MaxFormationDuree); msg != "" {
		errs.Add(0, "duree_minutes", msg+" (en minutes)")
	} else {
		f.DureeMinutes = n
	}
	if n, msg := intProblem("La capacité", in.Capacite, 1, MaxFormationPlace); msg != "" {
		errs.Add(0, "capacite", msg)
	} else {
		f.Capacite = n
	}
	checkFormationPlace(in, errs)
	if msg := textProblem("Les notes", in.Notes, MaxFormationNotes, false, true); msg != "" {
		errs.Add(0, "notes", msg)
	}
	if !slices.Contains(ChoiceValues(FormationStatuts), in.Statut) {
		errs.Add(0, "statut", "Statut inconnu : choisissez dans la liste.")
	}
}

// checkFormationPlace checks the place, or the link of a session held at a distance.
func checkFormationPlace(in FormationInput, errs *ValidationError) {
	if !in.ADistance {
		if msg := textProblem("Le lieu", in.Lieu, MaxFormationLieu, true, false); msg != "" {
			errs.Add(0, "lieu", msg+" Cochez « À distance » pour une session en ligne.")
		}
	}
	if in.Lien == "" {
		if in.ADistance {
			errs.Add(0, "lien", "Indiquez le lien de la session à distance (https://…).")
		}
		return
	}
	u, err := url.Parse(in.Lien)
	if msg := textProblem("Le lien", in.Lien, MaxFormationLien, false, false); msg != "" {
		errs.Add(0, "lien", msg)
	} else if err != nil || u.Scheme != "https" || u.Host == "" || strings.ContainsAny(in.Lien, " \"<>\\`") {
		errs.Add(0, "lien", "Lien invalide : il commence par https:// (exemple : https://visio.ac-creteil.fr/salle).")
	}
}

// checkFormation validates the input against the reference data and the actor's scope: a
// live plan they read, a live module, a circonscription of the plan's département, a
// trainer among the contacts they read. It returns the session it describes.
func checkFormation(tx *gorm.DB, actor Actor, in FormationInput) (Formation, error) {
	var errs ValidationError
	var f Formation
	checkFormationFields(in, &f, &errs)
	var plan PlanFormation
	if in.PlanID > 0 {
		if err := actor.Scope.restrictTo(tx.Table("plans_formation AS p"), EntityPlanFormation, "p").
			Where("p.id = ? AND p.archived_at IS NULL", in.PlanID).Limit(1).Scan(&plan).Error; err != nil {
			return f, err
		}
	}
	if plan.ID == 0 {
		errs.Add(0, "plan", "Choisissez le plan de formation de la session.")
	}
	f.PlanID, f.DepartementCode = plan.ID, plan.DepartementCode
	var n int64
	if in.ModuleID > 0 {
		if err := tx.Table("formation_modules").Where("id = ? AND archived_at IS NULL", in.ModuleID).Count(&n).Error; err != nil {
			return f, err
		}
	}
	if n == 0 {
		errs.Add(0, "module", "Choisissez le module de la session dans le catalogue.")
	}
	f.ModuleID = in.ModuleID
	if err := checkFormationCirco(tx, in, plan, &f, &errs); err != nil {
		return f, err
	}
	if in.FormateurID > 0 {
		ok, err := readableContacts(tx, actor.Scope, []int64{in.FormateurID})
		if err != nil {
			return f, err
		}
		if !ok[in.FormateurID] {
			errs.Add(0, "formateur", "Formateur inconnu : choisissez un contact de la liste.")
		}
		id := in.FormateurID
		f.FormateurID = &id
	}
	return f, errs.OrNil()
}

// checkFormationCirco reads the circonscription: one of the plan's département, live.
func checkFormationCirco(tx *gorm.DB, in FormationInput, plan PlanFormation, f *Formation, errs *ValidationError) error {
	if in.Circonscription == "" {
		return nil
	}
	var n int64
	if plan.ID != 0 && len(in.Circonscription) <= 10 {
		if err := tx.Table("circonscriptions").Where("code = ? AND departement_code = ? AND archived_at IS NULL",
			dbText(in.Circonscription), plan.DepartementCode).Count(&n).Error; err != nil {
			return err
		}
	}
	if n == 0 {
		if plan.ID != 0 {
			errs.Add(0, "circonscription", "Choisissez une circonscription du département "+plan.DepartementCode+
				", ou aucune pour une session du département.")
		}
		return nil
	}
	c := in.Circonscription
	f.CodeCirconscription = &c
	return nil
}

// formationPlace is the territory columns of a session, for the write rule.
func formationPlace(f Formation) map[string]*string {
	dep := f.DepartementCode
	return map[string]*string{"departement_code": &dep, "code_circonscription": f.CodeCirconscription}
}

// mayPlaceFormation is ErrForbidden unless the actor writes a session placed as f.
func mayPlaceFormation(tx *gorm.DB, actor Actor, f Formation) error {
	ok, err := writesPlace(tx, actor, EntityFormation, formationPlace(f), nil)
	if err != nil {
		return err
	}
	return forbiddenUnless(ok)
}
