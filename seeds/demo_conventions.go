package seeds

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
)

// The conventions of the demonstration: the convention cadre (2011), the three conventions
// départementales (2012), and 30 local conventions with the largest communes of each
// département, in every status of the workflow, with parties, signatures, annex écoles and
// avenants; and a model of local convention text. Everything is fictional and says so.

const demoCadreReference = "CRE-AC-2011-001"

// demoFictionText opens the plain-text fields of the scenario (demoFiction is Markdown).
const demoFictionText = "Données fictives de démonstration. "

// demoStatuts cycles the statuses of the local conventions: mostly in force, some on their
// way, a few ended.
var demoStatuts = []string{
	models.StatutEnVigueur, models.StatutEnVigueur, models.StatutEnVigueur, models.StatutSignee, models.StatutSignature,
	models.StatutDeliberation, models.StatutNegociation, models.StatutBrouillon, models.StatutEnVigueur, models.StatutEchue,
}

// loadDemoConventions creates the conventions, once: nothing when the cadre is there.
func loadDemoConventions(ctx context.Context, store *models.Store, actor models.Actor) error {
	existing, err := store.ListConventions(ctx, models.AcademieScope(), models.ConventionFilter{Q: demoCadreReference}, models.PageRequest{Size: 1})
	if err != nil || existing.Total > 0 {
		return err
	}
	orgs, err := demoOrgIDs(ctx, store)
	if err != nil {
		return err
	}
	var charte int64 // conventions refer to the charter in force, when there is one
	if v, err := store.CurrentCharte(ctx); err == nil {
		charte = v.ID
	} else if !errors.Is(err, models.ErrNotFound) {
		return err
	}
	cadre, err := store.CreateConvention(ctx, actor, models.ConventionInput{Kind: models.ConventionCadre, Reference: demoCadreReference,
		Titre:          "Convention cadre pour les ENT du premier degré de l'Est parisien",
		Objet:          demoFictionText + "La convention cadre fixe les engagements du Rectorat, de l'AMIF et de l'AMF pour le déploiement des ENT dans les écoles.",
		DateExpiration: "31/08/2017", PreavisMois: "6", Renouvellement: "avenant", CharteVersionID: charte})
	if err != nil {
		return fmt.Errorf("convention cadre : %w", err)
	}
	if err := demoSign(ctx, store, actor, cadre.ID, []int64{orgs["rectorat"], orgs["amif"], orgs["amf"]}, "15/11/2011", "01/01/2012", models.StatutEnVigueur); err != nil {
		return err
	}
	if _, err := store.CreateAvenant(ctx, actor, cadre.ID, models.AvenantInput{Objet: models.AvenantProlongation,
		Description: demoFictionText + "Prolongation de la convention cadre jusqu'à la fin du programme.", DateSignature: "20/06/2017",
		NouvelleExpiration: "31/08/2027"}); err != nil {
		return fmt.Errorf("avenant de la convention cadre : %w", err)
	}
	for _, dep := range []string{"77", "93", "94"} {
		d, err := store.CreateConvention(ctx, actor, models.ConventionInput{Kind: models.ConventionDepartementale,
			Reference: "CRE-" + dep + "-2012-001", Titre: "Convention départementale ENT 1D — " + dep, ParentID: cadre.ID, Departement: dep,
			Objet:          demoFictionText + "Déclinaison départementale de la convention cadre : co-pilotage, calendrier des vagues, accompagnement.",
			DateExpiration: "31/08/2027", PreavisMois: "3", Renouvellement: "tacite", CharteVersionID: charte})
		if err != nil {
			return fmt.Errorf("convention départementale %s : %w", dep, err)
		}
		if err := demoSign(ctx, store, actor, d.ID, []int64{orgs["dsden"+dep], orgs["amif"]}, "10/02/2012", "01/03/2012", models.StatutEnVigueur); err != nil {
			return err
		}
		if err := loadDemoLocales(ctx, store, actor, orgs, dep, d.ID, charte); err != nil {
			return err
		}
	}
	_, err = store.SaveModele(ctx, actor, 0, 0, models.ModeleInput{Nom: "Convention locale type (démonstration)", Kind: models.ConventionLocale,
		Texte: demoModele})
	return err
}

