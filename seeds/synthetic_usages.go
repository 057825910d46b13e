package seeds

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// syntheticUsageActor imports the synthetic statistics.
var syntheticUsageActor = models.Actor{Name: "Données synthétiques", Role: models.RoleAdmin, Scope: models.AcademieScope()}

// syntheticUsageEcole is an école of the synthetic statistics: its pupils, and how fast its
// accounts get activated and used.
type syntheticUsageEcole struct {
	uai, nom       string
	eleves         int64
	start, growth  float64 // activation rate of the first month, and its monthly gain
	use            float64 // share of the activated accounts that log in during a month
	unknownCharges bool    // the platform does not report the accounts loaded (NULL)
}

// LoadSyntheticUsages imports, for every école of the territory, months months (the last
// one being the month before the current one) × 5 profiles of plausible ENT statistics, the
// same every time (fixed random seed): accounts loaded after the pupils (parents, teachers,
// staff and guests in proportion), an activation rate rising month after month from a
// level of its own, logins and unique visitors a share of the activated accounts, and for
// about one école in a hundred the accounts loaded unknown. Each month is one import
// through the real import path (Store.ImportUsages: history, audit, kept monthly figures),
// as the platform's monthly exports would be.
func LoadSyntheticUsages(ctx context.Context, store *models.Store, months int) error {
	if months <= 0 || months > 36 {
		return fmt.Errorf("nombre de mois hors limites : %d (1 à 36)", months)
	}
	rng := rand.New(rand.NewPCG(2025, 11))
	var ecoles []syntheticUsageEcole
	err := store.EachEcole(ctx, models.AcademieScope(), models.EcoleFilter{}, func(e models.EcoleRow) error {
		n := int64(150)
		if e.NbEleves != nil && *e.NbEleves > 0 {
			n = int64(*e.NbEleves)
		}
		ecoles = append(ecoles, syntheticUsageEcole{uai: e.UAI, nom: e.Nom, eleves: n, start: 0.05 + 0.6*rng.Float64(),
			growth: 0.05 * rng.Float64(), use: 0.2 + 0.6*rng.Float64(), unknownCharges: rng.IntN(100) == 0})
		return nil
	})
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	last := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	for m := range months {
		month := last.AddDate(0, m-months+1, 0)
		f := &models.UsageFile{Fichier: "export-stats-accounts-" + month.Format("2006-01") + ".csv", Format: "synthétique",
			Granularite: "mois", Rows: make([]models.UsageRow, 0, 5*len(ecoles))}
		for _, e := range ecoles {
			f.Rows = append(f.Rows, e.rows(rng, month, m)...)
		}
		if _, err := store.ImportUsages(ctx, syntheticUsageActor, f); err != nil {
			return fmt.Errorf("statistiques synthétiques de %s : %w", month.Format("01/2006"), err)
		}
	}
	return nil
}

// rows is the statistics of the école for the month, the m-th of the series.
func (e syntheticUsageEcole) rows(rng *rand.Rand, month time.Time, m int) []models.UsageRow {
	rate := min(0.98, e.start+e.growth*float64(m))
	loaded := map[string]int64{
		"eleve": e.eleves, "parent": e.eleves * 16 / 10, "enseignant": e.eleves/22 + 1,
		"personnel": 1 + int64(rng.IntN(5)), "invite": int64(rng.IntN(3)),
	}
	share := map[string]float64{"eleve": rate, "parent": rate * 0.7, "enseignant": min(0.99, rate+0.3), "personnel": 0.8, "invite": 0.3}
	out := make([]models.UsageRow, 0, len(models.UsageProfils))
	for _, p := range models.UsageProfils {
		charges := loaded[p.Value]
		actives := int64(float64(charges) * share[p.Value])
		visiteurs := int64(float64(actives) * e.use * (0.8 + 0.4*rng.Float64()))
		visiteurs = min(visiteurs, actives)
		connexions := visiteurs * int64(1+rng.IntN(8))
		r := models.UsageRow{Etablissement: e.nom, UAI: e.uai, Periode: month, Profil: p.Value,
			Connexions: &connexions, Visiteurs: &visiteurs, ComptesCharges: &charges, ComptesActives: &actives}
		if e.unknownCharges {
			r.ComptesCharges = nil
		}
		out = append(out, r)
	}
	return out
}
