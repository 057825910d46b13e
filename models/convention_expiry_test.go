package models_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// signConvention takes a convention of the world from brouillon to "signée": the DSDEN 93 and
// the commune's organisation as parties, signed on 02/04/2012.
func signConvention(t *testing.T, s *models.Store, w conventionWorld, id int64) {
	t.Helper()
	ia93 := w.actors["ia93"]
	for _, org := range []int64{w.dsden, w.ville} {
		if err := s.SaveConventionParty(t.Context(), ia93, id, 0, models.PartyInput{OrganisationID: org, Nom: "S", Date: "02/04/2012"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []string{models.StatutNegociation, models.StatutDeliberation, models.StatutSignature, models.StatutSignee} {
		if _, err := s.TransitionConvention(t.Context(), ia93, id, models.TransitionInput{Vers: v, Date: "01/04/2012"}); err != nil {
			t.Fatalf("%s : %v", v, err)
		}
	}
}

// TestConventionPastItsExpiryIsEchue: a convention "en vigueur" whose expiry after avenants
// has passed (Bobigny, 31/08/2015) is échue on every read before anything records it (page,
// registry and its status filter and sort, export, tree, alerts and communes without a
// convention in force), takes no résiliation nor late avenant; ExpireConventions then
// records it once, on the timeline and in the audit log, and leaves the others alone.
func TestConventionPastItsExpiryIsEchue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newConventionWorld(t, s)
		e := expiryCase{s: s, w: w, ia93: w.actors["ia93"]}
		e.bothInForce(t)
		e.echueOnReads(t)
		e.communesWithoutConvention(t)
		e.refusalsAndDailyRun(t)
	})
}

// expiryCase is the world of TestConventionPastItsExpiryIsEchue: Bobigny, expired on
// 31/08/2015, and Bondy (its id), in force until 2040.
type expiryCase struct {
	s     *models.Store
	w     conventionWorld
	ia93  models.Actor
	bondy int64
}

// bothInForce creates Bondy's convention, and signs both and puts them in force in 2012.
func (e *expiryCase) bothInForce(t *testing.T) {
	t.Helper()
	ctx, w, ia93 := t.Context(), e.w, e.ia93
	bondy, err := e.s.CreateConvention(ctx, ia93, models.ConventionInput{Kind: models.ConventionLocale, Reference: "CRE-93-2012-003",
		Titre: "ENT à Bondy", Departement: "93", ParentID: w.d93.ID, Communes: "93010", DateExpiration: "31/08/2040"})
	if err != nil {
		t.Fatal(err)
	}
	e.bondy = bondy.ID
	for _, id := range []int64{e.w.bobigny.ID, e.bondy} {
		signConvention(t, e.s, w, id)
		if _, err := e.s.TransitionConvention(ctx, ia93, id, models.TransitionInput{Vers: models.StatutEnVigueur, Date: "01/09/2012"}); err != nil {
			t.Fatal(err)
		}
	}
}

