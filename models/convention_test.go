package models_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// conventionWorld is a cadre, the départementales of the 93 and the 94, and a local
// convention with Bobigny, with two parties (the DSDEN 93 and the commune).
type conventionWorld struct {
	actors       map[string]models.Actor
	cadre, d93   models.ConventionRow
	d94, bobigny models.ConventionRow
	dsden, ville int64 // organisations
}

func newConventionWorld(t *testing.T, s *models.Store) conventionWorld {
	t.Helper()
	w := conventionWorld{actors: worldActors(t, s)}
	pilote, ia93 := w.actors["pilote"], w.actors["ia93"]
	create := func(a models.Actor, in models.ConventionInput) models.ConventionRow {
		t.Helper()
		c, err := s.CreateConvention(t.Context(), a, in)
		if err != nil {
			t.Fatalf("%s : %v", in.Reference, err)
		}
		return c
	}
	w.cadre = create(pilote, models.ConventionInput{Kind: models.ConventionCadre, Reference: "CRE-AC-2011-001", Titre: "Convention cadre"})
	w.d93 = create(pilote, models.ConventionInput{Kind: models.ConventionDepartementale, Reference: "CRE-93-2012-001",
		Titre: "Convention 93", Departement: "93", ParentID: w.cadre.ID})
	w.d94 = create(pilote, models.ConventionInput{Kind: models.ConventionDepartementale, Reference: "CRE-94-2012-001",
		Titre: "Convention 94", Departement: "94", ParentID: w.cadre.ID})
	w.bobigny = create(ia93, models.ConventionInput{Kind: models.ConventionLocale, Reference: "CRE-93-2012-002",
		Titre: "ENT à Bobigny", Departement: "93", ParentID: w.d93.ID, Communes: "93008", DateExpiration: "31/08/2015"})
	for name, in := range map[string]models.OrganisationInput{
		"dsden": {Kind: models.OrgDSDEN, Nom: "DSDEN de la Seine-Saint-Denis", Departement: "93"},
		"ville": {Kind: models.OrgCommune, Nom: "Ville de Bobigny", Commune: "93008"},
	} {
		o, err := s.CreateOrganisation(t.Context(), pilote, in)
		if err != nil {
			t.Fatal(err)
		}
		if name == "dsden" {
			w.dsden = o.ID
		} else {
			w.ville = o.ID
		}
	}
	return w
}

func fieldOf(err error) string {
	var v *models.ValidationError
	if !errors.As(err, &v) || len(v.Errors) == 0 {
		return ""
	}
	return v.Errors[0].Field
}

func TestConventionHierarchy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newConventionWorld(t, s)
		ia93 := w.actors["ia93"]
		for name, tc := range map[string]struct {
			in    models.ConventionInput
			field string
		}{
			"locale sous la départementale du 94": {models.ConventionInput{Kind: models.ConventionLocale, Reference: "CRE-93-2012-050",
				Titre: "X", Departement: "93", ParentID: w.d94.ID, Communes: "93008"}, "parent"},
			"locale sans parent": {models.ConventionInput{Kind: models.ConventionLocale, Reference: "CRE-93-2012-051",
				Titre: "X", Departement: "93", Communes: "93008"}, "parent"},
			"locale sous la cadre": {models.ConventionInput{Kind: models.ConventionLocale, Reference: "CRE-93-2012-052",
				Titre: "X", Departement: "93", ParentID: w.cadre.ID, Communes: "93008"}, "parent"},
			"commune d'un autre département": {models.ConventionInput{Kind: models.ConventionLocale, Reference: "CRE-93-2012-053",
				Titre: "X", Departement: "93", ParentID: w.d93.ID, Communes: "94028"}, "communes"},
			"référence prise": {models.ConventionInput{Kind: models.ConventionLocale, Reference: "cre-93-2012-002",
				Titre: "X", Departement: "93", ParentID: w.d93.ID, Communes: "93008"}, "reference"},
			"titre vide": {models.ConventionInput{Kind: models.ConventionLocale, Reference: "CRE-93-2012-054",
				Titre: " ", Departement: "93", ParentID: w.d93.ID, Communes: "93008"}, "titre"},
			"date impossible": {models.ConventionInput{Kind: models.ConventionLocale, Reference: "CRE-93-2012-055",
				Titre: "X", Departement: "93", ParentID: w.d93.ID, Communes: "93008", DateExpiration: "31/02/2012"}, "expiration"},
		} {
			if _, err := s.CreateConvention(t.Context(), ia93, tc.in); fieldOf(err) != tc.field {
				t.Errorf("%s : %v, attendu une erreur sur %s", name, err, tc.field)
			}
		}
		// An IA of the 93 cannot create in the 94, nor see the 94's convention.
		if _, err := s.CreateConvention(t.Context(), ia93, models.ConventionInput{Kind: models.ConventionLocale, Reference: "CRE-94-2012-060",
			Titre: "X", Departement: "94", ParentID: w.d94.ID, Communes: "94028"}); fieldOf(err) != "parent" {
			t.Errorf("IA 93 crée dans le 94 (la convention du 94 n'est pas dans sa liste) : %v", err)
		}
		if _, err := s.CreateConvention(t.Context(), ia93, models.ConventionInput{Kind: models.ConventionDepartementale, Reference: "CRE-77-2012-060",
			Titre: "X", Departement: "77", ParentID: w.cadre.ID}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("IA 93 crée la départementale du 77 : %v", err)
		}
		if _, err := s.GetConvention(t.Context(), ia93.Scope, w.d94.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 lit la convention 94 : %v", err)
		}
		list, err := s.ListConventions(t.Context(), ia93.Scope, models.ConventionFilter{}, models.PageRequest{})
		if err != nil || list.Total != 3 {
			t.Errorf("IA 93 voit %d conventions (%v), attendu cadre + 93 + Bobigny", list.Total, err)
		}
		ref, err := s.SuggestReference(t.Context(), "93", 2012)
		if err != nil || ref != "CRE-93-2012-003" {
			t.Errorf("référence suggérée %q (%v)", ref, err)
		}
		bob, err := s.ListConventions(t.Context(), w.actors["bobigny"].Scope, models.ConventionFilter{}, models.PageRequest{})
		if err != nil || bob.Total != 3 {
			t.Errorf("le référent de Bobigny voit %d conventions (%v)", bob.Total, err)
		}
		tree, err := s.ConventionTree(t.Context(), w.actors["pilote"].Scope)
		if err != nil || len(tree) != 1 || len(tree[0].Children) != 2 {
			t.Fatalf("arbre : %+v (%v)", tree, err)
		}
	})
}

