package seeds

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
)

// The demonstration's training (issue 13): a plan per département for the current school
// year and a dozen sessions around today, in the circonscription of Villejuif (the demo
// IEN's) and for whole départements: one cancelled, one full, and one held in the past in
// each département, attended by teams of écoles opened there and evaluated, so that the
// coverage and the evaluations have figures.

// demoFormation is one session of the demonstration; days are counted from today.
type demoFormation struct {
	dep, circo, lieu, lien, public, statut string
	module                                 int64
	days, capacite                         int
	full                                   bool
}

func demoFormations() []demoFormation {
	return []demoFormation{
		{dep: "94", circo: "0940920P", lieu: "École élémentaire Pasteur, Villejuif", public: "enseignants", module: 1, days: -21, capacite: 30, statut: "tenue"},
		{dep: "94", circo: "0940920P", lieu: "École élémentaire Pasteur, Villejuif", public: "enseignants", module: 2, days: 9, capacite: 12, statut: "ouverte", full: true},
		{dep: "94", circo: "0940920P", lieu: "École maternelle Karl Marx, Villejuif", public: "directeurs", module: 3, days: 16, capacite: 10, statut: "ouverte"},
		{dep: "94", circo: "0940920P", lien: "https://visio.ac-creteil.fr/formation-ent", public: "enseignants", module: 4, days: 23, capacite: 40, statut: "ouverte"},
		{dep: "94", circo: "0940920P", lieu: "Circonscription de Villejuif, salle de réunion", public: "formateurs", module: 5, days: 30, capacite: 8, statut: "planifiee"},
		{dep: "94", lieu: "DSDEN du Val-de-Marne, Créteil", public: "agents_municipaux", module: 1, days: 12, capacite: 25, statut: "ouverte"},
		{dep: "94", lieu: "DSDEN du Val-de-Marne, Créteil", public: "elus", module: 4, days: 19, capacite: 30, statut: "annulee"},
		{dep: "93", lieu: "DSDEN de la Seine-Saint-Denis, Bobigny", public: "directeurs", module: 3, days: 14, capacite: 20, statut: "ouverte"},
		{dep: "93", lien: "https://visio.ac-creteil.fr/formation-93", public: "enseignants", module: 2, days: 26, capacite: 50, statut: "planifiee"},
		{dep: "77", lieu: "DSDEN de Seine-et-Marne, Melun", public: "enseignants", module: 1, days: 15, capacite: 20, statut: "ouverte"},
		{dep: "93", lieu: "École élémentaire Jean Jaurès, Bobigny", public: "enseignants", module: 1, days: -35, capacite: 30, statut: "tenue"},
		{dep: "77", lieu: "École élémentaire Jules Ferry, Melun", public: "enseignants", module: 1, days: -28, capacite: 30, statut: "tenue"},
	}
}

// loadDemoFormations adds the demonstration's plans and sessions, once: nothing when a plan
// of the current school year exists.
func loadDemoFormations(ctx context.Context, store *models.Store, actor models.Actor) error {
	year := store.SchoolYear()
	annee := strconv.Itoa(year) + "-" + strconv.Itoa(year+1)
	existing, err := store.ListPlansFormation(ctx, models.AcademieScope(), annee, "")
	if err != nil || len(existing) > 0 {
		return err
	}
	plans := map[string]int64{}
	for _, dep := range []string{"77", "93", "94"} {
		p, err := store.CreatePlanFormation(ctx, actor, models.PlanFormationInput{AnneeScolaire: annee, Departement: dep,
			Titre: "Plan de formation ENT " + annee, Notes: demoFictionText + "Former les équipes des écoles ouvertes à l'ENT."})
		if err != nil {
			return fmt.Errorf("plan de formation de démonstration %s : %w", dep, err)
		}
		plans[dep] = p.ID
	}
	today := time.Now().In(fr.Paris())
	for i, d := range demoFormations() {
		if err := loadDemoFormation(ctx, store, actor, plans[d.dep], today, d); err != nil {
			return fmt.Errorf("session de démonstration %d : %w", i+1, err)
		}
	}
	return nil
}

// loadDemoFormation creates one session, then holds, cancels or fills it.
func loadDemoFormation(ctx context.Context, store *models.Store, actor models.Actor, plan int64, today time.Time, d demoFormation) error {
	in := models.FormationInput{PlanID: plan, ModuleID: d.module, Public: d.public, Circonscription: d.circo, Lieu: d.lieu,
		ADistance: d.lien != "", Lien: d.lien, Date: today.AddDate(0, 0, d.days).Format("02/01/2006"), HeureDebut: "09h00",
		DureeMinutes: "180", Capacite: strconv.Itoa(d.capacite), Statut: models.FormationOuverte}
	if d.statut == models.FormationPlanifiee {
		in.Statut = models.FormationPlanifiee
	}
	f, err := store.CreateFormation(ctx, actor, in)
	if err != nil {
		return err
	}
	switch {
	case d.full:
		_, err = store.Register(ctx, actor, f.ID, models.InscriptionInput{Kind: "ecole", UAI: "0940354Z", Effectif: strconv.Itoa(d.capacite)})
	case d.statut == models.FormationAnnulee:
		_, err = store.CancelFormation(ctx, actor, f.ID, f.Version)
	case d.statut == models.FormationTenue:
		err = holdDemoFormation(ctx, store, actor, f.ID, d.dep)
	}
	return err
}

// demoAnswers are the answers to the questionnaire of each session held.
var demoAnswers = []models.EvaluationInput{
	{Satisfaction: "5", Utilite: "4", UsageClasse: "oui", Commentaire: "Très concret, merci."},
	{Satisfaction: "4", Utilite: "4", UsageClasse: "oui"},
	{Satisfaction: "4", Utilite: "3", UsageClasse: "peut_etre", Commentaire: "Il faudrait plus de temps pour manipuler."},
	{Satisfaction: "3", Utilite: "4", UsageClasse: "oui"},
	{Satisfaction: "5", Utilite: "5", UsageClasse: "oui"},
	{Satisfaction: "2", Utilite: "3", UsageClasse: "non", Commentaire: "Matériel insuffisant dans l'école."},
}

// holdDemoFormation registers the teams of six écoles opened in the département (up to
// four teachers each), marks them present but one teacher in every other école, marks the
// session held and records the answers of its questionnaire.
func holdDemoFormation(ctx context.Context, store *models.Store, actor models.Actor, id int64, dep string) error {
	ecoles, err := store.CoverageEcoles(ctx, models.AcademieScope(), models.CoverageFilter{Departement: dep}, 6)
	if err != nil {
		return err
	}
	marks := map[int64]models.Attendance{}
	for i, e := range ecoles {
		n := min(e.Estimation, 4)
		r, err := store.Register(ctx, actor, id, models.InscriptionInput{Kind: models.InscriptionEcole, UAI: e.UAI, Effectif: strconv.FormatInt(n, 10)})
		if err != nil {
			return err
		}
		marks[r.ID] = models.Attendance{Presence: models.PresencePresent, Presents: strconv.FormatInt(n-int64(i%2), 10)}
	}
	if err := store.SetAttendance(ctx, actor, id, marks, true); err != nil {
		return err
	}
	for _, a := range demoAnswers {
		if _, err := store.AddEvaluation(ctx, actor, id, a); err != nil {
			return err
		}
	}
	return nil
}