const demoModele = `# Convention {{reference}} : {{titre}}

*Modèle fictif de démonstration.*

Entre l'inspecteur d'académie, directeur académique des services de l'Éducation nationale ({{departement}}), représenté par {{ia_dasen}},

et la ou les communes : {{commune}},

il est convenu ce qui suit, dans le cadre de la convention {{convention_parente}} et de la charte des ENT du premier degré ({{charte}}).

## Article 1 — Objet

{{objet}}

## Article 2 — Écoles concernées

La présente convention concerne {{nb_ecoles}} écoles et {{nb_eleves}} élèves :

{{liste_ecoles}}

## Article 3 — Durée

La convention entre en vigueur le {{date_effet}} et prend fin le {{date_expiration}}. Préavis de résiliation : {{preavis}} mois.

## Signatures

{{parties}}
`

// loadDemoLocales creates ten local conventions in the département, with its largest
// communes, each one taken as far along the workflow as demoStatuts says.
func loadDemoLocales(ctx context.Context, store *models.Store, actor models.Actor, orgs map[string]int64, dep string, parent, charte int64) error {
	communes, err := store.ListCommunes(ctx, models.AcademieScope(), models.CommuneFilter{Departement: dep, Sort: "-population"}, models.PageRequest{Size: len(demoStatuts)})
	if err != nil {
		return err
	}
	for i, cm := range communes.Items {
		year := 2012 + i%4
		ref := fmt.Sprintf("CRE-%s-%d-%03d", dep, year, 10+i)
		c, err := store.CreateConvention(ctx, actor, models.ConventionInput{Kind: models.ConventionLocale, Reference: ref,
			Titre: "ENT des écoles de " + cm.Nom, ParentID: parent, Departement: dep, Communes: cm.CodeINSEE,
			Objet:          demoFictionText + "Mise à disposition de l'ENT dans les écoles de la commune, équipement et accompagnement des équipes.",
			DateExpiration: "31/08/" + strconv.Itoa(year+4+i%3*4), PreavisMois: "3", CharteVersionID: charte})
		if err != nil {
			return fmt.Errorf("convention %s : %w", ref, err)
		}
		choices, err := store.AnnexChoices(ctx, models.AcademieScope(), c.ID)
		if err != nil {
			return err
		}
		var uais []string
		for j, e := range choices {
			if j < 4 {
				uais = append(uais, e.UAI)
			}
		}
		if err := store.SetConventionAnnex(ctx, actor, c.ID, uais); err != nil {
			return fmt.Errorf("annexe %s : %w", ref, err)
		}
		ville, err := demoCommuneOrg(ctx, store, actor, cm.CodeINSEE)
		if err != nil {
			return err
		}
		y := strconv.Itoa(year)
		if err := demoSign(ctx, store, actor, c.ID, []int64{orgs["dsden"+dep], ville}, "15/06/"+y, "01/09/"+y, demoStatuts[i]); err != nil {
			return fmt.Errorf("convention %s : %w", ref, err)
		}
		if demoStatuts[i] == models.StatutEnVigueur && i == 0 && len(choices) > len(uais) {
			if _, err := store.CreateAvenant(ctx, actor, c.ID, models.AvenantInput{Objet: models.AvenantExtension,
				Description: demoFictionText + "Extension de l'annexe à une école de plus.", DateSignature: "12/01/" + strconv.Itoa(year+1),
				Ecoles: []string{choices[len(uais)].UAI}}); err != nil {
				return fmt.Errorf("avenant %s : %w", ref, err)
			}
		}
		if demoStatuts[i] == models.StatutEnVigueur && i == 1 {
			if _, err := store.CreateAvenant(ctx, actor, c.ID, models.AvenantInput{Objet: models.AvenantProlongation,
				Description: demoFictionText + "Prolongation en attendant le marché régional.", DateSignature: "03/03/2016",
				NouvelleExpiration: "15/02/2027"}); err != nil {
				return fmt.Errorf("avenant %s : %w", ref, err)
			}
		}
	}
	return nil
}

