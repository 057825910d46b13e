package seeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// demoCopilNom names the demonstration's COPIL.
const demoCopilNom = "COPIL académique ENT 1D (démonstration)"

// demoFiction opens every text of the scenario: it is invented, and says so.
const demoFiction = "*Données fictives de démonstration.* "

// demoMeeting is one meeting of the scenario, with what was decided and what is to be done.
type demoMeeting struct {
	date, titre, statut string
	points              []string
	minutes             string
	decisions           []demoDecision
	actions             []demoAction // actions hanging on the meeting itself
}

// demoDecision is one decision of the scenario and the actions that follow it.
type demoDecision struct {
	texte, kind  string
	academie     bool
	departements []string
	communes     string
	actions      []demoAction
}

// demoAction is one action; owner is a contact's email or "pilote" (the demonstration user);
// echeance is a day, or "+N": N months after the real today (an action not yet due).
type demoAction struct {
	titre, owner, echeance, statut string
}

// demoBody is one steering body of the scenario with its members and meetings.
type demoBody struct {
	in       models.InstanceInput
	members  map[string]string // contact email → role
	meetings []demoMeeting
}

const (
	dane     = "dane.exemple@demo.invalid"
	amifC    = "amif.temoin@demo.invalid"
	dsden77  = "dsden77.fictif@demo.invalid"
	dsden93  = "dsden93.imaginaire@demo.invalid"
	dsden94  = "dsden94.modele@demo.invalid"
	bobigny  = "bobigny.education@demo.invalid"
	montreui = "montreuil.education@demo.invalid"
	creteil  = "creteil.dsi@demo.invalid"
	melun    = "melun.scolaire@demo.invalid"
	estEns   = "estensemble.projet@demo.invalid"
)

