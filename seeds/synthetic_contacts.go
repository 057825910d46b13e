package seeds

import (
	"context"
	"math/rand/v2"

	"github.com/ac-creteil/pilotage/models"
)

// syntheticContactsEvery is one commune in so many that gets an organisation and contacts.
const syntheticContactsEvery = 5

var (
	syntheticPrenoms   = []string{"Camille", "Dominique", "Sacha", "Alix", "Eden", "Charlie", "Noa", "Lou", "Maé", "Ange"}
	syntheticNoms      = []string{"Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Lefèvre", "Girard", "Fontaine"}
	syntheticFonctions = []string{"Maire", "Adjoint(e) au maire chargé(e) de l'éducation", "Référent(e) numérique",
		"Directeur(rice) des services techniques", "Responsable des affaires scolaires"}
)

// LoadSyntheticContacts adds, for one synthetic commune in five, the commune's organisation
// with three contacts (about 7,000 organisations and 21,000 contacts at national scale), the
// same every time (fixed random seed). communes are the synthetic communes. A second call does
// nothing: the communes have their organisation.
func LoadSyntheticContacts(ctx context.Context, store *models.Store, communes []models.CommuneInput) error {
	rng := rand.New(rand.NewPCG(2012, 2013))
	var orgs []models.SyntheticCommuneContacts
	for i := 0; i < len(communes); i += syntheticContactsEvery {
		o := models.SyntheticCommuneContacts{CodeINSEE: communes[i].CodeINSEE}
		for k := range 3 {
			fonction := syntheticFonctions[(i/syntheticContactsEvery+k)%len(syntheticFonctions)]
			o.Contacts = append(o.Contacts, models.ContactInput{Prenom: syntheticPrenoms[rng.IntN(len(syntheticPrenoms))],
				Nom: syntheticNoms[rng.IntN(len(syntheticNoms))], Fonction: fonction})
		}
		orgs = append(orgs, o)
	}
	return store.InsertSyntheticContacts(ctx, orgs)
}
