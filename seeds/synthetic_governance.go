package seeds

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// Sizes of the synthetic governance: per synthetic département a co-pilotage and two
// working groups, plus one national COPIL (about 275 bodies); 22 meetings per body, 5
// decisions per meeting with one action each (about 6,000 meetings, 30,000 decisions and
// 30,000 actions).
const (
	syntheticMeetingsPerBody     = 22
	syntheticDecisionsPerMeeting = 5
	syntheticCharte              = "synthétique"
)

// LoadSyntheticGovernance adds generated governance records for the benchmarks, the same
// every time (fixed random seed): bodies, meetings, decisions with their territories,
// actions, one adopted charter version and adoptions covering about 40 % of the synthetic
// communes (one in three on its own, and one EPCI in ten for its members). communes is the
// number of synthetic communes LoadSynthetic created. Inserted in bulk without audit: for
// synthetic benchmark data only.
//
// A second call does nothing: its charter version is there already.
func LoadSyntheticGovernance(ctx context.Context, store *models.Store, communes int) error {
	versions, err := store.ListChartes(ctx, models.AcademieScope(), false)
	if err != nil {
		return err
	}
	for _, v := range versions {
		if v.Numero == syntheticCharte {
			return nil
		}
	}
	rng := rand.New(rand.NewPCG(2014, 2016))
	deps := syntheticDepartements()
	now := time.Now().UTC()
	kinds := []string{models.DecisionArbitrage, models.DecisionOrientation, models.DecisionValidation, models.DecisionInformation}
	statuts := []string{models.ActionFaite, models.ActionFaite, models.ActionEnCours, models.ActionAFaire, models.ActionAbandonnee}
	z, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		z = time.UTC
	}
	body := func(n int, nom, kind string, dep *string) models.SyntheticBody {
		b := models.SyntheticBody{Instance: models.Instance{Nom: nom, Kind: kind, DepartementCode: dep,
			Mandat: "Instance synthétique pour les mesures de performance.", CalendarToken: fmt.Sprintf("synthetique-%d", n),
			CreatedAt: now, UpdatedAt: now, Version: 1}}
		for m := range syntheticMeetingsPerBody {
			day := time.Date(2011, 3, 1, 14, 0, 0, 0, z).AddDate(0, 0, m*240+rng.IntN(200))
			r := models.Reunion{Titre: fmt.Sprintf("%s — réunion n° %d", nom, m+1), Debut: day.UTC(), Fin: day.Add(2 * time.Hour).UTC(),
				Lieu: "Lieu synthétique", Statut: models.ReunionTenue, CreatedAt: now, UpdatedAt: now, Version: 1}
			if day.After(now) {
				r.Statut = models.ReunionPlanifiee
			}
			meeting := models.SyntheticMeeting{Reunion: r}
			for d := range syntheticDecisionsPerMeeting {
				dec := models.SyntheticDecision{Decision: models.Decision{
					Texte: fmt.Sprintf("Décision synthétique n° %d de la réunion %d de %s.", d+1, m+1, nom),
					Kind:  kinds[rng.IntN(len(kinds))], CreatedAt: now, UpdatedAt: now, Version: 1}}
				if dep == nil {
					dec.Territoires = append(dec.Territoires, models.DecisionTerritoire{Niveau: models.NiveauAcademie})
				} else {
					dec.Territoires = append(dec.Territoires, models.DecisionTerritoire{Niveau: models.NiveauDepartement, Code: *dep})
					if perDep := communes / len(deps); d == 0 && perDep > 0 {
						dec.Territoires = append(dec.Territoires, models.DecisionTerritoire{Niveau: models.NiveauCommune,
							Code: fmt.Sprintf("%s%03d", *dep, 1+rng.IntN(perDep))})
					}
				}
				due := day.AddDate(0, 3, 0)
				dec.Actions = []models.Action{{Titre: fmt.Sprintf("Action synthétique de la décision %d", d+1),
					Echeance: &due, Statut: statuts[rng.IntN(len(statuts))], CreatedAt: now, UpdatedAt: now, Version: 1}}
				meeting.Decisions = append(meeting.Decisions, dec)
			}
			b.Meetings = append(b.Meetings, meeting)
		}
		return b
	}
	bodies := []models.SyntheticBody{body(0, "COPIL national synthétique", models.InstanceCopil, nil)}
	for i, d := range deps {
		dep := d
		bodies = append(bodies,
			body(3*i+1, "Co-pilotage synthétique "+dep, models.InstanceCopilotage, &dep),
			body(3*i+2, "GT technique synthétique "+dep, models.InstanceGTTechnique, &dep),
			body(3*i+3, "GT fonctionnel synthétique "+dep, models.InstanceGTFonction, &dep))
	}
	charte := models.CharteVersion{Numero: syntheticCharte, DateVersion: time.Date(2014, 5, 13, 0, 0, 0, 0, time.UTC),
		CreatedAt: now, UpdatedAt: now, Version: 1}
	for _, s := range models.CharteSectionKeys {
		charte.Sections = append(charte.Sections, models.CharteSection{Cle: s.Value, Titre: s.Label, Texte: "Texte synthétique."})
	}
	var adoptions []models.Adoption
	adopt := func(a models.Adoption) {
		a.DeliberationRef, a.DeliberationDate = "Délibération synthétique", time.Date(2015, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		a.CreatedAt, a.UpdatedAt, a.Version = now, now, 1
		adoptions = append(adoptions, a)
	}
	for i := range communes {
		if i%3 == 0 {
			code := fmt.Sprintf("%s%03d", deps[i%len(deps)], i/len(deps)+1)
			adopt(models.Adoption{CodeINSEE: &code})
		}
	}
	for i := range (communes + 24) / 25 {
		if i%10 == 0 {
			siren := fmt.Sprintf("9%08d", i+1)
			adopt(models.Adoption{EPCISiren: &siren, CouvreMembres: true})
		}
	}
	return store.InsertSyntheticGovernance(ctx, bodies, charte, adoptions)
}