// demoBodies is the scenario: the COPIL from spring 2011, the three co-pilotages and the
// two working groups. next is the date of the COPIL still to come (after the real today).
func demoBodies(next time.Time) []demoBody {
	copilPoints := []string{"Point d'étape du déploiement", "Suivi des actions", "Questions diverses"}
	copil := demoBody{
		in: models.InstanceInput{Nom: demoCopilNom, Kind: models.InstanceCopil,
			Mandat: demoFiction + "Le comité de pilotage réunit le Rectorat et l'AMIF : il fixe les orientations du projet ENT 1D de l'Est parisien, valide la charte et arbitre les questions communes aux trois départements."},
		members: map[string]string{dane: "president", amifC: "co_president", dsden77: "membre", dsden93: "membre",
			dsden94: "membre", estEns: "invite_permanent", bobigny: "secretariat"},
		meetings: []demoMeeting{
			{date: "2011-05-17", titre: "COPIL de lancement", statut: models.ReunionTenue,
				points:  []string{"Présentation du projet ENT 1D", "Gouvernance et calendrier", "Projet de charte"},
				minutes: "## Relevé de décisions\n\n" + demoFiction + "Le comité **lance** le projet et adopte le principe d'une charte commune.",
				decisions: []demoDecision{
					{texte: "Le projet ENT du premier degré de l'Est parisien est lancé pour les trois départements.", kind: models.DecisionOrientation, academie: true,
						actions: []demoAction{{"Constituer les co-pilotages départementaux", dane, "2011-09-30", models.ActionFaite}}},
					{texte: "Un groupe de travail technique et un groupe de travail fonctionnel sont constitués.", kind: models.DecisionValidation, academie: true},
				},
				actions: []demoAction{{"Rédiger le projet de charte v1", amifC, "2011-06-30", models.ActionFaite}}},
			{date: "2011-11-15", titre: "COPIL d'automne 2011", statut: models.ReunionTenue, points: copilPoints,
				minutes: demoFiction + "Point sur les écoles pilotes ; la charte v1 est adoptée.",
				decisions: []demoDecision{
					{texte: "La charte des ENT du premier degré, version 1, est adoptée.", kind: models.DecisionValidation, academie: true},
					{texte: "Dix écoles pilotes par département pour l'année 2012.", kind: models.DecisionArbitrage, departements: []string{"77", "93", "94"},
						actions: []demoAction{{"Désigner les écoles pilotes de Seine-Saint-Denis", dsden93, "2012-01-31", models.ActionFaite}}},
				}},
			{date: "2012-05-22", titre: "COPIL du printemps 2012", statut: models.ReunionTenue, points: copilPoints,
				minutes: demoFiction + "Bilan des écoles pilotes : retours positifs des enseignants.",
				decisions: []demoDecision{
					{texte: "Extension du déploiement à Bobigny et Montreuil.", kind: models.DecisionOrientation, communes: "93008 93048",
						actions: []demoAction{{"Convention de déploiement avec Bobigny", bobigny, "2012-09-30", models.ActionFaite}}},
				}},
			{date: "2012-11-20", titre: "COPIL d'automne 2012", statut: models.ReunionTenue, points: copilPoints,
				minutes: demoFiction + "Présentation de l'annuaire fédéré.",
				decisions: []demoDecision{
					{texte: "L'identification des élèves passe par l'annuaire académique.", kind: models.DecisionArbitrage, academie: true,
						actions: []demoAction{{"Ouvrir l'annuaire fédéré aux écoles pilotes", dane, "2013-03-31", models.ActionFaite}}},
				}},
			{date: "2013-05-14", titre: "COPIL du printemps 2013", statut: models.ReunionTenue, points: copilPoints,
				minutes: demoFiction + "Les communes du Val-de-Marne demandent un accompagnement.",
				decisions: []demoDecision{
					{texte: "Accompagnement renforcé des communes du Val-de-Marne.", kind: models.DecisionOrientation, departements: []string{"94"},
						actions: []demoAction{{"Organiser une réunion des élus du Val-de-Marne", dsden94, "2013-10-15", models.ActionFaite}}},
				}},
			{date: "2013-11-19", titre: "COPIL d'automne 2013", statut: models.ReunionTenue, points: copilPoints,
				minutes: demoFiction + "Lancement de la révision de la charte.",
				decisions: []demoDecision{
					{texte: "La charte est révisée en 2014 pour intégrer l'interopérabilité.", kind: models.DecisionValidation, academie: true,
						actions: []demoAction{{"Rédiger le projet de charte v2", amifC, "2014-03-31", models.ActionFaite}}},
				}},
			{date: "2014-05-13", titre: "COPIL du printemps 2014", statut: models.ReunionTenue, points: copilPoints,
				minutes: demoFiction + "La charte v2 est adoptée à l'unanimité.",
				decisions: []demoDecision{
					{texte: "La charte des ENT du premier degré, version 2, est adoptée ; elle remplace la version 1.", kind: models.DecisionValidation, academie: true,
						actions: []demoAction{{"Diffuser la charte v2 aux communes", "pilote", "2014-09-30", models.ActionFaite}}},
				}},
			{date: "2014-11-18", titre: "COPIL d'automne 2014", statut: models.ReunionTenue, points: copilPoints,
				minutes: demoFiction + "Point sur les adoptions de la charte v2.",
				decisions: []demoDecision{
					{texte: "Information : Est Ensemble et Plaine Commune délibèrent pour leurs communes membres.", kind: models.DecisionInformation, departements: []string{"93"},
						actions: []demoAction{{"Relancer les communes sans délibération", amifC, "+2", models.ActionEnCours}}},
				}},
			{date: "2015-05-19", titre: "COPIL du printemps 2015", statut: models.ReunionTenue, points: copilPoints,
				minutes: demoFiction + "Bilan d'usage ; la Seine-et-Marne rurale reste en retrait.",
				decisions: []demoDecision{
					{texte: "Priorité aux communes rurales de Seine-et-Marne pour 2015-2016.", kind: models.DecisionArbitrage, departements: []string{"77"},
						actions: []demoAction{{"Recenser les communes rurales sans ENT", dsden77, "2015-12-31", models.ActionEnCours}}},
					{texte: "Melun rejoint le projet.", kind: models.DecisionInformation, communes: "77288"},
				}},
			{date: "2015-11-17", titre: "COPIL d'automne 2015", statut: models.ReunionAnnulee, points: copilPoints},
			{date: "2016-05-24", titre: "COPIL du printemps 2016", statut: models.ReunionTenue, points: copilPoints,
				minutes: demoFiction + "Bilan de cinq années de projet.",
				decisions: []demoDecision{
					{texte: "Le projet entre en phase de généralisation.", kind: models.DecisionOrientation, academie: true,
						actions: []demoAction{{"Préparer le bilan pour les élus", "pilote", "+1", models.ActionAFaire}}},
				}},
			{date: next.Format("2006-01-02"), titre: "Prochain COPIL", statut: models.ReunionPlanifiee, points: copilPoints,
				actions: []demoAction{{"Préparer l'ordre du jour du prochain COPIL", "pilote", "+1", models.ActionAFaire}}},
		},
	}
	copilotage := func(dep, nom, ia string, extra map[string]string, meetings []demoMeeting) demoBody {
		members := map[string]string{ia: "co_president", amifC: "membre"}
		for k, v := range extra {
			members[k] = v
		}
		return demoBody{in: models.InstanceInput{Nom: "Co-pilotage départemental " + dep + " (démonstration)", Kind: models.InstanceCopilotage,
			Departement: dep, Mandat: demoFiction + "L'IA-DASEN et les élus de " + nom + " suivent le déploiement dans le département."},
			members: members, meetings: meetings}
	}
	return []demoBody{
		copil,
		copilotage("77", "Seine-et-Marne", dsden77, map[string]string{melun: "membre"}, []demoMeeting{
			{date: "2011-10-04", statut: models.ReunionTenue, points: []string{"Installation du co-pilotage"}, minutes: demoFiction + "Installation."},
			{date: "2013-03-12", statut: models.ReunionTenue, points: []string{"Communes rurales"}, minutes: demoFiction + "Les communes rurales s'organisent.",
				decisions: []demoDecision{{texte: "Une réunion d'information par arrondissement.", kind: models.DecisionOrientation, departements: []string{"77"},
					actions: []demoAction{{"Calendrier des réunions d'arrondissement", dsden77, "2013-06-30", models.ActionFaite}}}}},
		}),
		copilotage("93", "Seine-Saint-Denis", dsden93, map[string]string{bobigny: "membre", montreui: "membre", estEns: "membre"}, []demoMeeting{
			{date: "2011-09-27", statut: models.ReunionTenue, points: []string{"Installation du co-pilotage"}, minutes: demoFiction + "Installation."},
			{date: "2012-03-20", statut: models.ReunionTenue, points: []string{"Écoles pilotes"}, minutes: demoFiction + "Choix des écoles pilotes.",
				decisions: []demoDecision{{texte: "Les écoles pilotes de Bobigny ouvrent l'ENT en janvier.", kind: models.DecisionValidation, communes: "93008"}},
				actions: []demoAction{{"Former les directeurs des écoles pilotes", dsden93, "2012-06-30", models.ActionFaite},
					{"Mettre à jour la liste des référents ENT", dsden93, "+3", models.ActionEnCours}}},
			{date: "2014-10-07", statut: models.ReunionTenue, points: []string{"Délibérations des EPT"}, minutes: demoFiction + "Les EPT préparent leurs délibérations."},
		}),
		copilotage("94", "Val-de-Marne", dsden94, map[string]string{creteil: "membre"}, []demoMeeting{
			{date: "2011-10-11", statut: models.ReunionTenue, points: []string{"Installation du co-pilotage"}, minutes: demoFiction + "Installation."},
			{date: "2014-02-11", statut: models.ReunionTenue, points: []string{"Hébergement des données"}, minutes: demoFiction + "Créteil présente son hébergement.",
				decisions: []demoDecision{{texte: "Créteil expérimente l'hébergement mutualisé.", kind: models.DecisionArbitrage, communes: "94028"}},
				actions: []demoAction{{"Rédiger la convention d'hébergement", creteil, "2014-06-30", models.ActionFaite},
					{"Évaluer l'expérimentation d'hébergement", creteil, "2015-06-30", models.ActionAFaire}}},
		}),
		{in: models.InstanceInput{Nom: "GT technique (démonstration)", Kind: models.InstanceGTTechnique,
			Mandat: demoFiction + "Annuaire, authentification, hébergement et sécurité."},
			members: map[string]string{dane: "president", creteil: "membre", estEns: "membre"},
			meetings: []demoMeeting{
				{date: "2011-06-21", statut: models.ReunionTenue, points: []string{"Architecture"}, minutes: demoFiction + "Choix de la fédération d'identité.",
					actions: []demoAction{{"Documenter l'architecture d'authentification", dane, "2011-12-15", models.ActionFaite}}},
				{date: "2014-01-21", statut: models.ReunionTenue, points: []string{"Interopérabilité"}, minutes: demoFiction + "Profils d'interopérabilité.",
					decisions: []demoDecision{{texte: "Les ENT respectent le référentiel d'interopérabilité de la charte v2.", kind: models.DecisionValidation, academie: true,
						actions: []demoAction{{"Publier le référentiel d'interopérabilité", dane, "2014-06-30", models.ActionFaite}}}}},
			}},
		{in: models.InstanceInput{Nom: "GT fonctionnel (démonstration)", Kind: models.InstanceGTFonction,
			Mandat: demoFiction + "Usages pédagogiques, accompagnement des enseignants et des familles."},
			members: map[string]string{amifC: "president", montreui: "membre", melun: "membre"},
			meetings: []demoMeeting{
				{date: "2012-02-07", statut: models.ReunionTenue, points: []string{"Services attendus"}, minutes: demoFiction + "Liste des services socle.",
					decisions: []demoDecision{{texte: "Le cahier de textes et la messagerie forment le socle commun.", kind: models.DecisionOrientation, academie: true}},
					actions: []demoAction{{"Rédiger le guide des familles", montreui, "2012-09-01", models.ActionFaite},
						{"Enquête d'usage auprès des enseignants", amifC, "2015-03-31", models.ActionAbandonnee}}},
			}},
	}
}

