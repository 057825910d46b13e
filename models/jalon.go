package models

import (
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// The statuses of a milestone.
const (
	JalonAVenir  = "a_venir"
	JalonEnCours = "en_cours"
	JalonAtteint = "atteint"
	JalonAnnule  = "annule"
)

// JalonStatuts lists the statuses of a milestone with their French labels.
var JalonStatuts = []Choice{{JalonAVenir, "À venir"}, {JalonEnCours, "En cours"}, {JalonAtteint, "Atteint"}, {JalonAnnule, "Annulé"}}

// JalonNiveaux lists the levels of a milestone with their French labels.
var JalonNiveaux = []Choice{{NiveauAcademie, "Académie"}, {NiveauDepartement, "Département"}, {NiveauCommune, "Commune"}}

// Limits of a milestone's texts, in characters.
const (
	MaxJalonTitre       = 200
	MaxJalonDescription = 5000
)

// Jalon is a milestone of the programme: the académie's, a département's or a commune's
// (its département set too). Whether it is late is derived (JalonRow.EnRetard), never typed.
type Jalon struct {
	ID              int64
	Titre           string
	Description     string
	Niveau          string
	DepartementCode *string
	CodeINSEE       *string `gorm:"column:code_insee"`
	DatePrevue      time.Time
	DateEffective   *time.Time
	Statut          string
	ConventionID    *int64
	VagueID         *int64
	DecisionID      *int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ArchivedAt      *time.Time
	Version         int
}

// TableName is the jalons table.
func (Jalon) TableName() string { return "jalons" }

// JalonRow is a milestone as pages show it: the names of its commune and of the records it
// links to, and whether it is late (its planned day has passed, and it is neither reached
// nor cancelled).
type JalonRow struct {
	Jalon
	CommuneNom    string
	ConventionRef string
	VagueNom      string
	EnRetard      bool `gorm:"-"`
}

// StatutLabel is the French label of the milestone's status.
func (j Jalon) StatutLabel() string { return LabelOf(JalonStatuts, j.Statut) }

// NiveauLabel is the French label of the milestone's level.
func (j Jalon) NiveauLabel() string { return LabelOf(JalonNiveaux, j.Niveau) }

// Closed reports whether the milestone is reached or cancelled: it can no longer be late.
func (j Jalon) Closed() bool { return j.Statut == JalonAtteint || j.Statut == JalonAnnule }

// late reports whether the milestone is open and planned before today (YYYY-MM-DD).
func (j Jalon) late(today string) bool {
	return !j.Closed() && j.DatePrevue.UTC().Format(time.DateOnly) < today
}

// TerritoireLabel is "Académie", "Département 93" or "Bobigny (93008)".
func (j JalonRow) TerritoireLabel() string {
	return DecisionTerritoire{Niveau: j.Niveau, Code: j.territoryCode(), Nom: j.CommuneNom}.Label()
}

func (j JalonRow) territoryCode() string {
	if j.Niveau == NiveauCommune {
		return deref(j.CodeINSEE)
	}
	return deref(j.DepartementCode)
}

// DatePrevueLabel is the planned day, "09/01/2012".
func (j Jalon) DatePrevueLabel() string { return fr.Day(j.DatePrevue) }

// DateEffectiveLabel is the actual day, "" without.
func (j Jalon) DateEffectiveLabel() string {
	if j.DateEffective == nil {
		return ""
	}
	return fr.Day(*j.DateEffective)
}

// DecisionLabel is "Décision n° 12", "" without a decision.
func (j Jalon) DecisionLabel() string {
	if j.DecisionID == nil {
		return ""
	}
	return "Décision n° " + strconv.FormatInt(*j.DecisionID, 10)
}

var jalonFields = []Choice{{"titre", "Titre"}, {"description", "Description"}, {"territoire", "Territoire"},
	{"date_prevue", "Date prévue"}, {"date_effective", "Date effective"}, {"statut", "Statut"},
	{"convention", "Convention"}, {"vague", "Vague"}, {"decision", "Décision"}}

func (j JalonRow) auditValues() map[string]string {
	return map[string]string{"titre": j.Titre, "description": j.Description, "territoire": j.TerritoireLabel(),
		"date_prevue": j.DatePrevueLabel(), "date_effective": j.DateEffectiveLabel(), "statut": j.StatutLabel(),
		"convention": j.ConventionRef, "vague": j.VagueNom, "decision": j.DecisionLabel()}
}

// JalonInput is what the milestone form gives: dates JJ/MM/AAAA (or AAAA-MM-JJ), the
// département of a département's milestone, the INSEE code of a commune's; the linked
// records by id (0: none).
type JalonInput struct {
	Titre, Description, Niveau        string
	Departement, Commune              string
	DatePrevue, DateEffective, Statut string
	ConventionID, VagueID, DecisionID int64
}

func (in JalonInput) normalize() JalonInput {
	in.Titre, in.Niveau, in.Statut = strings.TrimSpace(in.Titre), strings.TrimSpace(in.Niveau), strings.TrimSpace(in.Statut)
	in.Description = strings.TrimSpace(strings.ReplaceAll(in.Description, "\r\n", "\n"))
	in.Departement, in.Commune = strings.TrimSpace(in.Departement), strings.ToUpper(strings.TrimSpace(in.Commune))
	if in.Statut == "" {
		in.Statut = JalonAVenir
	}
	return in
}

// checkJalon validates the input (field errors in French), reads its territory from the
// reference data and checks that the actor reads the records it links to.
func checkJalon(tx *gorm.DB, actor Actor, in JalonInput) (Jalon, error) {
	var errs ValidationError
	j := Jalon{Titre: in.Titre, Description: in.Description, Niveau: in.Niveau, Statut: in.Statut}
	if msg := textProblem("Le titre", in.Titre, MaxJalonTitre, true, false); msg != "" {
		errs.Add(0, "titre", msg)
	}
	if msg := textProblem("La description", in.Description, MaxJalonDescription, false, true); msg != "" {
		errs.Add(0, "description", msg)
	}
	if err := checkJalonPlace(tx, in, &j, &errs); err != nil {
		return j, err
	}
	checkJalonDates(in, &j, &errs)
	if err := checkJalonLinks(tx, actor.Scope, in, &j, &errs); err != nil {
		return j, err
	}
	return j, errs.OrNil()
}

// checkJalonPlace reads the level and the territory of the milestone.
func checkJalonPlace(tx *gorm.DB, in JalonInput, j *Jalon, errs *ValidationError) error {
	switch in.Niveau {
	case NiveauAcademie:
	case NiveauDepartement:
		var d Departement
		found, err := lookup(tx.Select("code").Where("code = ?", in.Departement), &d, ValidDepartementCode(in.Departement))
		if err != nil {
			return err
		}
		if !found {
			errs.Add(0, "departement", "Choisissez le département du jalon.")
		}
		j.DepartementCode = &d.Code
	case NiveauCommune:
		var c struct {
			CodeINSEE       string `gorm:"column:code_insee"`
			DepartementCode string
		}
		if in.Commune != "" && len(in.Commune) <= 5 {
			if err := tx.Table("communes").Select("code_insee, departement_code").Where("code_insee = ?", dbText(in.Commune)).
				Limit(1).Scan(&c).Error; err != nil {
				return err
			}
		}
		if c.CodeINSEE == "" {
			errs.Add(0, "commune", "Commune inconnue : indiquez son nom ou son code INSEE (exemple : 93008).")
		}
		j.CodeINSEE, j.DepartementCode = &c.CodeINSEE, &c.DepartementCode
	case "":
		errs.Add(0, "niveau", "Choisissez le niveau du jalon : académie, département ou commune.")
	default:
		errs.Add(0, "niveau", "Niveau inconnu : choisissez dans la liste.")
	}
	return nil
}

// checkJalonDates reads the planned and actual days and the status: a reached milestone
// has its actual day, and only it has one.
func checkJalonDates(in JalonInput, j *Jalon, errs *ValidationError) {
	if strings.TrimSpace(in.DatePrevue) == "" {
		errs.Add(0, "date_prevue", "Indiquez la date prévue du jalon (JJ/MM/AAAA).")
	} else if t, msg := DayProblem("La date prévue", in.DatePrevue); msg != "" {
		errs.Add(0, "date_prevue", msg)
	} else {
		j.DatePrevue = t
	}
	if strings.TrimSpace(in.DateEffective) != "" {
		if t, msg := DayProblem("La date effective", in.DateEffective); msg != "" {
			errs.Add(0, "date_effective", msg)
		} else {
			j.DateEffective = &t
		}
	}
	switch {
	case LabelOf(JalonStatuts, in.Statut) == in.Statut:
		errs.Add(0, "statut", "Statut inconnu : choisissez dans la liste.")
	case in.Statut == JalonAtteint && j.DateEffective == nil && strings.TrimSpace(in.DateEffective) == "":
		errs.Add(0, "date_effective", "Indiquez la date à laquelle le jalon a été atteint.")
	case in.Statut != JalonAtteint && j.DateEffective != nil:
		errs.Add(0, "date_effective", "La date effective ne s'indique que pour un jalon atteint : choisissez le statut « Atteint » ou videz ce champ.")
	}
}

// checkJalonLinks checks that the convention, the wave and the decision linked exist and
// lie in the actor's scope.
func checkJalonLinks(tx *gorm.DB, scope Scope, in JalonInput, j *Jalon, errs *ValidationError) error {
	for _, l := range []struct {
		id     int64
		e      Entity
		field  string
		msg    string
		target **int64
	}{
		{in.ConventionID, EntityConvention, "convention", "Convention inconnue : choisissez dans la liste.", &j.ConventionID},
		{in.VagueID, EntityVague, "vague", "Vague inconnue : choisissez dans la liste.", &j.VagueID},
		{in.DecisionID, EntityDecision, "decision", "Décision inconnue : choisissez dans la liste.", &j.DecisionID},
	} {
		if l.id == 0 {
			continue
		}
		ok, err := reads(tx, scope, l.e, l.id)
		if err != nil {
			return err
		}
		if !ok {
			errs.Add(0, l.field, l.msg)
			continue
		}
		id := l.id
		*l.target = &id
	}
	return nil
}

// jalonPlace is the territory columns of a milestone, for the write rule.
func jalonPlace(j Jalon) map[string]*string {
	return map[string]*string{"departement_code": j.DepartementCode, "code_insee": j.CodeINSEE}
}

// mayPlaceJalon is ErrForbidden unless the actor writes a milestone placed as j.
func mayPlaceJalon(tx *gorm.DB, actor Actor, j Jalon) error {
	ok, err := writesPlace(tx, actor, EntityJalon, jalonPlace(j), nil)
	if err != nil {
		return err
	}
	return forbiddenUnless(ok)
}
