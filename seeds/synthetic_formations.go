package seeds

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// syntheticFormationYear is the school year of the synthetic training plans.
const syntheticFormationYear = "2025-2026"

// syntheticPublics draws the audience of a synthetic session: mostly teachers.
var syntheticPublics = []string{"enseignants", "enseignants", "enseignants", "enseignants", "enseignants", "enseignants",
	"directeurs", "directeurs", "formateurs", "agents_municipaux", "elus"}

// LoadSyntheticFormations adds a national training year, the same every time (fixed random
// seed), after LoadSynthetic: a plan per département of the year 2025-2026, sessions
// spread over the circonscriptions of the écoles (most of them held, a few cancelled or
// full), about registrations registrations in all (named participants and écoles with a
// headcount, within capacity, the rest on the waiting list), their attendance, and a
// handful of answers to the questionnaire of each held session. Inserted in bulk without
// audit: for synthetic benchmark data only.
func LoadSyntheticFormations(ctx context.Context, store *models.Store, sessions, registrations int) error {
	if sessions <= 0 || registrations < 0 {
		return fmt.Errorf("tailles hors limites : %d sessions, %d inscriptions", sessions, registrations)
	}
	rng := rand.New(rand.NewPCG(2025, 2026))
	now := time.Now().UTC()
	return store.InsertSyntheticFormations(ctx, syntheticFormationYear, func(ecoles []models.SyntheticEcole, modules []int64) []models.SyntheticSession {
		if len(ecoles) == 0 || len(modules) == 0 {
			return nil
		}
		byCirco := map[string][]models.SyntheticEcole{}
		for _, e := range ecoles {
			if e.CodeCirconscription != nil {
				byCirco[*e.CodeCirconscription] = append(byCirco[*e.CodeCirconscription], e)
			}
		}
		out := make([]models.SyntheticSession, sessions)
		for i := range out {
			e := ecoles[rng.IntN(len(ecoles))]
			pool := []models.SyntheticEcole{e}
			if e.CodeCirconscription != nil {
				pool = byCirco[*e.CodeCirconscription]
			}
			n := registrations / sessions
			if i < registrations%sessions {
				n++
			}
			out[i] = syntheticSession(rng, e, pool, modules, n, now)
		}
		return out
	})
}

// syntheticSession is a session in the circonscription of e with n registrations drawn
// from the écoles of pool.
func syntheticSession(rng *rand.Rand, e models.SyntheticEcole, pool []models.SyntheticEcole, modules []int64, n int, now time.Time) models.SyntheticSession {
	day := time.Date(2025, time.September, 15, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(270))
	f := models.Formation{ModuleID: modules[rng.IntN(len(modules))], Public: syntheticPublics[rng.IntN(len(syntheticPublics))],
		DepartementCode: e.DepartementCode, CodeCirconscription: e.CodeCirconscription, Lieu: "Salle synthétique",
		DateSession: day, HeureDebut: fmt.Sprintf("%02d:%02d", 9+rng.IntN(8), 30*rng.IntN(2)), DureeMinutes: 90 + 30*rng.IntN(6),
		Capacite: max(1, n-2+rng.IntN(8)), Statut: "tenue", CreatedAt: now, UpdatedAt: now, Version: 1}
	switch r := rng.IntN(20); {
	case r == 0:
		f.Statut = "annulee"
	case r == 1:
		f.Statut = "complete"
	}
	ss := models.SyntheticSession{}
	for k := range n {
		ss.Inscriptions = append(ss.Inscriptions, syntheticInscription(rng, &f, pool, k, now))
	}
	if f.Statut == "tenue" {
		for range rng.IntN(12) {
			ss.Evaluations = append(ss.Evaluations, models.FormationEvaluation{Satisfaction: 2 + rng.IntN(4),
				Utilite: 1 + rng.IntN(5), UsageClasse: models.UsagesClasse[rng.IntN(len(models.UsagesClasse))].Value, CreatedAt: now})
		}
	}
	ss.Formation = f
	return ss
}

// syntheticInscription is the k-th registration of the session f: a participant of an
// école of pool (a municipal agent or an elected member of its commune for those
// audiences), or one in four an école with a headcount; it takes seats while there are
// some (f.Inscrits), then waits.
func syntheticInscription(rng *rand.Rand, f *models.Formation, pool []models.SyntheticEcole, k int, now time.Time) models.FormationInscription {
	e := pool[rng.IntN(len(pool))]
	r := models.FormationInscription{Kind: "participant", Effectif: 1, Statut: "attente", CreatedAt: now, UpdatedAt: now, Version: 1,
		Nom: fmt.Sprintf("Participant synthétique %d", k+1), Fonction: "Professeur des écoles"}
	switch {
	case f.Public == "agents_municipaux" || f.Public == "elus":
		r.CodeINSEE, r.Fonction = &e.CodeINSEE, "Agent municipal"
	case rng.IntN(4) == 0:
		r.Kind, r.Nom, r.Fonction, r.UAI, r.Effectif = "ecole", "", "", &e.UAI, 2+rng.IntN(5)
	default:
		r.UAI = &e.UAI
	}
	if f.Inscrits+r.Effectif <= f.Capacite {
		r.Statut = "inscrit"
		f.Inscrits += r.Effectif
	}
	if r.Statut == "inscrit" && f.Statut == "tenue" {
		r.Presence = []string{"present", "present", "present", "present", "present", "absent", "excuse"}[rng.IntN(7)]
		if r.Kind == "ecole" {
			r.Presence, r.Presents = "present", ptr(r.Effectif-rng.IntN(2))
		}
	}
	return r
}