// demoCharte is the text of a fictional charter version.
func demoCharte(numero, date string, v2 bool) models.CharteInput {
	extra := ""
	if v2 {
		extra = "\n\nVersion 2 : précisions ajoutées après trois ans d'usage."
	}
	return models.CharteInput{Numero: numero, Date: date, Statut: models.CharteAdoptee, Sections: map[string]string{
		"donnees_personnelles": demoFiction + "Les données des élèves ne servent qu'aux finalités pédagogiques et sont supprimées en fin de scolarité." + extra,
		"identification":       demoFiction + "Chaque école forme une communauté ; les comptes sont créés depuis l'annuaire académique." + extra,
		"securite":             demoFiction + "Les mots de passe sont personnels ; les incidents sont signalés sous 72 heures." + extra,
		"interoperabilite":     demoFiction + "Les ENT exposent les services convenus dans le référentiel d'interopérabilité." + extra,
		"perimetres":           demoFiction + "L'Éducation nationale fournit l'annuaire et l'accompagnement ; les collectivités financent l'hébergement et l'équipement." + extra,
	}}
}

// loadDemoGovernance adds the governance scenario once: the charter versions and their
// adoptions when the base has no charter version yet, and each body (with its members,
// meetings, decisions and actions) unless a body of that name exists. Every text says it is
// fictional; the people are the demonstration's contacts.
func loadDemoGovernance(ctx context.Context, store *models.Store, actor models.Actor) error {
	existing, err := store.ListInstances(ctx, actor.Scope, models.InstanceFilter{}, models.PageRequest{Size: 100})
	if err != nil {
		return err
	}
	loaded := map[string]bool{}
	for _, i := range existing.Items {
		loaded[i.Nom] = true
	}
	contacts, err := store.ListContacts(ctx, actor, models.ContactFilter{}, models.PageRequest{Size: 100})
	if err != nil {
		return err
	}
	byEmail := map[string]int64{}
	owners := map[string]string{}
	for _, c := range contacts.Items {
		byEmail[c.Email] = c.ID
		owners[c.Email] = "c" + strconv.FormatInt(c.ID, 10)
	}
	if u, err := store.FindUserByEmail(ctx, "pilote@"+DemoDomain); err == nil {
		owners["pilote"] = "u" + strconv.FormatInt(u.ID, 10)
	}
	if err := loadDemoCharter(ctx, store, actor); err != nil {
		return err
	}
	// The next COPIL: a Tuesday about two months after the real today.
	next := time.Now().AddDate(0, 2, 0)
	for next.Weekday() != time.Tuesday {
		next = next.AddDate(0, 0, 1)
	}
	for _, b := range demoBodies(next) {
		if loaded[b.in.Nom] {
			continue
		}
		if err := loadDemoBody(ctx, store, actor, b, byEmail, owners); err != nil {
			return fmt.Errorf("instance de démonstration %s : %w", b.in.Nom, err)
		}
	}
	return nil
}