func TestConventionWorkflow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newConventionWorld(t, s)
		c := workflowCase{s: s, w: w, ia93: w.actors["ia93"]}
		c.toSignature(t)
		c.signedThenTerminated(t)
		c.checkTimeline(t)
	})
}

// workflowCase is the world of TestConventionWorkflow, whose IA 93 moves Bobigny's
// convention.
type workflowCase struct {
	s    *models.Store
	w    conventionWorld
	ia93 models.Actor
}

// move moves Bobigny's convention as the IA 93.
func (c workflowCase) move(t *testing.T, vers, date, motif string) error {
	_, err := c.s.TransitionConvention(t.Context(), c.ia93, c.w.bobigny.ID, models.TransitionInput{Vers: vers, Date: date, Motif: motif})
	return err
}

// toSignature checks the refused moves (a skipped status, the lecteur, another
// département) and takes the convention to "à la signature" with its parties signed;
// signing waits for the parties and their dates.
func (c workflowCase) toSignature(t *testing.T) {
	t.Helper()
	ia93 := c.ia93
	if err := c.move(t, models.StatutSignee, "", ""); fieldOf(err) != "vers" || !strings.Contains(err.Error(), "peut seulement passer à « En négociation »") {
		t.Errorf("brouillon → signée : %v", err)
	}
	if _, err := c.s.TransitionConvention(t.Context(), c.w.actors["lecteur"], c.w.bobigny.ID, models.TransitionInput{Vers: models.StatutNegociation}); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("lecteur : %v", err)
	}
	if _, err := c.s.TransitionConvention(t.Context(), c.w.actors["ia77"], c.w.bobigny.ID, models.TransitionInput{Vers: models.StatutNegociation}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("IA 77 : %v", err)
	}
	for _, step := range []struct{ vers, date string }{
		{models.StatutNegociation, ""}, {models.StatutDeliberation, "15/03/2012"}, {models.StatutSignature, ""},
	} {
		if err := c.move(t, step.vers, step.date, ""); err != nil {
			t.Fatalf("→ %s : %v", step.vers, err)
		}
	}
	if err := c.move(t, models.StatutSignee, "", ""); fieldOf(err) != "vers" {
		t.Errorf("signée sans parties : %v", err)
	}
	for _, org := range []int64{c.w.dsden, c.w.ville} {
		if err := c.s.SaveConventionParty(t.Context(), ia93, c.w.bobigny.ID, 0, models.PartyInput{OrganisationID: org, Nom: "Signataire"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.move(t, models.StatutSignee, "", ""); fieldOf(err) != "vers" || !strings.Contains(err.Error(), "date de signature de chaque partie") {
		t.Errorf("signée sans dates : %v", err)
	}
	conv, _ := c.s.GetConvention(t.Context(), ia93.Scope, c.w.bobigny.ID)
	for _, p := range conv.Parties {
		if err := c.s.SaveConventionParty(t.Context(), ia93, c.w.bobigny.ID, p.ID, models.PartyInput{OrganisationID: p.OrganisationID,
			Nom: "Signataire", Fonction: "Maire", Date: "02/04/2012"}); err != nil {
			t.Fatal(err)
		}
	}
}

// signedThenTerminated signs with two users at once (one moves it, the other is told),
// puts it in force, and terminates it once an avenant puts it back in force.
func (c workflowCase) signedThenTerminated(t *testing.T) {
	t.Helper()
	ia93 := c.ia93
	// Two users sign at once: one moves the convention, the other is told.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() { errs[i] = c.move(t, models.StatutSignee, "", "") })
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("signatures simultanées : %v / %v", errs[0], errs[1])
	}
	if err := c.move(t, models.StatutEnVigueur, "", ""); fieldOf(err) != "date" {
		t.Errorf("en vigueur sans date : %v", err)
	}
	if err := c.move(t, models.StatutEnVigueur, "01/09/2012", ""); err != nil {
		t.Fatal(err)
	}
	// Expired on 31/08/2015, it is échue: it can no longer be terminated; an avenant
	// signed before its expiry, recorded late, puts it back in force.
	if err := c.move(t, models.StatutResiliee, "01/09/2013", "Trop tard"); fieldOf(err) != "vers" || !strings.Contains(err.Error(), "définitif") {
		t.Errorf("résiliation d'une convention échue : %v", err)
	}
	if _, err := c.s.CreateAvenant(t.Context(), ia93, c.w.bobigny.ID, models.AvenantInput{Objet: models.AvenantProlongation,
		NouvelleExpiration: "31/08/2040", DateSignature: "01/06/2015"}); err != nil {
		t.Fatal(err)
	}
	if err := c.move(t, models.StatutResiliee, "01/09/2013", ""); fieldOf(err) != "motif" {
		t.Errorf("résiliation sans motif : %v", err)
	}
	if err := c.move(t, models.StatutResiliee, "01/09/2013", "Passage à l'ENT départemental"); err != nil {
		t.Fatal(err)
	}
	if err := c.move(t, models.StatutEnVigueur, "01/09/2014", ""); fieldOf(err) != "vers" || !strings.Contains(err.Error(), "définitif") {
		t.Errorf("résiliée → en vigueur : %v", err)
	}
}

// checkTimeline checks the convention ended résiliée with six transitions, each logged.
func (c workflowCase) checkTimeline(t *testing.T) {
	t.Helper()
	ia93 := c.ia93
	conv, err := c.s.GetConvention(t.Context(), ia93.Scope, c.w.bobigny.ID)
	if err != nil {
		t.Fatal(err)
	}
	if conv.Statut != models.StatutResiliee || len(conv.Transitions) != 6 || conv.DateEffet == nil || conv.MotifResiliation == "" {
		t.Errorf("après le parcours : %s, %d transitions", conv.Statut, len(conv.Transitions))
	}
	events, err := c.s.History(t.Context(), models.SystemActor("test"), "convention", itoa64(c.w.bobigny.ID))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Action == "transition" {
			n++
		}
	}
	if n != 6 {
		t.Errorf("%d événements de transition, attendu 6 (un par transition)", n)
	}
}

