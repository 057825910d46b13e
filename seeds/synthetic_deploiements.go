package seeds

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// syntheticYears are the school years of the synthetic waves, the pilot one first.
var syntheticYears = []string{"2011-2012", "2013-2014", "2014-2015", "2015-2016", "2016-2017"}

// LoadSyntheticDeploiements gives every école without deployment one, the same every time
// (fixed random seed): a synthetic wave per school year (the pilot one first) and two
// synthetic solutions, a phase reached through two or three changes kept as history, the
// planned opening of its wave and, for the open ones, an actual opening a few days
// around it. Inserted in bulk without audit: for synthetic benchmark data only. A second
// call does nothing (every école has a deployment).
func LoadSyntheticDeploiements(ctx context.Context, store *models.Store) error {
	rng := rand.New(rand.NewPCG(2013, 2016))
	now := time.Now().UTC()
	vagues := make([]models.Vague, len(syntheticYears))
	for i, y := range syntheticYears {
		opening := time.Date(2012+i, time.September, 3, 0, 0, 0, 0, time.UTC)
		if i == 0 {
			opening = time.Date(2012, time.January, 9, 0, 0, 0, 0, time.UTC)
		}
		vagues[i] = models.Vague{Nom: fmt.Sprintf("Vague synthétique %s", y), AnneeScolaire: y, Pilote: i == 0,
			OuverturePrevue: &opening, CreatedAt: now, UpdatedAt: now, Version: 1}
	}
	solutions := []models.SolutionENT{
		{Produit: "ENT synthétique A", VersionProduit: "1", CreatedAt: now, UpdatedAt: now, Version: 1},
		{Produit: "ENT synthétique B", VersionProduit: "2", CreatedAt: now, UpdatedAt: now, Version: 1},
	}
	steps := []string{"candidate", "etude", "pilote", "en_deploiement", "ouvert", "generalise"}
	_, err := store.InsertSyntheticDeploiements(ctx, vagues, solutions, func(i int, uai string, vIDs, sIDs []int64) (models.Deploiement, []models.DeploiementPhase) {
		w := rng.IntN(len(vIDs))
		planned := *vagues[w].OuverturePrevue
		n := 2 + rng.IntN(2) // two or three changes
		last := 2 + rng.IntN(len(steps)-2)
		var history []models.DeploiementPhase
		for k := range n {
			phase := steps[max(0, last-(n-1-k))]
			at := planned.AddDate(0, 0, 30*(k-n+1)+rng.IntN(20))
			history = append(history, models.DeploiementPhase{Phase: phase, DateEffet: at, At: now, Actor: "synthétique"})
		}
		end := history[len(history)-1]
		d := models.Deploiement{VagueID: &vIDs[w], SolutionID: &sIDs[i%len(sIDs)], Phase: end.Phase, DatePhase: end.DateEffet,
			OuverturePrevue: &planned, CreatedAt: now, UpdatedAt: now, Version: 1}
		if models.PhaseOpen(end.Phase) {
			actual := planned.AddDate(0, 0, rng.IntN(60)-20)
			d.OuvertureEffective = &actual
		}
		return d, history
	})
	return err
}
