package seeds

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ac-creteil/pilotage/models"
)

// The demonstration's feasibility study: the campaign "Sites pilotes 2012" with the
// default criteria, seven candidatures of the 77, 93 and 94 (one of them a group of
// communes of Est Ensemble carried by the EPT), scored, and decided: four retained (their
// écoles enter the pilot wave), one on the waiting list, one refused, one still waiting.

const (
	demoCampagneNom   = "Sites pilotes 2012"
	demoPilotVagueNom = "Sites pilotes 2012"
)

// demoCandidature is one candidature of the scenario: its communes, its carrier, its notes
// (in the order of the default criteria) and its decision.
type demoCandidature struct {
	titre    string
	communes []string
	epci     string
	notes    []string
	decision string
	date     string
}

func demoCandidatures() []demoCandidature {
	return []demoCandidature{
		{"Montreuil, sites pilotes", []string{"93048"}, "", []string{"5", "4", "5", "4", "5", "3"}, "retenue", "14/12/2011"},
		{"Est Ensemble : Pantin, Les Lilas, Le Pré-Saint-Gervais", []string{"93055", "93045", "93061"}, "200057875",
			[]string{"4", "4", "4", "3", "4", "5"}, "retenue", "14/12/2011"},
		{"Bobigny", []string{"93008"}, "", []string{"3", "3", "4", "3", "3", "2"}, "liste_attente", "14/12/2011"},
		{"Créteil", []string{"94028"}, "", []string{"4", "5", "4", "4", "3", "4"}, "retenue", "15/12/2011"},
		{"Fontenay-sous-Bois", []string{"94033"}, "", []string{"2", "2", "3", "1", "3", "2"}, "refusee", "15/12/2011"},
		{"Melun", []string{"77288"}, "", []string{"4", "3", "4", "4", "4", "3"}, "retenue", "16/12/2011"},
		{"Meaux", []string{"77284"}, "", []string{"3", "2", "", "", "", ""}, "", ""},
	}
}

// loadDemoCandidatures adds the demonstration's campaign and candidatures, once: nothing
// when the campaign exists, or when the plan has no pilot wave "Sites pilotes 2012".
func loadDemoCandidatures(ctx context.Context, store *models.Store, actor models.Actor) error {
	scope := models.AcademieScope()
	vagues, err := store.ListVagues(ctx, scope)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(vagues, func(v models.Vague) bool { return v.Nom == demoPilotVagueNom })
	if i < 0 {
		return nil
	}
	existing, err := store.CampagneChoices(ctx, scope)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(existing, func(c models.Choice) bool { return strings.HasPrefix(c.Label, demoCampagneNom+" (") }) {
		return nil
	}
	camp, err := store.CreateCampagne(ctx, actor, models.CampagneInput{Nom: demoCampagneNom, AnneeScolaire: "2011-2012",
		DateOuverture: "02/05/2011", DateCloture: "30/09/2011", VagueID: vagues[i].ID,
		Notes: demoFictionText + "Étude de faisabilité et choix des villes pilotes avec les partenaires industriels et les EPCI."})
	if err != nil {
		return fmt.Errorf("campagne de démonstration : %w", err)
	}
	for _, d := range demoCandidatures() {
		if err := loadDemoCandidature(ctx, store, actor, camp, d); err != nil {
			return fmt.Errorf("candidature de démonstration %s : %w", d.titre, err)
		}
	}
	return nil
}

// loadDemoCandidature proposes, scores and decides one candidature.
func loadDemoCandidature(ctx context.Context, store *models.Store, actor models.Actor, camp models.CampagneRow, d demoCandidature) error {
	ecoles, err := demoCandidatureEcoles(ctx, store, d.communes)
	if err != nil {
		return err
	}
	c, err := store.CreateCandidature(ctx, actor, models.CandidatureInput{CampagneID: camp.ID, Titre: d.titre,
		Communes: d.communes, EPCI: d.epci, Ecoles: ecoles, Notes: demoFictionText})
	if err != nil {
		return err
	}
	notes := make([]models.NoteInput, 0, len(d.notes))
	for i, n := range d.notes {
		if n != "" && i < len(camp.Criteres) {
			notes = append(notes, models.NoteInput{CritereID: camp.Criteres[i].ID, Note: n, Commentaire: "Évalué sur dossier et visite."})
		}
	}
	if c, err = store.ScoreCandidature(ctx, actor, c.ID, c.Version, notes); err != nil {
		return err
	}
	if d.decision == "" {
		return nil
	}
	_, _, err = store.DecideCandidature(ctx, actor, c.ID, c.Version, models.DecisionCandidatureInput{Decision: d.decision, Date: d.date})
	return err
}

// demoCandidatureEcoles proposes up to two écoles per commune among those whose deployment
// has not gone past the pilot phase (the plan's demonstration may have opened some).
func demoCandidatureEcoles(ctx context.Context, store *models.Store, communes []string) ([]string, error) {
	scope := models.AcademieScope()
	var out []string
	for _, code := range communes {
		choices, err := store.CandidatureEcoleChoices(ctx, scope, []string{code})
		if err != nil {
			return nil, err
		}
		n := 0
		for _, e := range choices {
			if n == 2 {
				break
			}
			d, err := store.GetDeploiement(ctx, scope, e.Value)
			switch {
			case errors.Is(err, models.ErrNotFound):
			case err != nil:
				return nil, err
			case !slices.Contains([]string{"candidate", "etude", "pilote"}, d.Phase):
				continue
			}
			out, n = append(out, e.Value), n+1
		}
	}
	return out, nil
}
