package seeds

import (
	"context"
	"fmt"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
)

// demoJalonsFirst is the title of the first demonstration milestone: when it exists, the
// milestones were loaded.
const demoJalonsFirst = "Réflexion et concertation"

// demoReference is the name of the demonstration's baseline.
const demoReference = "Plan initial (janvier 2012)"

// demoJalons is the programme's timeline (DESIGN.md §1), académie level; vague names the
// wave a milestone is linked to.
var demoJalons = []struct {
	titre, prevue, effective, statut, vague string
}{
	{demoJalonsFirst, "20/03/2011", "15/06/2011", models.JalonAtteint, ""},
	{"Signature de l'accord de coopération Rectorat–AMIF", "12/04/2011", "12/04/2011", models.JalonAtteint, ""},
	{"Rédaction de la convention cadre et de la charte", "31/10/2011", "15/12/2011", models.JalonAtteint, ""},
	{"Ouverture des sites pilotes", "09/01/2012", "09/01/2012", models.JalonAtteint, "Sites pilotes 2012"},
	{"Bilan des pilotes", "29/06/2012", "", models.JalonAVenir, ""},
	{"Ouverture de la vague 2013-2014", "02/09/2013", "02/09/2013", models.JalonAtteint, "Vague 2013-2014"},
	{"Ouverture de la vague 2014-2015", "01/09/2014", "15/09/2014", models.JalonAtteint, "Vague 2014-2015"},
	{"Ouverture de la vague 2015-2016", "01/09/2015", "01/09/2015", models.JalonAtteint, "Vague 2015-2016"},
	{"Ouverture de la vague 2016-2017", "01/09/2016", "", models.JalonEnCours, "Vague 2016-2017"},
	{"Restitution et mutualisation avec les autres académies", "30/06/2017", "", models.JalonAVenir, ""},
}

// loadDemoJalons adds the demonstration's milestones, once: the programme's timeline, the
// installation of each département's co-steering, a late commune milestone; then freezes
// the baseline "Plan initial (janvier 2012)" and moves the date of the pilots' review, which
// the comparison with the baseline shows as slippage.
func loadDemoJalons(ctx context.Context, store *models.Store, actor models.Actor) error {
	scope := models.AcademieScope()
	done, err := store.ListJalons(ctx, scope, models.JalonFilter{Q: demoJalonsFirst}, models.PageRequest{Size: 1})
	if err != nil || done.Total > 0 {
		return err
	}
	vagues, err := store.ListVagues(ctx, scope)
	if err != nil {
		return err
	}
	byName := map[string]int64{}
	for _, v := range vagues {
		byName[v.Nom] = v.ID
	}
	var bilan models.JalonRow
	for _, d := range demoJalons {
		in := models.JalonInput{Titre: d.titre, Niveau: models.NiveauAcademie, DatePrevue: d.prevue, DateEffective: d.effective,
			Statut: d.statut, VagueID: byName[d.vague]}
		j, err := store.CreateJalon(ctx, actor, in)
		if err != nil {
			return fmt.Errorf("jalon de démonstration %q : %w", d.titre, err)
		}
		if d.titre == "Bilan des pilotes" {
			bilan = j
		}
	}
	if err := loadDemoLocalJalons(ctx, store, actor); err != nil {
		return err
	}
	if _, err := store.FreezeReference(ctx, actor, demoReference,
		"Le plan tel qu'arrêté à l'ouverture des sites pilotes : dates prévues des vagues, des jalons et des écoles."); err != nil {
		return fmt.Errorf("référence de démonstration : %w", err)
	}
	// The pilots' review slipped by two weeks after the baseline was frozen.
	_, err = store.UpdateJalon(ctx, actor, bilan.ID, bilan.Version, models.JalonInput{Titre: bilan.Titre, Niveau: models.NiveauAcademie,
		DatePrevue: "13/07/2012", DateEffective: "13/07/2012", Statut: models.JalonAtteint})
	return err
}

// loadDemoLocalJalons adds a co-steering milestone per département and a late milestone
// of Montreuil.
func loadDemoLocalJalons(ctx context.Context, store *models.Store, actor models.Actor) error {
	for i, dep := range []string{"77", "93", "94"} {
		day := strconv.Itoa(14+i) + "/11/2011"
		if _, err := store.CreateJalon(ctx, actor, models.JalonInput{Titre: "Installation du co-pilotage départemental (" + dep + ")",
			Niveau: models.NiveauDepartement, Departement: dep, DatePrevue: day, DateEffective: day, Statut: models.JalonAtteint}); err != nil {
			return fmt.Errorf("jalon départemental %s : %w", dep, err)
		}
	}
	_, err := store.CreateJalon(ctx, actor, models.JalonInput{Titre: "Délibération du conseil municipal sur le financement de l'ENT",
		Description: "Préalable à la convention locale et à l'ouverture de l'ENT dans les écoles de la commune.",
		Niveau:      models.NiveauCommune, Commune: "93048", DatePrevue: "30/06/2013", Statut: models.JalonEnCours})
	if err != nil {
		return fmt.Errorf("jalon de Montreuil : %w", err)
	}
	return nil
}
