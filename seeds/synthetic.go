package seeds

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/ac-creteil/pilotage/models"
)

// SyntheticOptions sizes a synthetic national territory.
type SyntheticOptions struct {
	Communes int
	Ecoles   int
	Progress func(done, total int)
}

// SyntheticCounts says what LoadSynthetic wrote.
type SyntheticCounts struct {
	Communes models.ImportCounts
	Ecoles   models.ImportCounts
}

// syntheticDepartements are metropolitan départements outside the académie (Corsica and
// overseas left out: their codes have other shapes).
func syntheticDepartements() []string {
	var out []string
	for n := 1; n <= 95; n++ {
		code := fmt.Sprintf("%02d", n)
		if code == "20" || code == "77" || code == "93" || code == "94" {
			continue
		}
		out = append(out, code)
	}
	return out
}

var syntheticNames = []string{"Saint-Étienne", "Châteauneuf", "Villeneuve", "Beaumont", "Fontaine", "Montigny",
	"Bourg-la-Reine", "Épinay", "Noisy", "Champigny", "Créteil-sur-Marne", "Lès-Vergers"}

// LoadSynthetic adds a generated territory of the given size, the same every time
// (fixed random seed): départements, one EPCI per 25 communes, circonscriptions, communes
// and écoles with valid codes, loaded through the same importers as real files; then the
// organisations and contacts of one commune in five, and the synthetic governance,
// conventions and financing plans.
func LoadSynthetic(ctx context.Context, store *models.Store, opts SyntheticOptions) (SyntheticCounts, error) {
	var counts SyntheticCounts
	deps := syntheticDepartements()
	if opts.Communes < len(deps) || opts.Communes > len(deps)*999 || opts.Ecoles > len(deps)*8999 {
		return counts, fmt.Errorf("tailles hors limites : de %d à %d communes, au plus %d écoles", len(deps), len(deps)*999, len(deps)*8999)
	}
	rng := rand.New(rand.NewPCG(2011, 2016))
	depIn := make([]models.DepartementInput, len(deps))
	for i, d := range deps {
		depIn[i] = models.DepartementInput{Code: d, Nom: "Département synthétique " + d, Academie: "Synthétique"}
	}
	if _, err := store.ImportDepartements(ctx, depIn, models.ImportOptions{}); err != nil {
		return counts, err
	}
	nEPCI := (opts.Communes + 24) / 25
	epcis := make([]models.EPCIInput, nEPCI)
	for i := range epcis {
		epcis[i] = models.EPCIInput{Siren: fmt.Sprintf("9%08d", i+1), Nom: fmt.Sprintf("CC synthétique n° %d", i+1),
			Type: "CC", NbCommunesTotal: 25, PopulationTotale: 50000}
	}
	if _, err := store.ImportEPCI(ctx, epcis, models.ImportOptions{}); err != nil {
		return counts, err
	}
	communes := make([]models.CommuneInput, opts.Communes)
	for i := range communes {
		dep, n := deps[i%len(deps)], i/len(deps)+1
		pop := 200 + rng.IntN(30000)
		communes[i] = models.CommuneInput{CodeINSEE: fmt.Sprintf("%s%03d", dep, n), Departement: dep,
			Nom:        fmt.Sprintf("%s %s-%d", syntheticNames[rng.IntN(len(syntheticNames))], dep, n),
			Population: &pop, CodesPostaux: []string{fmt.Sprintf("%s%03d", dep, n%1000)},
			EPCISiren: ptr(epcis[i/25].Siren), EPTSiren: ptr("")}
	}
	var err error
	if counts.Communes, err = store.ImportCommunes(ctx, communes, models.ImportOptions{Progress: opts.Progress}); err != nil {
		return counts, err
	}
	types := []string{"maternelle", "elementaire", "primaire"}
	eps := []string{"", "", "", "", "", "REP", "REP+"}
	ecoles := make([]models.EcoleInput, opts.Ecoles)
	for i := range ecoles {
		k := i % len(deps)
		perDep := (opts.Communes - k + len(deps) - 1) / len(deps)
		c := communes[k+len(deps)*rng.IntN(perDep)]
		digits := fmt.Sprintf("0%s%04d", c.Departement, i/len(deps)+1)
		circo := rng.IntN(15)
		ecoles[i] = models.EcoleInput{UAI: digits + string(models.UAICheckLetter(digits)),
			Nom:  fmt.Sprintf("École %s %s", types[i%3], c.Nom),
			Type: types[i%3], Statut: "public", CodeINSEE: c.CodeINSEE,
			CodeCirconscription:  circoCode(c.Departement, circo),
			NomCirconscription:   fmt.Sprintf("Circonscription synthétique %s-%d", c.Departement, circo+1),
			NbEleves:             ptr(40 + rng.IntN(400)),
			NbClasses:            ptr(2 + rng.IntN(16)),
			EducationPrioritaire: eps[rng.IntN(len(eps))], Source: "synthetique"}
	}
	if counts.Ecoles, err = store.ImportEcoles(ctx, ecoles, models.ImportOptions{Progress: opts.Progress}); err != nil {
		return counts, err
	}
	if err := LoadSyntheticContacts(ctx, store, communes); err != nil {
		return counts, err
	}
	if err := LoadSyntheticGovernance(ctx, store, opts.Communes); err != nil {
		return counts, err
	}
	if err := LoadSyntheticConventions(ctx, store, opts.Communes); err != nil {
		return counts, err
	}
	if err := LoadSyntheticFinancements(ctx, store, opts.Communes); err != nil {
		return counts, err
	}
	if err := LoadSyntheticDeploiements(ctx, store); err != nil {
		return counts, err
	}
	return counts, store.Optimize(ctx)
}

// circoCode is a UAI-shaped circonscription code, numbered from 9000 in its département.
func circoCode(dep string, n int) string {
	digits := fmt.Sprintf("0%s%04d", dep, 9000+n)
	return digits + string(models.UAICheckLetter(digits))
}
