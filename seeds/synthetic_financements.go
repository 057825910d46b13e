package seeds

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// Sizes of the synthetic financing: about 1,000 plans (one per 35 synthetic communes) with
// 10 lines each (about 10,000 lines), for the benchmarks.
const (
	syntheticCommunesPerPlan = 35
	syntheticLinesPerPlan    = 10
	syntheticPlanPrefix      = "Plan synthétique"
)

// LoadSyntheticFinancements adds generated financing plans over the synthetic communes, the
// same every time (fixed random seed): a third each of communes alone, intercommunalités
// (the members of a synthetic EPCI in the département) and groupements of three communes
// with a split key, 10 lines each from 2011 on. communes is the number of synthetic
// communes LoadSynthetic created. Inserted in bulk without audit: for synthetic benchmark
// data only. A second call does nothing.
func LoadSyntheticFinancements(ctx context.Context, store *models.Store, communes int) error {
	if done, err := store.HasSyntheticFinancements(ctx, syntheticPlanPrefix); err != nil || done {
		return err
	}
	deps := syntheticDepartements()
	perDep := communes / len(deps)
	if perDep < 3 {
		return nil
	}
	rng := rand.New(rand.NewPCG(2012, 2016))
	now := time.Now().UTC()
	code := func(dep string, n int) string { return fmt.Sprintf("%s%03d", dep, n) }
	funders := models.ChoiceValues(models.Financeurs)
	cles := []string{models.CleEleves, models.CleEcoles, models.ClePopulation, models.CleParts}
	n := communes / syntheticCommunesPerPlan
	plans := make([]models.SyntheticFinancement, 0, n)
	for i := range n {
		dep := deps[i%len(deps)]
		f := models.Financement{Titre: fmt.Sprintf("%s n° %d (%s)", syntheticPlanPrefix, i+1, dep), DepartementCode: dep,
			CleRepartition: models.CleEleves, Notes: "Plan synthétique pour les mesures de performance.",
			CreatedAt: now, UpdatedAt: now, Version: 1}
		var members []models.FinancementCommune
		switch i % 3 {
		case 0:
			c := code(dep, 1+rng.IntN(perDep))
			f.Portage, f.CodeINSEE = models.PortageCommune, &c
			members = []models.FinancementCommune{{CodeINSEE: c}}
		case 1:
			// Commune k of LoadSynthetic is the (k / number of départements + 1)-th of its
			// département and belongs to EPCI k / 25: take the members of one EPCI here.
			k := (rng.IntN(perDep))*len(deps) + i%len(deps)
			siren := fmt.Sprintf("9%08d", k/25+1)
			f.Portage, f.EPCISiren, f.CleRepartition = models.PortageIntercommunalite, &siren, models.ClePopulation
			for m := k / 25 * 25; m < k/25*25+25 && m < communes; m++ {
				if m%len(deps) == i%len(deps) {
					members = append(members, models.FinancementCommune{CodeINSEE: code(dep, m/len(deps)+1)})
				}
			}
		default:
			f.Portage, f.CleRepartition = models.PortageGroupement, cles[rng.IntN(len(cles))]
			first := 1 + rng.IntN(perDep-2)
			parts := []int{5000, 3000, 2000}
			for j := range 3 {
				m := models.FinancementCommune{CodeINSEE: code(dep, first+j)}
				if f.CleRepartition == models.CleParts {
					m.PartFixe = &parts[j]
				}
				members = append(members, m)
			}
		}
		p := models.SyntheticFinancement{Financement: f, Communes: members}
		for l := range syntheticLinesPerPlan {
			prevu := int64(1000+rng.IntN(200000)) * 100
			line := models.FinancementLigne{Annee: 2011 + l/2, TypeAnnee: "scolaire", Financeur: funders[rng.IntN(len(funders))],
				Nature: []string{"investissement", "fonctionnement"}[l%2], Libelle: "Ligne synthétique", PrevuCentimes: prevu,
				CreatedAt: now, UpdatedAt: now, Version: 1}
			if l < 6 {
				realise := prevu * int64(80+rng.IntN(30)) / 100
				line.RealiseCentimes = &realise
			}
			p.Lignes = append(p.Lignes, line)
		}
		plans = append(plans, p)
	}
	return store.InsertSyntheticFinancements(ctx, plans)
}
