package seeds

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// The demonstration's plan: one ENT solution, the pilot sites from January 2012 and one wave
// per school year 2013-2014 to 2016-2017 (all académie-wide), and the deployments of about
// seventy écoles with the history of their phases. The écoles are chosen by commune and UAI
// order among the public écoles of the reference data.

// demoSolution is the demonstration's ENT solution and its vendor's name.
const (
	demoSolution = "ENT démonstration 1D"
	demoEditeur  = "Éditeur d'ENT fictif (démonstration)"
)

// demoVague is a wave of the demonstration's plan.
type demoVague struct {
	nom, annee, ouverture string
	pilote                bool
}

// demoVagues are the waves of the plan, the pilot wave first.
var demoVagues = []demoVague{
	{"Sites pilotes 2012", "2011-2012", "09/01/2012", true},
	{"Vague 2013-2014", "2013-2014", "02/09/2013", false},
	{"Vague 2014-2015", "2014-2015", "01/09/2014", false},
	{"Vague 2015-2016", "2015-2016", "01/09/2015", false},
	{"Vague 2016-2017", "2016-2017", "01/09/2016", false},
}

// demoStep is one change of phase of an école, on a date (JJ/MM/AAAA).
type demoStep struct{ phase, date string }

// demoGroup is a group of écoles of a commune (the public écoles from position from, in
// UAI order, count of them) that share a wave, a planned opening and a history.
type demoGroup struct {
	commune     string
	from, count int
	vague       int // index in demoVagues
	solution    bool
	prevue      string
	steps       []demoStep
}

// The histories of the demonstration.
var (
	pilotOpened   = []demoStep{{"candidate", "01/10/2011"}, {"pilote", "09/01/2012"}, {"ouvert", "03/09/2012"}}
	pilotDropped  = []demoStep{{"candidate", "01/10/2011"}, {"pilote", "09/01/2012"}, {"abandonne", "15/06/2012"}}
	wave13Opened  = []demoStep{{"candidate", "15/01/2013"}, {"etude", "15/03/2013"}, {"en_deploiement", "03/06/2013"}, {"ouvert", "02/09/2013"}}
	wave13Late    = []demoStep{{"candidate", "15/01/2013"}, {"etude", "15/03/2013"}, {"en_deploiement", "03/06/2013"}, {"ouvert", "04/11/2013"}}
	wave13Pending = []demoStep{{"candidate", "15/01/2013"}, {"etude", "15/03/2013"}, {"en_deploiement", "03/06/2013"}}
	wave14Study   = []demoStep{{"candidate", "15/01/2014"}, {"etude", "17/03/2014"}}
	wave15        = []demoStep{{"candidate", "02/02/2015"}}
	wave16        = []demoStep{{"candidate", "01/02/2016"}}
)

// demoGroups are the écoles of the plan: the pilot sites of Montreuil, Bobigny, Créteil
// and Melun (one abandoned), the wave 2013-2014 in those communes and a few others (four
// écoles of Montreuil still being deployed, late), then the later waves' candidates.
var demoGroups = []demoGroup{
	{"93048", 0, 4, 0, true, "03/09/2012", pilotOpened},
	{"93008", 0, 3, 0, true, "03/09/2012", pilotOpened},
	{"94028", 0, 3, 0, true, "03/09/2012", pilotOpened},
	{"77288", 0, 2, 0, true, "03/09/2012", pilotOpened},
	{"77288", 2, 1, 0, true, "03/09/2012", pilotDropped},
	{"93048", 4, 4, 1, true, "02/09/2013", wave13Opened},
	{"93048", 8, 4, 1, true, "02/09/2013", wave13Pending},
	{"93008", 3, 3, 1, true, "02/09/2013", wave13Opened},
	{"93008", 6, 1, 1, true, "02/09/2013", wave13Late},
	{"94028", 3, 2, 1, true, "02/09/2013", wave13Opened},
	{"94028", 5, 2, 1, true, "02/09/2013", wave13Pending},
	{"77288", 3, 3, 1, true, "02/09/2013", wave13Opened},
	{"93066", 0, 3, 1, true, "02/09/2013", wave13Opened},
	{"94081", 0, 3, 1, true, "02/09/2013", wave13Late},
	{"77284", 0, 3, 1, true, "02/09/2013", wave13Opened},
	{"93001", 0, 4, 2, false, "01/09/2014", wave14Study},
	{"94017", 0, 4, 2, false, "01/09/2014", wave14Study},
	{"77108", 0, 4, 2, false, "01/09/2014", wave14Study},
	{"93051", 0, 4, 3, false, "01/09/2015", wave15},
	{"94041", 0, 4, 3, false, "01/09/2015", wave15},
	{"77373", 0, 3, 3, false, "01/09/2015", wave15},
	{"93055", 0, 3, 4, false, "01/09/2016", wave16},
	{"94080", 0, 3, 4, false, "01/09/2016", wave16},
	{"77186", 0, 3, 4, false, "01/09/2016", wave16},
}