// demoSign takes a convention from "brouillon" to statut: parties added (signed from
// "signée" on), délibération, signatures, entry into force, end.
func demoSign(ctx context.Context, store *models.Store, actor models.Actor, id int64, parties []int64, signed, effect, statut string) error {
	order := []string{models.StatutNegociation, models.StatutDeliberation, models.StatutSignature, models.StatutSignee, models.StatutEnVigueur, models.StatutEchue}
	reached := map[string]bool{}
	for _, st := range order {
		reached[st] = true
		if st == statut {
			break
		}
	}
	if statut == models.StatutBrouillon {
		reached = map[string]bool{}
	}
	for i, org := range parties {
		in := models.PartyInput{OrganisationID: org, Nom: demoSignataires[i%len(demoSignataires)], Fonction: demoFonctions[i%len(demoFonctions)]}
		if reached[models.StatutSignee] {
			in.Date = signed
		}
		if err := store.SaveConventionParty(ctx, actor, id, 0, in); err != nil {
			return fmt.Errorf("partie : %w", err)
		}
	}
	for _, st := range order {
		if !reached[st] {
			break
		}
		in := models.TransitionInput{Vers: st}
		switch st {
		case models.StatutDeliberation:
			in.Date = signed
		case models.StatutEnVigueur:
			in.Date = effect
		case models.StatutEchue:
			in.Date = "31/08/2016"
		}
		if _, err := store.TransitionConvention(ctx, actor, id, in); err != nil {
			return fmt.Errorf("passage à %s : %w", st, err)
		}
	}
	return nil
}

var (
	demoSignataires = []string{"Claude Exemple", "Dominique Fictif", "Camille Démo"}
	demoFonctions   = []string{"IA-DASEN (fictif)", "Maire (fictif)", "Président (fictif)"}
)

// demoOrgIDs finds the organisations of the demonstration by role.
func demoOrgIDs(ctx context.Context, store *models.Store) (map[string]int64, error) {
	out := map[string]int64{}
	find := func(key, kind, dep string) error {
		p, err := store.ListOrganisations(ctx, models.AcademieScope(), models.OrganisationFilter{Kind: kind, Departement: dep}, models.PageRequest{Size: 1})
		if err != nil {
			return err
		}
		if len(p.Items) == 0 {
			return errors.New("organisme de démonstration introuvable : " + key)
		}
		out[key] = p.Items[0].ID
		return nil
	}
	for key, k := range map[string][2]string{"rectorat": {"rectorat", ""}, "amif": {"amif", ""}, "amf": {"amf", ""},
		"dsden77": {"dsden", "77"}, "dsden93": {"dsden", "93"}, "dsden94": {"dsden", "94"}} {
		if err := find(key, k[0], k[1]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// demoCommuneOrg returns the organisation of a commune, created if missing.
func demoCommuneOrg(ctx context.Context, store *models.Store, actor models.Actor, code string) (int64, error) {
	p, err := store.ListOrganisations(ctx, models.AcademieScope(), models.OrganisationFilter{Kind: "commune", Q: code}, models.PageRequest{Size: 1})
	if err != nil {
		return 0, err
	}
	if len(p.Items) > 0 {
		return p.Items[0].ID, nil
	}
	o, err := store.CreateOrganisation(ctx, actor, models.OrganisationInput{Kind: "commune", Commune: code})
	return o.ID, err
}
