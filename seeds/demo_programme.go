package seeds

import (
	"context"
	"errors"
	"fmt"

	"github.com/ac-creteil/pilotage/models"
)

// demoOrganisation is an organisation of the demonstration and its fictional contacts.
type demoOrganisation struct {
	in       models.OrganisationInput
	contacts []models.ContactInput
}

// demoOrganisations are the parties of the programme, with clearly fictional people
// (addresses @demo.invalid, numbers of the 01 99 range reserved for fiction).
func demoOrganisations() []demoOrganisation {
	person := func(prenom, nom, fonction, email, tel string) models.ContactInput {
		return models.ContactInput{Prenom: prenom, Nom: nom, Fonction: fonction, Email: email + "@demo.invalid", Telephone: tel}
	}
	return []demoOrganisation{
		{models.OrganisationInput{Nom: "Rectorat de l'académie de Créteil", Kind: "rectorat", SiteWeb: "https://www.ac-creteil.fr"},
			[]models.ContactInput{person("Dominique", "Exemple", "Délégué(e) académique au numérique (DANE)", "dane.exemple", "01 99 00 01 01")}},
		{models.OrganisationInput{Nom: "DSDEN de Seine-et-Marne", Kind: "dsden", Departement: "77"},
			[]models.ContactInput{person("Camille", "Fictif", "Conseiller(ère) numérique de l'IA-DASEN", "dsden77.fictif", "01 99 00 07 07")}},
		{models.OrganisationInput{Nom: "DSDEN de Seine-Saint-Denis", Kind: "dsden", Departement: "93"},
			[]models.ContactInput{person("Sacha", "Imaginaire", "Chargé(e) de mission ENT", "dsden93.imaginaire", "01 99 00 09 03")}},
		{models.OrganisationInput{Nom: "DSDEN du Val-de-Marne", Kind: "dsden", Departement: "94"},
			[]models.ContactInput{person("Alix", "Modèle", "ERUN, coordination départementale", "dsden94.modele", "01 99 00 09 04")}},
		{models.OrganisationInput{Nom: "Association des maires d'Île-de-France", Kind: "amif", SiteWeb: "https://www.amif.asso.fr"},
			[]models.ContactInput{person("Eden", "Témoin", "Chargé(e) de mission numérique", "amif.temoin", "01 99 00 02 02")}},
		{models.OrganisationInput{Nom: "Association des maires de France", Kind: "amf"}, nil},
		{models.OrganisationInput{Nom: "Association des maires ruraux de France", Kind: "amrf"}, nil},
		{models.OrganisationInput{Nom: "ARTESI Île-de-France", Kind: "artesi"}, nil},
		{models.OrganisationInput{Kind: "commune", Commune: "93008"},
			[]models.ContactInput{person("Charlie", "Démonstration", "Directeur(rice) de l'éducation", "bobigny.education", "01 99 00 93 08")}},
		{models.OrganisationInput{Kind: "commune", Commune: "93048"},
			[]models.ContactInput{person("Noa", "Fiction", "Adjoint(e) au maire chargé(e) de l'éducation", "montreuil.education", "01 99 00 93 48")}},
		{models.OrganisationInput{Kind: "commune", Commune: "94028"},
			[]models.ContactInput{person("Lou", "Exemplaire", "Responsable informatique", "creteil.dsi", "01 99 00 94 28")}},
		{models.OrganisationInput{Kind: "commune", Commune: "77288"},
			[]models.ContactInput{person("Maé", "Supposé", "Service des affaires scolaires", "melun.scolaire", "01 99 00 77 28")}},
		{models.OrganisationInput{Kind: "epci", EPCI: "200057875"},
			[]models.ContactInput{person("Ange", "Hypothèse", "Chef(fe) de projet mutualisation", "estensemble.projet", "01 99 00 98 75")}},
		{models.OrganisationInput{Nom: "Éditeur d'ENT fictif (démonstration)", Kind: "editeur_ent"}, nil},
		{models.OrganisationInput{Nom: "Université Paris-Est Créteil", Kind: "universite", SiteWeb: "https://www.u-pec.fr"}, nil},
	}
}

// loadDemoProgramme adds the demonstration's organisations and contacts, once: an
// organisation whose name (or commune, or EPCI) is already there, and a contact whose
// email is, are left as they are.
func loadDemoProgramme(ctx context.Context, store *models.Store, actor models.Actor) error {
	for _, d := range demoOrganisations() {
		if d.in.Nom != "" {
			existing, err := store.ListOrganisations(ctx, models.AcademieScope(),
				models.OrganisationFilter{Q: d.in.Nom, Kind: d.in.Kind}, models.PageRequest{Size: 10})
			if err != nil {
				return err
			}
			if len(existing.Items) > 0 {
				continue // already loaded by an earlier demonstration start
			}
		}
		org, err := store.CreateOrganisation(ctx, actor, d.in)
		var verr *models.ValidationError
		if errors.As(err, &verr) {
			continue // the commune or the EPCI already has its organisation
		}
		if err != nil {
			return fmt.Errorf("organisme de démonstration %s : %w", d.in.Nom, err)
		}
		for _, c := range d.contacts {
			c.OrganisationID = org.ID
			if _, err := store.CreateContact(ctx, actor, c); err != nil {
				return fmt.Errorf("contact de démonstration %s : %w", c.Nom, err)
			}
		}
	}
	return nil
}