func TestConventionAvenantsAndAnnex(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newConventionWorld(t, s)
		ia93 := w.actors["ia93"]
		choices, err := s.AnnexChoices(t.Context(), ia93.Scope, w.bobigny.ID)
		if err != nil || len(choices) < 3 {
			t.Fatalf("écoles de Bobigny : %d (%v)", len(choices), err)
		}
		if err := s.SetConventionAnnex(t.Context(), ia93, w.bobigny.ID, []string{choices[0].UAI, choices[1].UAI}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetConventionAnnex(t.Context(), ia93, w.bobigny.ID, []string{"0941234A"}); fieldOf(err) != "ecoles" {
			t.Errorf("école hors communes : %v", err)
		}
		if _, err := s.CreateAvenant(t.Context(), ia93, w.bobigny.ID, models.AvenantInput{Objet: models.AvenantProlongation,
			NouvelleExpiration: "31/08/2018"}); fieldOf(err) != "objet" {
			t.Errorf("avenant sur un brouillon : %v", err)
		}
		// Sign it (directly through the workflow).
		for _, org := range []int64{w.dsden, w.ville} {
			if err := s.SaveConventionParty(t.Context(), ia93, w.bobigny.ID, 0, models.PartyInput{OrganisationID: org, Nom: "S", Date: "02/04/2012"}); err != nil {
				t.Fatal(err)
			}
		}
		for _, v := range []string{models.StatutNegociation, models.StatutDeliberation, models.StatutSignature, models.StatutSignee} {
			if _, err := s.TransitionConvention(t.Context(), ia93, w.bobigny.ID, models.TransitionInput{Vers: v, Date: "01/04/2012"}); err != nil {
				t.Fatalf("%s : %v", v, err)
			}
		}
		if _, err := s.CreateAvenant(t.Context(), ia93, w.bobigny.ID, models.AvenantInput{Objet: models.AvenantProlongation,
			NouvelleExpiration: "31/08/2014"}); fieldOf(err) != "nouvelle_expiration" {
			t.Errorf("prolongation plus courte : %v", err)
		}
		a1, err := s.CreateAvenant(t.Context(), ia93, w.bobigny.ID, models.AvenantInput{Objet: models.AvenantProlongation,
			NouvelleExpiration: "31/08/2018", DateSignature: "01/06/2015"})
		if err != nil || a1.Numero != 1 {
			t.Fatalf("avenant 1 : %+v %v", a1, err)
		}
		a2, err := s.CreateAvenant(t.Context(), ia93, w.bobigny.ID, models.AvenantInput{Objet: models.AvenantExtension,
			Ecoles: []string{choices[2].UAI}})
		if err != nil || a2.Numero != 2 {
			t.Fatalf("avenant 2 : %+v %v", a2, err)
		}
		c, err := s.GetConvention(t.Context(), ia93.Scope, w.bobigny.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.DateFin == nil || c.DateFin.Format("02/01/2006") != "31/08/2018" || c.DateExpiration.Format("02/01/2006") != "31/08/2015" || !c.Prolongee() {
			t.Errorf("expiration après avenant : %v (signée %v)", c.DateFin, c.DateExpiration)
		}
		if len(c.Ecoles) != 3 || len(c.Avenants) != 2 {
			t.Errorf("annexe : %d écoles, %d avenants", len(c.Ecoles), len(c.Avenants))
		}
		if err := s.SetConventionAnnex(t.Context(), ia93, w.bobigny.ID, nil); fieldOf(err) != "ecoles" {
			t.Errorf("annexe d'une convention signée changée sans avenant : %v", err)
		}
	})
}