// loadDemoCharter creates charter v1 (2011) with a few adoptions, then v2 (2014), which
// replaces it, with its adoptions; nothing when the base has a charter version already.
func loadDemoCharter(ctx context.Context, store *models.Store, actor models.Actor) error {
	versions, err := store.ListChartes(ctx, actor.Scope, false)
	if err != nil || len(versions) > 0 {
		return err
	}
	v1, err := store.CreateCharte(ctx, actor, demoCharte("1", "15/11/2011", false))
	if err != nil {
		return fmt.Errorf("charte de démonstration v1 : %w", err)
	}
	if err := loadDemoAdoptionsV1(ctx, store, actor, v1.ID); err != nil {
		return err
	}
	v2, err := store.CreateCharte(ctx, actor, demoCharte("2", "13/05/2014", true))
	if err != nil {
		return fmt.Errorf("charte de démonstration v2 : %w", err)
	}
	return loadDemoAdoptionsV2(ctx, store, actor, v2.ID)
}

func loadDemoBody(ctx context.Context, store *models.Store, actor models.Actor, b demoBody, byEmail map[string]int64, owners map[string]string) error {
	if b.in.Departement != "" {
		// A département's bodies are written by its IA-DASEN only: the loader acts with
		// that role, under its own name.
		actor = models.Actor{Name: actor.Name, Role: models.RoleIA,
			Scope: models.Scope{Kind: models.ScopeDepartement, Departements: []string{b.in.Departement}}}
	}
	inst, err := store.CreateInstance(ctx, actor, b.in)
	if err != nil {
		return err
	}
	var memberIDs []int64
	for _, email := range sortedKeys(b.members) {
		id, ok := byEmail[email]
		if !ok {
			continue // a contact a visitor erased
		}
		if err := store.AddMember(ctx, actor, inst.ID, models.MemberInput{ContactID: id, Role: b.members[email], Debut: "2011-05-01"}); err != nil {
			return err
		}
		memberIDs = append(memberIDs, id)
	}
	presences := []string{"present", "present", "present", "excuse", "present", "absent"}
	for n, m := range b.meetings {
		r, err := store.CreateReunion(ctx, actor, models.ReunionInput{InstanceID: inst.ID, Titre: m.titre, Date: m.date,
			HeureDebut: "14:00", HeureFin: "16:30", Lieu: "Lieu fictif de démonstration", Statut: m.statut, CompteRendu: m.minutes})
		if err != nil {
			return err
		}
		for k, p := range m.points {
			if err := store.AddPoint(ctx, actor, r.ID, p, []string{"DANE (fictif)", "AMIF (fictif)", "DSDEN (fictif)"}[k%3]); err != nil {
				return err
			}
		}
		if b.in.Nom == demoCopilNom && n < 2 && m.statut == models.ReunionTenue {
			if _, err := store.AddDocument(ctx, actor, models.DocumentReunion, r.ID, "Compte rendu signé.pdf", "Compte rendu signé (fictif)",
				bytes.NewReader(PDF("Compte rendu - "+m.titre))); err != nil {
				return err
			}
		}
		if m.statut == models.ReunionTenue {
			for k, id := range memberIDs {
				if err := store.SetPresence(ctx, actor, r.ID, id, presences[(n+k)%len(presences)]); err != nil && !errors.Is(err, models.ErrNotFound) {
					return err
				}
			}
		}
		for _, d := range m.decisions {
			dec, err := store.CreateDecision(ctx, actor, models.DecisionInput{ReunionID: r.ID, Texte: d.texte, Kind: d.kind,
				Academie: d.academie, Departements: d.departements, Communes: d.communes})
			if err != nil {
				return err
			}
			for _, a := range d.actions {
				if err := createDemoAction(ctx, store, actor, models.ActionInput{DecisionID: dec.ID}, a, owners); err != nil {
					return err
				}
			}
		}
		for _, a := range m.actions {
			if err := createDemoAction(ctx, store, actor, models.ActionInput{ReunionID: r.ID}, a, owners); err != nil {
				return err
			}
		}
	}
	return nil
}

