package seeds

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// syntheticLocalesPerDepartement is the number of local conventions generated per synthetic
// département: with the cadre and the départementales, about 1,000 conventions.
const syntheticLocalesPerDepartement = 10

// LoadSyntheticConventions adds generated conventions for the benchmarks, the same every
// time (fixed random seed): a national cadre, and per synthetic département its DSDEN, a
// convention départementale and ten local conventions of one to three communes, in every
// status, with their annex (the écoles of their communes). communes is the number of
// synthetic communes LoadSynthetic created. A second call does nothing.
func LoadSyntheticConventions(ctx context.Context, store *models.Store, communes int) error {
	existing, err := store.ListConventions(ctx, models.AcademieScope(), models.ConventionFilter{Q: "SYN-CADRE"}, models.PageRequest{Size: 1})
	if err != nil || existing.Total > 0 {
		return err
	}
	rng := rand.New(rand.NewPCG(2011, 2012))
	deps := syntheticDepartements()
	now := time.Now().UTC()
	statuts := []string{models.StatutEnVigueur, models.StatutEnVigueur, models.StatutEnVigueur, models.StatutSignee,
		models.StatutSignature, models.StatutDeliberation, models.StatutNegociation, models.StatutBrouillon, models.StatutEchue, models.StatutResiliee}
	day := func(y, m, d int) *time.Time {
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		return &t
	}
	conv := func(ref, kind, titre string, dep *string, statut string) models.Convention {
		year := 2012 + rng.IntN(5)
		c := models.Convention{Reference: ref, Kind: kind, DepartementCode: dep, Titre: titre,
			Objet: "Convention synthétique pour les mesures de performance.", Statut: statut, StatutDepuis: now,
			Renouvellement: "avenant", CreatedAt: now, UpdatedAt: now, Version: 1}
		fin := day(year+4+rng.IntN(12), 8, 31)
		c.DateExpiration, c.DateFin = fin, fin
		if statut != models.StatutBrouillon && statut != models.StatutNegociation {
			c.DateDeliberation = day(year, 3, 1+rng.IntN(27))
		}
		switch statut {
		case models.StatutSignee, models.StatutEnVigueur, models.StatutEchue, models.StatutResiliee:
			c.DateSignature = day(year, 6, 1+rng.IntN(28))
		}
		switch statut {
		case models.StatutEnVigueur, models.StatutEchue, models.StatutResiliee:
			c.DateEffet = day(year, 9, 1)
		}
		if statut == models.StatutResiliee {
			c.DateResiliation, c.MotifResiliation = day(year+2, 8, 31), "Résiliation synthétique."
		}
		return c
	}
	cadre := conv("SYN-CADRE", models.ConventionCadre, "Convention cadre synthétique", nil, models.StatutEnVigueur)
	perDep := communes / max(len(deps), 1)
	var out []models.SyntheticDepartementConventions
	for _, d := range deps {
		dep := d
		dd := models.SyntheticDepartementConventions{
			DSDEN: models.Organisation{Nom: "DSDEN synthétique " + dep, NomRecherche: "dsden synthetique " + dep, Kind: "dsden",
				DepartementCode: &dep, CreatedAt: now, UpdatedAt: now, Version: 1},
			Departementale: conv("SYN-"+dep+"-DEP", models.ConventionDepartementale, "Convention départementale synthétique "+dep, &dep, models.StatutEnVigueur),
		}
		for i := range syntheticLocalesPerDepartement {
			l := models.SyntheticConvention{Convention: conv(fmt.Sprintf("SYN-%s-%03d", dep, i+1), models.ConventionLocale,
				fmt.Sprintf("Convention locale synthétique %s n° %d", dep, i+1), &dep, statuts[rng.IntN(len(statuts))])}
			for range 1 + rng.IntN(3) {
				if perDep > 0 {
					code := fmt.Sprintf("%s%03d", dep, 1+rng.IntN(perDep))
					if !slices.Contains(l.Communes, code) {
						l.Communes = append(l.Communes, code)
					}
				}
			}
			dd.Locales = append(dd.Locales, l)
		}
		out = append(out, dd)
	}
	return store.InsertSyntheticConventions(ctx, cadre, out)
}
