package seeds

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
)

// Sizes of the synthetic governance: per synthetic département a co-pilotage and two
// working groups, plus one national COPIL (about 275 bodies); 22 meetings per body, 5
// decisions per meeting with one action each (about 6,000 meetings, 30,000 decisions and
// 30,000 actions). A small synthetic territory (the tests', under syntheticSmall communes)
// gets 2 meetings per body: the same shapes, a tenth of the rows.
const (
	syntheticMeetingsPerBody     = 22
	syntheticSmallMeetings       = 2
	syntheticSmall               = 5000
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
	g := &syntheticGov{rng: rand.New(rand.NewPCG(2014, 2016)), deps: syntheticDepartements(), now: time.Now().UTC(),
		communes: communes}
	bodies := []models.SyntheticBody{g.body(0, "COPIL national synthétique", models.InstanceCopil, nil)}
	for i, d := range g.deps {
		dep := d
		bodies = append(bodies,
			g.body(3*i+1, "Co-pilotage synthétique "+dep, models.InstanceCopilotage, &dep),
			g.body(3*i+2, "GT technique synthétique "+dep, models.InstanceGTTechnique, &dep),
			g.body(3*i+3, "GT fonctionnel synthétique "+dep, models.InstanceGTFonction, &dep))
	}
	return store.InsertSyntheticGovernance(ctx, bodies, g.charte(), g.adoptions())
}

// syntheticGov makes the synthetic governance data: its random source (fixed seed, so that
// every run makes the same data), the synthetic départements, the time of the load and the
// number of synthetic communes.
type syntheticGov struct {
	rng      *rand.Rand
	deps     []string
	now      time.Time
	communes int
}

var (
	syntheticDecisionKinds = []string{models.DecisionArbitrage, models.DecisionOrientation, models.DecisionValidation, models.DecisionInformation}
	syntheticActionStatuts = []string{models.ActionFaite, models.ActionFaite, models.ActionEnCours, models.ActionAFaire, models.ActionAbandonnee}
)

// body is a steering body (of the académie when dep is nil) with its meetings.
func (g *syntheticGov) body(n int, nom, kind string, dep *string) models.SyntheticBody {
	b := models.SyntheticBody{Instance: models.Instance{Nom: nom, Kind: kind, DepartementCode: dep,
		Mandat: "Instance synthétique pour les mesures de performance.", CalendarToken: fmt.Sprintf("synthetique-%d", n),
		CreatedAt: g.now, UpdatedAt: g.now, Version: 1}}
	meetings := syntheticMeetingsPerBody
	if g.communes < syntheticSmall {
		meetings = syntheticSmallMeetings
	}
	for m := range meetings {
		day := time.Date(2011, 3, 1, 14, 0, 0, 0, fr.Paris()).AddDate(0, 0, m*240+g.rng.IntN(200))
		r := models.Reunion{Titre: fmt.Sprintf("%s — réunion n° %d", nom, m+1), Debut: day.UTC(), Fin: day.Add(2 * time.Hour).UTC(),
			Lieu: "Lieu synthétique", Statut: models.ReunionTenue, CreatedAt: g.now, UpdatedAt: g.now, Version: 1}
		if day.After(g.now) {
			r.Statut = models.ReunionPlanifiee
		}
		meeting := models.SyntheticMeeting{Reunion: r}
		for d := range syntheticDecisionsPerMeeting {
			meeting.Decisions = append(meeting.Decisions, g.decision(nom, m, d, day, dep))
		}
		b.Meetings = append(b.Meetings, meeting)
	}
	return b
}

// decision is the decision d of meeting m, with its territories and an action due three
// months after the meeting.
func (g *syntheticGov) decision(nom string, m, d int, day time.Time, dep *string) models.SyntheticDecision {
	dec := models.SyntheticDecision{Decision: models.Decision{
		Texte: fmt.Sprintf("Décision synthétique n° %d de la réunion %d de %s.", d+1, m+1, nom),
		Kind:  syntheticDecisionKinds[g.rng.IntN(len(syntheticDecisionKinds))], CreatedAt: g.now, UpdatedAt: g.now, Version: 1}}
	if dep == nil {
		dec.Territoires = append(dec.Territoires, models.DecisionTerritoire{Niveau: models.NiveauAcademie})
	} else {
		dec.Territoires = append(dec.Territoires, models.DecisionTerritoire{Niveau: models.NiveauDepartement, Code: *dep})
		if perDep := g.communes / len(g.deps); d == 0 && perDep > 0 {
			dec.Territoires = append(dec.Territoires, models.DecisionTerritoire{Niveau: models.NiveauCommune,
				Code: fmt.Sprintf("%s%03d", *dep, 1+g.rng.IntN(perDep))})
		}
	}
	due := day.AddDate(0, 3, 0)
	dec.Actions = []models.Action{{Titre: fmt.Sprintf("Action synthétique de la décision %d", d+1),
		Echeance: &due, Statut: syntheticActionStatuts[g.rng.IntN(len(syntheticActionStatuts))], CreatedAt: g.now, UpdatedAt: g.now, Version: 1}}
	return dec
}

// charte is the synthetic charter version, with a short text in every section.
func (g *syntheticGov) charte() models.CharteVersion {
	charte := models.CharteVersion{Numero: syntheticCharte, DateVersion: time.Date(2014, 5, 13, 0, 0, 0, 0, time.UTC),
		CreatedAt: g.now, UpdatedAt: g.now, Version: 1}
	for _, s := range models.CharteSectionKeys {
		charte.Sections = append(charte.Sections, models.CharteSection{Cle: s.Value, Titre: s.Label, Texte: "Texte synthétique."})
	}
	return charte
}

// adoptions are the adoptions of the charter: one synthetic commune in three on its own,
// and one EPCI in ten for its members.
func (g *syntheticGov) adoptions() []models.Adoption {
	var adoptions []models.Adoption
	adopt := func(a models.Adoption) {
		a.DeliberationRef, a.DeliberationDate = "Délibération synthétique", time.Date(2015, time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28), 0, 0, 0, 0, time.UTC)
		a.CreatedAt, a.UpdatedAt, a.Version = g.now, g.now, 1
		adoptions = append(adoptions, a)
	}
	for i := range g.communes {
		if i%3 == 0 {
			code := fmt.Sprintf("%s%03d", g.deps[i%len(g.deps)], i/len(g.deps)+1)
			adopt(models.Adoption{CodeINSEE: &code})
		}
	}
	for i := range (g.communes + 24) / 25 {
		if i%10 == 0 {
			siren := fmt.Sprintf("9%08d", i+1)
			adopt(models.Adoption{EPCISiren: &siren, CouvreMembres: true})
		}
	}
	return adoptions
}
