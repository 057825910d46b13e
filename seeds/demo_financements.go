package seeds

import (
	"context"
	"fmt"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
)

// demoFinancementSuffix ends the title of every demonstration plan: a second load finds
// them and creates nothing.
const demoFinancementSuffix = " (démonstration)"

// demoPlan is one financing plan of the scenario: its portage, its communes, the convention
// it belongs to when that convention exists, and its lines from 2012 to 2016.
type demoPlan struct {
	in         models.FinancementInput
	convention string // reference; the plan stays without convention when it does not exist
	// base is the planned amount of the first year, in euros; later years vary around it.
	base     int
	funders  []string
	realised int // years (from 2012) whose actual amounts are known
}

func demoPlans() []demoPlan {
	plan := func(titre, portage, dep string) models.FinancementInput {
		return models.FinancementInput{Titre: titre + demoFinancementSuffix, Portage: portage, Departement: dep,
			Notes: demoFictionText + "Montants inventés pour la démonstration."}
	}
	with := func(in models.FinancementInput, set func(*models.FinancementInput)) models.FinancementInput {
		set(&in)
		return in
	}
	return []demoPlan{
		{in: with(plan("ENT des écoles de Bobigny", models.PortageCommune, "93"), func(in *models.FinancementInput) { in.Commune = "93008" }),
			convention: "CRE-93-2012-001", base: 48000, funders: []string{"commune", "etat"}, realised: 4},
		{in: with(plan("Groupement de commandes Bondy – Pantin – Romainville", models.PortageGroupement, "93"), func(in *models.FinancementInput) {
			in.Communes, in.Cle = "93010 : 45\n93055 : 35\n93063 : 20", models.CleParts
		}), convention: "CRE-93-2012-001", base: 90000, funders: []string{"commune", "etat", "departement"}, realised: 3},
		{in: with(plan("Est Ensemble, ENT mutualisé", models.PortageIntercommunalite, "93"), func(in *models.FinancementInput) {
			in.EPCI, in.Cle = "200057875", models.CleEleves
		}), base: 150000, funders: []string{"epci", "etat", "region"}, realised: 2},
		{in: with(plan("Groupement Montreuil – Bagnolet", models.PortageGroupement, "93"), func(in *models.FinancementInput) {
			in.Communes, in.Cle = "93048, 93006", models.ClePopulation
		}), base: 70000, funders: []string{"commune", "etat"}, realised: 3},
		{in: with(plan("ENT des écoles de Créteil", models.PortageCommune, "94"), func(in *models.FinancementInput) { in.Commune = "94028" }),
			convention: "CRE-94-2012-001", base: 52000, funders: []string{"commune", "etat"}, realised: 5},
		{in: with(plan("Grand Paris Sud Est Avenir, ENT communautaire", models.PortageIntercommunalite, "94"), func(in *models.FinancementInput) {
			in.EPCI, in.Cle = "200058006", models.CleEcoles
		}), base: 120000, funders: []string{"epci", "etat", "departement"}, realised: 2},
		{in: with(plan("Groupement Vitry-sur-Seine – Ivry-sur-Seine", models.PortageGroupement, "94"), func(in *models.FinancementInput) {
			in.Communes, in.Cle = "94081, 94041", models.CleEleves
		}), base: 85000, funders: []string{"commune", "etat", "autre"}, realised: 1},
		{in: with(plan("ENT des écoles de Melun", models.PortageCommune, "77"), func(in *models.FinancementInput) { in.Commune = "77288" }),
			convention: "CRE-77-2012-001", base: 30000, funders: []string{"commune", "etat"}, realised: 4},
		{in: with(plan("Melun Val de Seine, ENT intercommunal", models.PortageIntercommunalite, "77"), func(in *models.FinancementInput) {
			in.EPCI, in.Cle = "247700057", models.ClePopulation
		}), base: 60000, funders: []string{"epci", "etat", "region"}, realised: 3},
		{in: with(plan("Groupement rural de la Brie", models.PortageGroupement, "77"), func(in *models.FinancementInput) {
			in.Communes, in.Cle = "77001 : 50\n77002 : 50", models.CleParts
		}), base: 12000, funders: []string{"commune", "etat", "departement"}, realised: 2},
	}
}

// LoadDemoFinancements creates the demonstration's financing plans (a mix of portages,
// groupements with split keys, lines from 2012 to 2016 with actual amounts for the first
// years), fictional and labelled as such. Plans attach to a convention only when a
// convention of that reference exists. It is idempotent: a plan already there (by title)
// is left as it is.
func LoadDemoFinancements(ctx context.Context, store *models.Store, actor models.Actor) error {
	existing := map[string]bool{}
	err := store.EachFinancement(ctx, actor.Scope, models.FinancementFilter{Q: demoFinancementSuffix}, func(r models.FinancementRow) error {
		existing[r.Titre] = true
		return nil
	})
	if err != nil {
		return err
	}
	for i, d := range demoPlans() {
		if existing[d.in.Titre] {
			continue
		}
		if d.convention != "" {
			id, ok, err := store.FinancementConventionByReference(ctx, actor, d.in.Departement, d.convention)
			if err != nil {
				return err
			}
			if ok {
				d.in.ConventionID = id
			}
		}
		p, err := store.CreateFinancement(ctx, actor, d.in)
		if err != nil {
			return fmt.Errorf("plan de financement %q : %w", d.in.Titre, err)
		}
		for y := range 5 {
			year := 2012 + y
			for k, funder := range d.funders {
				nature := "investissement"
				if y > 0 && k == 0 {
					nature = "fonctionnement"
				}
				// Amounts in cents, varying by year and funder (never floats).
				prevu := int64(d.base) * 100 * int64(100-15*k) / 100 * int64(90+(i*7+y*13)%25) / 100 / int64(1+y%2)
				in := models.LigneInput{Annee: strconv.Itoa(year), TypeAnnee: "scolaire", Financeur: funder, Nature: nature,
					Libelle: "Ligne fictive " + strconv.Itoa(year), Prevu: fr.EurosPlain(prevu)}
				if y < d.realised {
					in.Realise = fr.EurosPlain(prevu * int64(85+(i+y+k)%20) / 100)
				}
				if _, err := store.AddLigne(ctx, actor, p.ID, in); err != nil {
					return fmt.Errorf("ligne %d du plan %q : %w", year, d.in.Titre, err)
				}
			}
		}
	}
	return nil
}