// echueOnReads checks Bobigny is échue before anything records it, Bondy in force, on
// the record, the registry with its status filter and sort, the export and the tree.
func (e *expiryCase) echueOnReads(t *testing.T) {
	t.Helper()
	ctx, ia93 := t.Context(), e.ia93
	c, err := e.s.GetConvention(ctx, ia93.Scope, e.w.bobigny.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Statut != models.StatutEchue || !c.ExpiryUnrecorded || c.StatutLabel() != "Échue" || c.ExpiredLabel() != "31/08/2015" || len(c.NextStatuts()) != 0 {
		t.Errorf("Bobigny, expirée le 31/08/2015 : %s (non enregistrée %v, %q, suivants %v)", c.Statut, c.ExpiryUnrecorded, c.ExpiredLabel(), c.NextStatuts())
	}
	if b, _ := e.s.GetConvention(ctx, ia93.Scope, e.bondy); b.Statut != models.StatutEnVigueur || b.ExpiryUnrecorded {
		t.Errorf("Bondy, en vigueur jusqu'en 2040 : %s", b.Statut)
	}
	// The registry, its status filter and sort, and the export.
	refs := func(f models.ConventionFilter) []string {
		t.Helper()
		f.Kind = models.ConventionLocale
		p, err := e.s.ListConventions(ctx, ia93.Scope, f, models.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range p.Items {
			out = append(out, r.Reference+" "+r.Statut)
		}
		return out
	}
	for _, c := range []struct {
		f    models.ConventionFilter
		want []string
	}{
		{models.ConventionFilter{Statut: models.StatutEnVigueur}, []string{"CRE-93-2012-003 en_vigueur"}},
		{models.ConventionFilter{Statut: models.StatutEchue}, []string{"CRE-93-2012-002 echue"}},
		{models.ConventionFilter{Sort: "statut"}, []string{"CRE-93-2012-003 en_vigueur", "CRE-93-2012-002 echue"}},
		{models.ConventionFilter{Sort: "-statut"}, []string{"CRE-93-2012-002 echue", "CRE-93-2012-003 en_vigueur"}},
	} {
		if got := refs(c.f); !slices.Equal(got, c.want) {
			t.Errorf("registre %+v : %v, attendu %v", c.f, got, c.want)
		}
	}
	var exported []string
	if err := e.s.EachConvention(ctx, ia93.Scope, models.ConventionFilter{Kind: models.ConventionLocale}, func(r models.ConventionRow) error {
		exported = append(exported, r.Reference+" "+r.StatutLabel())
		return nil
	}); err != nil || !slices.Equal(exported, []string{"CRE-93-2012-002 Échue", "CRE-93-2012-003 En vigueur"}) {
		t.Errorf("export : %v (%v)", exported, err)
	}
	tree, err := e.s.ConventionTree(ctx, ia93.Scope)
	if err != nil || len(tree) != 1 || len(tree[0].Children) != 1 || len(tree[0].Children[0].Children) != 2 ||
		tree[0].Children[0].Children[0].Statut != models.StatutEchue {
		t.Errorf("arbre : %+v (%v)", tree, err)
	}
}

// communesWithoutConvention checks Bobigny is one of the communes without a convention in
// force, Bondy is not.
func (e *expiryCase) communesWithoutConvention(t *testing.T) {
	t.Helper()
	ctx, ia93 := t.Context(), e.ia93
	// Communes without a convention in force: Bobigny is one of them, Bondy is not.
	al, err := e.s.ConventionAlertesOf(ctx, ia93.Scope, models.AlertesSettings{})
	if err != nil || len(al.Departements) != 1 || al.Departements[0].SansConvention != al.Departements[0].Communes-1 {
		t.Fatalf("communes sans convention en vigueur : %+v (%v)", al.Departements, err)
	}
	page, err := e.s.ListCommunesSansConvention(ctx, ia93.Scope, "93", models.PageRequest{Size: 100}, nil)
	if err != nil || page.Total != int64(al.Departements[0].SansConvention) {
		t.Fatalf("liste des communes sans convention : %d (%v)", page.Total, err)
	}
	var codes []string
	for _, m := range page.Items {
		codes = append(codes, m.CodeINSEE)
	}
	if !slices.Contains(codes, "93008") || slices.Contains(codes, "93010") {
		t.Errorf("Bobigny doit être sans convention en vigueur, Bondy non : %v", codes)
	}
}

// refusalsAndDailyRun checks Bobigny takes no résiliation nor late avenant; then the
// daily run records it once, on the timeline and in the audit log, and leaves Bondy alone.
func (e *expiryCase) refusalsAndDailyRun(t *testing.T) {
	t.Helper()
	ctx, ia93 := t.Context(), e.ia93
	// No résiliation of an échue convention; an avenant only if signed before its expiry.
	if _, err := e.s.TransitionConvention(ctx, ia93, e.w.bobigny.ID, models.TransitionInput{Vers: models.StatutResiliee,
		Date: "01/09/2016", Motif: "Trop tard"}); fieldOf(err) != "vers" || !strings.Contains(err.Error(), "définitif") {
		t.Errorf("résiliation d'une convention échue : %v", err)
	}
	if _, err := e.s.CreateAvenant(ctx, ia93, e.w.bobigny.ID, models.AvenantInput{Objet: models.AvenantProlongation,
		NouvelleExpiration: "31/08/2040", DateSignature: "01/09/2016"}); fieldOf(err) != "date_signature" {
		t.Errorf("avenant signé après l'échéance : %v", err)
	}
	// The daily run records it, once.
	moved, err := e.s.ExpireConventions(ctx)
	if err != nil || !slices.Equal(moved, []string{"CRE-93-2012-002"}) {
		t.Fatalf("échéance quotidienne : %v (%v)", moved, err)
	}
	if again, err := e.s.ExpireConventions(ctx); err != nil || len(again) != 0 {
		t.Errorf("deuxième passage : %v (%v)", again, err)
	}
	c, err := e.s.GetConvention(ctx, ia93.Scope, e.w.bobigny.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := c.Transitions[len(c.Transitions)-1]
	if c.Statut != models.StatutEchue || c.ExpiryUnrecorded || last.De != models.StatutEnVigueur || last.Vers != models.StatutEchue ||
		last.UserNom != "système (échéance quotidienne)" || last.DateLabel() != "31/08/2015" || !strings.Contains(last.Motif, "automatiquement") {
		t.Errorf("après l'échéance quotidienne : %s, dernière transition %+v", c.Statut, last)
	}
	events, err := e.s.History(ctx, models.SystemActor("test"), "convention", itoa64(e.w.bobigny.ID))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(events, func(e models.AuditEvent) bool {
		return e.Action == models.AuditEchueAuto && e.ActionLabel() == "Échue automatiquement"
	}) {
		t.Errorf("journal : pas d'événement « Échue automatiquement »")
	}
	if b, _ := e.s.GetConvention(ctx, ia93.Scope, e.bondy); b.Statut != models.StatutEnVigueur || len(b.Transitions) != 5 {
		t.Errorf("Bondy touchée : %s, %d transitions", b.Statut, len(b.Transitions))
	}
	if _, err := e.s.CreateAvenant(ctx, ia93, e.w.bobigny.ID, models.AvenantInput{Objet: models.AvenantProlongation,
		NouvelleExpiration: "31/08/2040", DateSignature: "01/06/2015"}); fieldOf(err) != "objet" {
		t.Errorf("avenant sur une convention enregistrée échue : %v", err)
	}
}

// TestConventionNotInForceBeforeItsDate: "en vigueur" is refused, with a French message,
// before the day of entry into force.
func TestConventionNotInForceBeforeItsDate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		w := newConventionWorld(t, s)
		ia93 := w.actors["ia93"]
		signConvention(t, s, w, w.bobigny.ID)
		later := time.Now().AddDate(0, 2, 0).Format("02/01/2006")
		_, err := s.TransitionConvention(ctx, ia93, w.bobigny.ID, models.TransitionInput{Vers: models.StatutEnVigueur, Date: later})
		if fieldOf(err) != "date" || !strings.Contains(err.Error(), "n'entre en vigueur que le "+later) {
			t.Errorf("en vigueur le %s : %v", later, err)
		}
		if c, _ := s.GetConvention(ctx, ia93.Scope, w.bobigny.ID); c.Statut != models.StatutSignee {
			t.Errorf("statut après le refus : %s", c.Statut)
		}
		today := time.Now().Format("02/01/2006")
		if _, err := s.TransitionConvention(ctx, ia93, w.bobigny.ID, models.TransitionInput{Vers: models.StatutEnVigueur, Date: today}); err != nil {
			t.Errorf("en vigueur aujourd'hui : %v", err)
		}
	})
}
