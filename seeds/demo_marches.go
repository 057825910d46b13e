package seeds

import (
	"context"
	"fmt"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
)

// The demonstration's calls for tender, one per département: Montreuil (93) awarded to the
// demonstration's solution, Créteil (94) in analysis with two bids, and a groupement de
// commandes of the 77 coordinated by Meaux with Crégy-lès-Meaux and Chambry, published,
// with the members' délibérations.

// demoMarche is one market of the scenario and how far it goes.
type demoMarche struct {
	in       models.MarcheInput
	adhesion map[string]string // délibération dates by INSEE code
	statuts  []models.StatutMarcheInput
	offres   []string // amounts of the bids on lot 1
	attribue bool
}

func demoMarches() []demoMarche {
	return []demoMarche{
		{in: models.MarcheInput{Reference: "MTR-2012-ENT", Objet: "ENT des écoles de Montreuil", Acheteur: "commune",
			Communes: []string{"93048"}, Procedure: "ao_ouvert", MontantEstime: "180 000", DateLimite: "15/05/2012"},
			statuts: []models.StatutMarcheInput{{Statut: "publie", Date: "02/04/2012"}, {Statut: "en_analyse", Date: "16/05/2012"}},
			offres:  []string{"165 000", "192 500,50"}, attribue: true},
		{in: models.MarcheInput{Reference: "CRT-2013-ENT", Objet: "ENT des écoles de Créteil", Acheteur: "commune",
			Communes: []string{"94028"}, Procedure: "mapa", MontantEstime: "120 000", DateLimite: "28/02/2013"},
			statuts: []models.StatutMarcheInput{{Statut: "publie", Date: "21/01/2013"}, {Statut: "en_analyse", Date: "01/03/2013"}},
			offres:  []string{"98 000", "111 250"}},
		{in: models.MarcheInput{Reference: "GC-MEAUX-2013", Objet: "Groupement de commandes ENT du Pays de Meaux", Acheteur: "groupement",
			Coordinateur: "77284", Communes: []string{"77143", "77077"}, Procedure: "ao_ouvert", MontantEstime: "240 000",
			DateLimite: "30/06/2013"},
			adhesion: map[string]string{"77284": "11/02/2013", "77143": "18/02/2013", "77077": "25/02/2013"},
			statuts:  []models.StatutMarcheInput{{Statut: "publie", Date: "15/05/2013"}}},
	}
}

// loadDemoMarches adds the demonstration's markets, once: nothing when the first exists.
func loadDemoMarches(ctx context.Context, store *models.Store, actor models.Actor) error {
	scope := models.AcademieScope()
	done, err := store.ListMarches(ctx, scope, models.MarcheFilter{Q: "MTR-2012-ENT"}, models.PageRequest{Size: 1})
	if err != nil || len(done.Items) > 0 {
		return err
	}
	sol, err := demoSolutionID(ctx, store, actor)
	if err != nil {
		return err
	}
	sols, err := store.ListSolutions(ctx, scope)
	if err != nil {
		return err
	}
	var vendor int64
	for _, s := range sols {
		if s.ID == sol && s.EditeurID != nil {
			vendor = *s.EditeurID
		}
	}
	cahiers, err := loadDemoCahiers(ctx, store, actor)
	if err != nil {
		return fmt.Errorf("cahiers des charges de démonstration : %w", err)
	}
	for _, d := range demoMarches() {
		// The 94's market follows its adaptation; the others, the académie's model.
		if d.in.CahierVersionID = cahiers[""]; cahiers[d.in.Communes[0][:2]] != 0 {
			d.in.CahierVersionID = cahiers[d.in.Communes[0][:2]]
		}
		if err := loadDemoMarche(ctx, store, actor, d, sol, vendor); err != nil {
			return fmt.Errorf("marché de démonstration %s : %w", d.in.Objet, err)
		}
	}
	return nil
}

// loadDemoMarche creates one market and takes it through its steps.
func loadDemoMarche(ctx context.Context, store *models.Store, actor models.Actor, d demoMarche, sol, vendor int64) error {
	m, err := store.CreateMarche(ctx, actor, d.in)
	if err != nil {
		return err
	}
	if m, err = store.AddLot(ctx, actor, m.ID, m.Version, models.LotInput{Numero: "1", Intitule: "Plateforme ENT et hébergement",
		MontantEstime: d.in.MontantEstime}); err != nil {
		return err
	}
	for _, code := range m.CommuneCodes() {
		if date, ok := d.adhesion[code]; ok {
			if m, err = store.RecordAdhesion(ctx, actor, m.ID, m.Version, models.AdhesionInput{Commune: code, Date: date,
				Ref: "Délibération " + code}); err != nil {
				return err
			}
		}
	}
	for i, st := range d.statuts {
		if m, err = store.ChangeMarcheStatut(ctx, actor, m.ID, m.Version, st); err != nil {
			return err
		}
		if i > 0 || len(d.offres) == 0 {
			continue
		}
		for j, amount := range d.offres {
			in := models.OffreInput{LotID: m.Lots[0].ID, Soumissionnaire: "Éditeur concurrent " + strconv.Itoa(j), Montant: amount}
			if j == 0 && vendor > 0 {
				in = models.OffreInput{LotID: m.Lots[0].ID, SoumissionnaireID: vendor, SolutionID: sol, Montant: amount}
			}
			if m, err = store.AddOffre(ctx, actor, m.ID, m.Version, in); err != nil {
				return err
			}
		}
	}
	if !d.attribue || vendor == 0 {
		return nil
	}
	_, _, err = store.AttribuerLot(ctx, actor, m.ID, m.Version, models.AttributionInput{LotID: m.Lots[0].ID, TitulaireID: vendor,
		SolutionID: sol, Montant: d.offres[0], DureeMois: "48", DateDebut: "01/09/2012", Reconductions: "1"}, models.DeploiementGuard{})
	return err
}
