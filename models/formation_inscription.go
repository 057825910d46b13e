package models

import (
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// Registrations to a training session (issue 13): a named participant (one seat) or an
// école with a headcount. Seats are taken by one conditional UPDATE of formations.inscrits
// in the registration's transaction (takeSeats), so that the capacity holds under
// concurrency on both engines; beyond it the registration waits, and is promoted in the
// order of its id when seats free up. The name, function and email of a participant are
// personal data under the contacts' rules: never in the audit log, masked for the lecteur
// and the AMIF, each consultation of a list showing them logged, erasable.

// The kinds and statuses of a registration.
const (
	InscriptionParticipant = "participant"
	InscriptionEcole       = "ecole"
	InscriptionInscrit     = "inscrit"
	InscriptionAttente     = "attente"
	InscriptionAnnulee     = "annulee"
)

// InscriptionKinds are the kinds of a registration.
var InscriptionKinds = []Choice{{InscriptionParticipant, "Participant"}, {InscriptionEcole, "École (effectif)"}}

// InscriptionPurpose is the purpose statement shown on the registration form (RGPD).
const InscriptionPurpose = "Le nom, la fonction et l'adresse électronique d'un participant servent à organiser " +
	"la session (liste des inscrits, feuille d'émargement, attestation de présence) et à mesurer la formation " +
	"des équipes des écoles ouvertes à l'ENT. Base légale : mission d'intérêt public (article 6.1.e du RGPD). " +
	"Ils ne sont visibles que des personnes qui organisent la session, chaque consultation est journalisée, " +
	"et la personne peut en demander l'effacement auprès de l'administrateur de l'application."

// Limits of a registration's fields.
const (
	maxInscriptionNom      = 100
	maxInscriptionFonction = 200
	MaxInscriptionEffectif = 1000
)

// inscriptionEntity is the audit log's name for registrations; the consultations of a
// session's list are logged under inscriptionsEntity with the session's id.
const (
	inscriptionEntity  = "inscription"
	inscriptionsEntity = "inscriptions"
)

// inscriptionPersonal are the fields whose values never enter the audit log: the same as a
// contact's, logged as contactChanges does ("renseigné", "modifié" or "effacé" only).
var inscriptionPersonal = []string{"nom", "fonction", "email"}

var inscriptionFields = []Choice{{"kind", "Type"}, {"ecole", "École"}, {"commune", "Commune"}, {"effectif", "Effectif"},
	{"statut", "Statut"}, {"presence", "Présence"}, {"presents", "Présents"}}

// inscriptionChanges lists the changed fields, the personal ones without their values.
func inscriptionChanges(before, after map[string]string) []Change {
	pb, pa := map[string]string{}, map[string]string{}
	for _, f := range inscriptionPersonal {
		pb[f], pa[f] = before[f], after[f]
	}
	return append(contactChanges(pb, pa), diff(inscriptionFields, before, after)...)
}

func (i FormationInscription) auditValues() map[string]string {
	v := map[string]string{"kind": LabelOf(InscriptionKinds, i.Kind), "nom": i.Nom, "fonction": i.Fonction,
		"email": i.Email, "ecole": deref(i.UAI), "commune": deref(i.CodeINSEE), "effectif": strconv.Itoa(i.Effectif),
		"statut": LabelOf(InscriptionStatuts, i.Statut), "presence": LabelOf(FormationPresences, i.Presence)}
	if i.Presents != nil {
		v["presents"] = strconv.Itoa(*i.Presents)
	}
	return v
}

// InscriptionInput is what the registration form (or an imported row) gives.
type InscriptionInput struct {
	Kind, Nom, Fonction, Email string
	UAI, Commune, Effectif     string
}

func (in InscriptionInput) normalize() InscriptionInput {
	in.Kind = strings.TrimSpace(in.Kind)
	in.Nom = strings.Join(strings.Fields(in.Nom), " ")
	in.Fonction = strings.Join(strings.Fields(in.Fonction), " ")
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.UAI = strings.ToUpper(strings.TrimSpace(in.UAI))
	in.Commune = strings.ToUpper(strings.TrimSpace(in.Commune))
	in.Effectif = strings.TrimSpace(in.Effectif)
	return in
}

// checkInscription validates the input against the session f (field errors in French,
// line given for an imported row) and returns the registration to store.
func checkInscription(tx *gorm.DB, actor Actor, f Formation, in InscriptionInput, line int) (FormationInscription, error) {
	var errs ValidationError
	r := FormationInscription{FormationID: f.ID, Kind: in.Kind, Effectif: 1}
	switch in.Kind {
	case InscriptionParticipant:
		r.Nom, r.Fonction, r.Email = in.Nom, in.Fonction, in.Email
		if msg := textProblem("Le nom", in.Nom, maxInscriptionNom, true, false); msg != "" {
			errs.Add(line, "nom", msg)
		}
		if msg := textProblem("La fonction", in.Fonction, maxInscriptionFonction, false, false); msg != "" {
			errs.Add(line, "fonction", msg)
		}
		if in.Email != "" {
			if msg := checkContactEmail(in.Email); msg != "" {
				errs.Add(line, "email", msg)
			}
		}
	case InscriptionEcole:
		n, err := strconv.Atoi(in.Effectif)
		if err != nil || n < 1 || n > MaxInscriptionEffectif {
			errs.Add(line, "effectif", "Indiquez l'effectif inscrit : un nombre entier de 1 à 1000.")
		}
		r.Effectif = n
		if in.UAI == "" {
			errs.Add(line, "uai", "Indiquez l'école inscrite (son UAI, exemple : 0930001A).")
		}
	default:
		errs.Add(line, "kind", "Choisissez s'il s'agit d'un participant ou d'une école.")
	}
	if err := checkInscriptionPlace(tx, actor, f, in, &r, line, &errs); err != nil {
		return r, err
	}
	return r, errs.OrNil()
}

// checkInscriptionPlace reads the école and the commune of the registration: both of the
// session's département; a référent registers the participants of their communes only.
func checkInscriptionPlace(tx *gorm.DB, actor Actor, f Formation, in InscriptionInput, r *FormationInscription, line int, errs *ValidationError) error {
	if in.UAI != "" {
		var e Ecole
		found, err := lookup(tx.Select("uai, departement_code").Where("uai = ?", in.UAI), &e, ValidUAIShape(in.UAI))
		if err != nil {
			return err
		}
		if !found || e.DepartementCode != f.DepartementCode {
			errs.Add(line, "uai", "École inconnue dans le département "+f.DepartementCode+" de la session : indiquez son UAI (exemple : 0930001A).")
		} else {
			r.UAI = &e.UAI
		}
	}
	referent := actor.Role == RoleReferent
	if in.Commune == "" && referent && in.Kind == InscriptionParticipant {
		errs.Add(line, "commune", "Indiquez la commune de la personne (son code INSEE, exemple : 93008).")
	}
	if in.Commune != "" {
		var c Commune
		found, err := lookup(tx.Select("code_insee, departement_code").Where("code_insee = ?", in.Commune), &c, ValidINSEE(in.Commune))
		if err != nil {
			return err
		}
		switch {
		case !found || c.DepartementCode != f.DepartementCode:
			errs.Add(line, "commune", "Commune inconnue dans le département "+f.DepartementCode+" de la session : indiquez son code INSEE (exemple : 93008).")
		case referent && !slices.Contains(actor.Scope.Communes, c.CodeINSEE):
			errs.Add(line, "commune", "Vous inscrivez les agents et élus de votre commune seulement.")
		default:
			r.CodeINSEE = &c.CodeINSEE
		}
	}
	if referent && in.Kind == InscriptionEcole {
		errs.Add(line, "kind", "Un référent communal inscrit des participants de sa commune, pas une école.")
	}
	return nil
}

// referentPublics are the audiences of the sessions a référent registers to.
var referentPublics = []string{"agents_municipaux", "elus"}