func TestConventionAlertsAndDraft(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newConventionWorld(t, s)
		ia93, admin := w.actors["ia93"], w.actors["admin"]
		al, err := s.ConventionAlertesOf(t.Context(), ia93.Scope, models.AlertesSettings{})
		if err != nil {
			t.Fatal(err)
		}
		if len(al.Departements) != 1 || al.Departements[0].Code != "93" || al.Departements[0].SansConvention != al.Departements[0].Communes {
			t.Errorf("communes sans convention : %+v", al.Departements)
		}
		page, err := s.ListCommunesSansConvention(t.Context(), ia93.Scope, "", models.PageRequest{Size: 5}, nil)
		if err != nil || page.Total != int64(al.Departements[0].Communes) || len(page.Items) != 5 {
			t.Errorf("liste des communes sans convention : %d (%v)", page.Total, err)
		}
		if _, err := s.SaveModele(t.Context(), ia93, 0, 0, models.ModeleInput{Nom: "M", Kind: "locale", Texte: "x"}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("modèle par un IA : %v", err)
		}
		if _, err := s.SaveModele(t.Context(), admin, 0, 0, models.ModeleInput{Nom: "M", Kind: "locale", Texte: "{{inconnu}}"}); fieldOf(err) != "texte" {
			t.Errorf("champ inconnu : %v", err)
		}
		texte := "# {{titre}}\r\n\r\nEntre l'IA-DASEN ({{ ia_dasen }}) et {{commune}}.\r\n\r\n{{liste_ecoles}}\r\n"
		m, err := s.SaveModele(t.Context(), admin, 0, 0, models.ModeleInput{Nom: "Convention locale type", Kind: "locale", Texte: texte})
		if err != nil {
			t.Fatal(err)
		}
		// The draft itself is exports.ConventionDraft's (tested there); the data layer keeps
		// the model, line ends normalised.
		if got, err := s.GetModele(t.Context(), m.ID); err != nil || got.Texte != strings.ReplaceAll(texte, "\r\n", "\n") {
			t.Errorf("modèle relu : %q %v", got.Texte, err)
		}
	})
}