// loadDemoPlan adds the demonstration's plan, once: the solution and the waves missing
// are created; the deployments are written only when the plan's first école has none
// (a second load, or a visitor's changes since, are left as they are).
func loadDemoPlan(ctx context.Context, store *models.Store, actor models.Actor) error {
	solution, err := demoSolutionID(ctx, store, actor)
	if err != nil {
		return err
	}
	vagues, err := demoVagueIDs(ctx, store, actor)
	if err != nil {
		return err
	}
	ecoles, err := demoEcoles(ctx, store)
	if err != nil {
		return err
	}
	first := ecoles[0][0]
	if _, err := store.GetDeploiement(ctx, models.AcademieScope(), first); !errors.Is(err, models.ErrNotFound) {
		return err // nil: already loaded
	}
	for step := 0; ; step++ {
		edits := demoEdits(ecoles, step, vagues, solution)
		if len(edits) == 0 {
			return nil
		}
		if _, err := store.ChangeDeploiements(ctx, actor, edits, models.DeploiementGuard{}); err != nil {
			return fmt.Errorf("plan de démonstration, étape %d : %w", step+1, err)
		}
	}
}

// demoSolutionID returns the id of the demonstration's solution, created when missing.
func demoSolutionID(ctx context.Context, store *models.Store, actor models.Actor) (int64, error) {
	live, err := store.ListSolutions(ctx, models.AcademieScope())
	if err != nil {
		return 0, err
	}
	for _, s := range live {
		if s.Produit == demoSolution {
			return s.ID, nil
		}
	}
	orgs, err := store.ListOrganisations(ctx, models.AcademieScope(),
		models.OrganisationFilter{Q: demoEditeur, Kind: models.OrgEditeurENT}, models.PageRequest{Size: 10})
	if err != nil {
		return 0, err
	}
	in := models.SolutionInput{Produit: demoSolution, Version: "1.0", Hebergement: "Hébergé par l'éditeur",
		Federation: "sso_academique_educonnect"}
	for _, o := range orgs.Items {
		if o.Nom == demoEditeur {
			in.Editeur = fmt.Sprint(o.ID)
		}
	}
	sol, err := store.CreateSolution(ctx, actor, in)
	if err != nil {
		return 0, fmt.Errorf("solution de démonstration : %w", err)
	}
	return sol.ID, nil
}

// demoVagueIDs returns the ids of the demonstration's waves, in the order of demoVagues,
// creating those missing.
func demoVagueIDs(ctx context.Context, store *models.Store, actor models.Actor) ([]int64, error) {
	live, err := store.ListVagues(ctx, models.AcademieScope())
	if err != nil {
		return nil, err
	}
	byName := map[string]int64{}
	for _, v := range live {
		byName[v.Nom] = v.ID
	}
	out := make([]int64, len(demoVagues))
	for i, d := range demoVagues {
		if id, ok := byName[d.nom]; ok {
			out[i] = id
			continue
		}
		v, err := store.CreateVague(ctx, actor, models.VagueInput{Nom: d.nom, AnneeScolaire: d.annee, Pilote: d.pilote,
			OuverturePrevue: d.ouverture, Notes: "Vague du plan de démonstration."})
		if err != nil {
			return nil, fmt.Errorf("vague de démonstration %s : %w", d.nom, err)
		}
		out[i] = v.ID
	}
	return out, nil
}

// demoEcoles returns the UAI of the écoles of each group of demoGroups.
func demoEcoles(ctx context.Context, store *models.Store) ([][]string, error) {
	byCommune := map[string][]string{}
	out := make([][]string, len(demoGroups))
	for i, g := range demoGroups {
		uais, ok := byCommune[g.commune]
		if !ok {
			page, err := store.ListEcoles(ctx, models.AcademieScope(),
				models.EcoleFilter{Commune: g.commune, Statut: "public", Sort: "uai"}, models.PageRequest{Size: models.MaxPageSize})
			if err != nil {
				return nil, err
			}
			for _, e := range page.Items {
				uais = append(uais, e.UAI)
			}
			byCommune[g.commune] = uais
		}
		if len(uais) < g.from+g.count {
			return nil, fmt.Errorf("plan de démonstration : la commune %s n'a que %d écoles publiques", g.commune, len(uais))
		}
		out[i] = uais[g.from : g.from+g.count]
	}
	return out, nil
}

// demoEdits are the changes of the step-th phase of every école whose history has one:
// the first step sets the wave, the solution and the planned opening; the step reaching
// "ouvert" sets the actual opening.
func demoEdits(ecoles [][]string, step int, vagues []int64, solution int64) []models.DeploiementEdit {
	var out []models.DeploiementEdit
	for i, g := range demoGroups {
		if step >= len(g.steps) {
			continue
		}
		st := g.steps[step]
		effet := demoDay(st.date)
		for _, uai := range ecoles[i] {
			e := models.DeploiementEdit{UAI: uai, Phase: st.phase, DateEffet: effet}
			if step == 0 {
				prevue := demoDay(g.prevue)
				e.VagueID, e.OuverturePrevue = &vagues[g.vague], &prevue
				if g.solution {
					e.SolutionID = &solution
				}
			}
			if models.PhaseOpen(st.phase) {
				e.OuvertureEffective = &effet
			}
			out = append(out, e)
		}
	}
	return out
}

// demoDay reads a date of the plan (JJ/MM/AAAA, written above).
func demoDay(s string) time.Time {
	t, err := time.Parse("02/01/2006", s)
	if err != nil {
		panic("date du plan de démonstration : " + s)
	}
	return t
}
