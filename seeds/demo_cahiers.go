package seeds

import (
	"bytes"
	"context"

	"github.com/ac-creteil/pilotage/models"
)

// The demonstration's cahiers des charges: the académie's model, written after the pilot
// sites (version 1, March 2012, then version 2, January 2013, after the charter), and the
// Val-de-Marne's adaptation of it (January 2013). The markets of the demonstration name the
// version they follow (demoCahierOf).

// demoCahier is one cahier des charges and its versions, in order.
type demoCahier struct {
	in       models.CahierInput
	versions []models.CahierVersionInput
}

var demoCahiers = []demoCahier{
	{in: models.CahierInput{Titre: "Cahier des charges des ENT du premier degré (modèle académique)",
		Notes: "Rédigé avec les sites pilotes ; chaque département peut l'adapter."},
		versions: []models.CahierVersionInput{
			{Numero: "1", Date: "05/03/2012", Resume: "Première version, issue des sites pilotes : services attendus, comptes, accompagnement."},
			{Numero: "2", Date: "14/01/2013", Resume: "Mise en conformité avec la charte des ENT ; réversibilité des données ; accessibilité.", CharteID: -1},
		}},
	{in: models.CahierInput{Titre: "Cahier des charges ENT : adaptation du Val-de-Marne", Departement: "94",
		Notes: "Adaptation départementale du modèle académique (version 2)."},
		versions: []models.CahierVersionInput{
			{Numero: "1", Date: "21/01/2013", Resume: "Calendrier de déploiement du Val-de-Marne ; formation des directeurs d'école.", CharteID: -1},
		}},
}

// loadDemoCahiers adds the demonstration's cahiers des charges and returns, by
// département ("" for the académie), the id of the latest version the markets follow.
// CharteID -1 in a version stands for the first charter version of the demonstration.
func loadDemoCahiers(ctx context.Context, store *models.Store, actor models.Actor) (map[string]int64, error) {
	chartes, err := store.ListChartes(ctx, models.AcademieScope(), false)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, dc := range demoCahiers {
		c, err := store.CreateCahier(ctx, actor, dc.in)
		if err != nil {
			return nil, err
		}
		for _, v := range dc.versions {
			if v.CharteID == -1 {
				v.CharteID = 0
				if len(chartes) > 0 {
					v.CharteID = chartes[len(chartes)-1].ID
				}
			}
			v.FileName = "cahier-des-charges-v" + v.Numero + ".pdf"
			v.File = bytes.NewReader(PDF(dc.in.Titre + " - version " + v.Numero))
			if c, err = store.AddCahierVersion(ctx, actor, c.ID, c.Version, v); err != nil {
				return nil, err
			}
		}
		if last := c.Derniere(); last != nil {
			out[dc.in.Departement] = last.ID
		}
	}
	return out, nil
}