func createDemoAction(ctx context.Context, store *models.Store, actor models.Actor, in models.ActionInput, a demoAction, owners map[string]string) error {
	in.Titre, in.Responsable, in.Echeance, in.Statut = a.titre, owners[a.owner], a.echeance, a.statut
	if months, err := strconv.Atoi(strings.TrimPrefix(a.echeance, "+")); err == nil && strings.HasPrefix(a.echeance, "+") {
		in.Echeance = time.Now().AddDate(0, months, 0).Format("2006-01-02")
	}
	_, err := store.CreateAction(ctx, actor, in)
	return err
}

// loadDemoAdoptionsV1 records a few adoptions of the first version (since replaced).
func loadDemoAdoptionsV1(ctx context.Context, store *models.Store, actor models.Actor, version int64) error {
	for _, c := range []string{"93008", "93048", "94028"} {
		if _, err := store.CreateAdoption(ctx, actor, models.AdoptionInput{CharteVersionID: version, Commune: c,
			Ref: "Délibération fictive " + c + "-2012", Date: "15/03/2012"}); err != nil {
			return fmt.Errorf("adoption de démonstration %s : %w", c, err)
		}
	}
	return nil
}

// loadDemoAdoptionsV2 covers about 40 % of the académie's communes with the current
// version: Est Ensemble and Plaine Commune for their members, the other communes of
// Seine-Saint-Denis one by one, half of the Val-de-Marne and a third of Seine-et-Marne.
func loadDemoAdoptionsV2(ctx context.Context, store *models.Store, actor models.Actor, version int64) error {
	ept := map[string]bool{"200057875": true, "200057867": true}
	for _, siren := range []string{"200057875", "200057867"} {
		if _, err := store.CreateAdoption(ctx, actor, models.AdoptionInput{CharteVersionID: version, EPCI: siren, CouvreMembres: true,
			Ref: "Délibération fictive du conseil de territoire " + siren, Date: "09/12/2014"}); err != nil {
			return fmt.Errorf("adoption de démonstration %s : %w", siren, err)
		}
	}
	every := map[string]int{"93": 1, "94": 2, "77": 3}
	for _, dep := range []string{"93", "94", "77"} {
		n := 0
		var codes []string
		err := store.EachCommune(ctx, actor.Scope, models.CommuneFilter{Departement: dep, Sort: "code"}, func(c models.CommuneRow) error {
			if ept[c.EPTSiren] {
				return nil
			}
			if n%every[dep] == 0 {
				codes = append(codes, c.CodeINSEE)
			}
			n++
			return nil
		})
		if err != nil {
			return err
		}
		ins := make([]models.AdoptionInput, len(codes))
		for k, code := range codes {
			date := fmt.Sprintf("%02d/%02d/%d", 1+k%28, 1+k%12, 2015+k%2)
			ins[k] = models.AdoptionInput{CharteVersionID: version, Commune: code, Ref: "Délibération fictive " + code, Date: date}
		}
		if _, err := store.CreateAdoptions(ctx, actor, ins); err != nil {
			return fmt.Errorf("adoptions de démonstration du %s : %w", dep, err)
		}
	}
	return nil
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
