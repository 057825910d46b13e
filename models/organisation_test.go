package models_test

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// orgWorld is a database with one account per role and organisations of every kind spread
// over the three départements.
type orgWorld struct {
	s      *models.Store
	actors map[string]models.Actor
	ids    map[string]int64
}

// orgFixtures are the organisations of orgWorld: name → input.
var orgFixtures = map[string]models.OrganisationInput{
	"rectorat":    {Kind: models.OrgRectorat, Nom: "Rectorat de l'académie de Créteil", SiteWeb: "https://www.ac-creteil.fr"},
	"amif":        {Kind: models.OrgAMIF, Nom: "Association des maires d'Île-de-France"},
	"editeur":     {Kind: models.OrgEditeurENT, Nom: "Éditeur Exemple", Adresse: "1 rue de l'Exemple\n75000 Paris"},
	"dsden93":     {Kind: models.OrgDSDEN, Nom: "DSDEN de la Seine-Saint-Denis", Departement: "93"},
	"dsden77":     {Kind: models.OrgDSDEN, Nom: "DSDEN de Seine-et-Marne", Departement: "77"},
	"bobigny":     {Kind: models.OrgCommune, Commune: "93008"},
	"montreuil":   {Kind: models.OrgCommune, Commune: "93048", Nom: "Ville de Montreuil"},
	"melun":       {Kind: models.OrgCommune, Commune: "77288"},
	"creteil":     {Kind: models.OrgCommune, Commune: "94028"},
	"villejuif":   {Kind: models.OrgCommune, Commune: "94076"},
	"estensemble": {Kind: models.OrgEPCI, EPCI: "200057875"},
	"mgp":         {Kind: models.OrgEPCI, EPCI: "200054781"},
	"melunval":    {Kind: models.OrgEPCI, EPCI: "247700057"},
}

func newOrgWorld(t *testing.T, s *models.Store) orgWorld {
	t.Helper()
	w := orgWorld{s: s, actors: worldActors(t, s), ids: map[string]int64{}}
	names := make([]string, 0, len(orgFixtures))
	for name := range orgFixtures {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		o, err := s.CreateOrganisation(t.Context(), models.SystemActor("test"), orgFixtures[name])
		if err != nil {
			t.Fatalf("organisme %s : %v", name, err)
		}
		w.ids[name] = o.ID
	}
	return w
}

// name returns the fixture name of an organisation id.
func (w orgWorld) name(id int64) string {
	for n, i := range w.ids {
		if i == id {
			return n
		}
	}
	return "#" + strconv.FormatInt(id, 10)
}

// visible lists, sorted, the fixture names of the live organisations the actor's scope sees.
func (w orgWorld) visible(t *testing.T, actor models.Actor) []string {
	t.Helper()
	var out []string
	err := w.s.EachOrganisation(t.Context(), actor.Scope, models.OrganisationFilter{}, func(r models.OrganisationRow) error {
		out = append(out, w.name(r.ID))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func TestOrganisationScope(t *testing.T) {
	shared := []string{"amif", "editeur", "rectorat"}
	with := func(names ...string) []string { out := slices.Concat(shared, names); slices.Sort(out); return out }
	all := make([]string, 0, len(orgFixtures))
	for name := range orgFixtures {
		all = append(all, name)
	}
	slices.Sort(all)
	cases := map[string][]string{
		"admin":   all,
		"lecteur": all,
		"amif":    all,
		"ia93":    with("dsden93", "bobigny", "montreuil", "estensemble", "mgp"),
		"ia77":    with("dsden77", "melun", "melunval"),
		// Circonscription de Villejuif: its communes, and the EPCI/EPT of which one of them
		// is a member (one rule for every narrower scope: models/policy.go).
		"ien":         with("villejuif", "mgp"),
		"bobigny":     with("bobigny", "estensemble", "mgp"),
		"estensemble": with("bobigny", "montreuil", "estensemble", "mgp"),
		"zero":        nil,
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newOrgWorld(t, s)
		for who, want := range cases {
			actor := w.actors[who]
			if got := w.visible(t, actor); !slices.Equal(got, want) {
				t.Errorf("%s voit %v, attendu %v", who, got, want)
			}
			p, err := s.ListOrganisations(t.Context(), actor.Scope, models.OrganisationFilter{}, models.PageRequest{})
			if err != nil || p.Total != int64(len(want)) || len(p.Items) != len(want) {
				t.Errorf("%s : liste de %d (total %d), attendu %d, %v", who, len(p.Items), p.Total, len(want), err)
			}
			for name, id := range w.ids {
				_, err := s.GetOrganisation(t.Context(), actor.Scope, id)
				if seen := slices.Contains(want, name); seen != (err == nil) || (!seen && !errors.Is(err, models.ErrNotFound)) {
					t.Errorf("%s lit %s : %v", who, name, err)
				}
			}
		}

		// An id outside the scope is not found, whatever the operation, and nothing changes.
		ia93, melun := w.actors["ia93"], w.ids["melun"]
		if _, err := s.UpdateOrganisation(t.Context(), ia93, melun, 1, models.OrganisationInput{Kind: models.OrgCommune, Commune: "93008", Nom: "Pris"}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 modifie Melun : %v, attendu ErrNotFound", err)
		}
		if err := s.ArchiveOrganisation(t.Context(), ia93, melun); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 archive Melun : %v, attendu ErrNotFound", err)
		}
		if err := s.ArchiveOrganisation(t.Context(), w.actors["bobigny"], w.ids["dsden93"]); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("référent de Bobigny archive la DSDEN 93 : %v, attendu ErrNotFound", err)
		}
		if got := historyActions(t, s, "organisation", melun); !slices.Equal(got, []string{"creation"}) {
			t.Errorf("Melun : événements %v", got)
		}
		if o, err := s.GetOrganisation(t.Context(), models.AcademieScope(), melun); err != nil || o.Nom != "Melun" || o.Version != 1 {
			t.Errorf("Melun après les refus : %+v, %v", o, err)
		}
	})
}

// TestOrganisationWriteRules creates an organisation of each kind as each role: the ones
// the rule allows are created (then archived, to free the commune or EPCI), the others are
// refused with ErrForbidden, leaving no row and no event.
func TestOrganisationWriteRules(t *testing.T) {
	every := models.ChoiceValues(models.OrganisationKinds)
	allowed := map[string][]string{
		"admin":       every,
		"pilote":      every,
		"ia93":        {models.OrgDSDEN, models.OrgCommune, models.OrgEPCI},
		"ia77":        nil, // the DSDEN 93, Bobigny and Est Ensemble are not theirs
		"ien":         nil,
		"amif":        {models.OrgCommune, models.OrgEPCI, models.OrgAMIF, models.OrgAMF, models.OrgAMRF},
		"bobigny":     {models.OrgCommune},
		"estensemble": {models.OrgCommune, models.OrgEPCI}, // Bobigny is a member of Est Ensemble
		"lecteur":     nil,
		"zero":        nil,
	}
	input := func(kind string) models.OrganisationInput {
		return models.OrganisationInput{Kind: kind, Nom: "Organisme " + kind, Departement: "93", Commune: "93008", EPCI: "200057875"}
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		actors := worldActors(t, s)
		for who, kinds := range allowed {
			for _, kind := range every {
				o, err := s.CreateOrganisation(t.Context(), actors[who], input(kind))
				want := slices.Contains(kinds, kind)
				switch {
				case want && err != nil:
					t.Errorf("%s crée un organisme %s : %v", who, kind, err)
				case !want && !errors.Is(err, models.ErrForbidden):
					t.Errorf("%s crée un organisme %s : %v, attendu ErrForbidden", who, kind, err)
				case want:
					if err := s.ArchiveOrganisation(t.Context(), models.SystemActor("test"), o.ID); err != nil {
						t.Fatal(err)
					}
				}
			}
			if kinds := models.OrganisationKindsFor(actors[who]); !slices.Equal(models.ChoiceValues(kinds), kindsOffered(actors[who].Role)) && who != "zero" {
				t.Errorf("%s : types proposés %v", who, models.ChoiceValues(kinds))
			}
		}
		p, err := s.ListArchivedOrganisations(t.Context(), actors["admin"], models.PageRequest{Size: 500})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, kinds := range allowed {
			n += len(kinds)
		}
		if int(p.Total) != n {
			t.Errorf("%d organismes créés, attendu %d", p.Total, n)
		}
		evs, err := s.ListAudit(t.Context(), actors["admin"], models.AuditFilter{Entity: "organisation", Action: "creation"}, models.PageRequest{Size: 500})
		if err != nil || int(evs.Total) != n {
			t.Errorf("%d événements de création, attendu %d (%v)", evs.Total, n, err)
		}
	})
}

// kindsOffered is what OrganisationKindsFor should offer each role, in the order of
// OrganisationKinds: the kinds the role writes somewhere (an IA 77 writes DSDEN, communes
// and EPCI, though not those of the 93).
func kindsOffered(role models.Role) []string {
	switch role {
	case models.RoleAdmin, models.RolePilote:
		return models.ChoiceValues(models.OrganisationKinds)
	case models.RoleIA:
		return []string{models.OrgDSDEN, models.OrgCommune, models.OrgEPCI}
	case models.RoleAMIF:
		return []string{models.OrgAMIF, models.OrgAMF, models.OrgAMRF, models.OrgCommune, models.OrgEPCI}
	case models.RoleReferent:
		return []string{models.OrgCommune, models.OrgEPCI}
	}
	return nil
}

// TestOrganisationWriteRulesOnChanges: the rule holds on the organisation as it is and as
// it would become; visible but not writable is ErrForbidden.
func TestOrganisationWriteRulesOnChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newOrgWorld(t, s)
		ctx := t.Context()
		same := func(name string) models.OrganisationInput { return orgFixtures[name] }
		cases := []struct {
			who, org string
			in       models.OrganisationInput
			want     error
		}{
			{"ia93", "rectorat", same("rectorat"), models.ErrForbidden},
			{"ia93", "amif", same("amif"), models.ErrForbidden},
			{"ia93", "bobigny", models.OrganisationInput{Kind: models.OrgCommune, Commune: "77288"}, models.ErrForbidden},
			{"ia93", "bobigny", models.OrganisationInput{Kind: models.OrgRectorat, Nom: "Bobigny"}, models.ErrForbidden},
			{"ia93", "dsden93", models.OrganisationInput{Kind: models.OrgDSDEN, Nom: "DSDEN", Departement: "94"}, models.ErrForbidden},
			{"ia77", "mgp", same("mgp"), models.ErrNotFound},
			{"amif", "dsden93", same("dsden93"), models.ErrForbidden},
			{"amif", "rectorat", same("rectorat"), models.ErrForbidden},
			{"bobigny", "estensemble", same("estensemble"), models.ErrForbidden},
			{"bobigny", "mgp", same("mgp"), models.ErrForbidden},
			{"estensemble", "mgp", same("mgp"), models.ErrForbidden},
			{"ien", "villejuif", same("villejuif"), models.ErrForbidden},
			{"lecteur", "rectorat", same("rectorat"), models.ErrForbidden},
			{"zero", "rectorat", same("rectorat"), models.ErrNotFound},
		}
		for _, c := range cases {
			_, err := s.UpdateOrganisation(ctx, w.actors[c.who], w.ids[c.org], 1, c.in)
			if !errors.Is(err, c.want) {
				t.Errorf("%s modifie %s : %v, attendu %v", c.who, c.org, err, c.want)
			}
		}
		for name, id := range w.ids {
			if got := historyActions(t, s, "organisation", id); !slices.Equal(got, []string{"creation"}) {
				t.Errorf("%s : événements %v après des refus", name, got)
			}
		}
		// Allowed changes.
		for _, c := range []struct{ who, org string }{
			{"ia93", "mgp"}, {"ia93", "dsden93"}, {"ia93", "bobigny"}, {"amif", "amif"}, {"amif", "melun"},
			{"bobigny", "bobigny"}, {"estensemble", "estensemble"}, {"estensemble", "montreuil"}, {"pilote", "rectorat"},
		} {
			in := same(c.org)
			in.Adresse = "Modifié par " + c.who
			cur, err := s.GetOrganisation(ctx, w.actors[c.who].Scope, w.ids[c.org])
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.UpdateOrganisation(ctx, w.actors[c.who], w.ids[c.org], cur.Version, in); err != nil {
				t.Errorf("%s modifie %s : %v", c.who, c.org, err)
			}
		}
		// Archiving and restoring are the administrator's and the pilotes'.
		for _, who := range []string{"ia93", "amif", "bobigny", "lecteur"} {
			if err := s.ArchiveOrganisation(ctx, w.actors[who], w.ids["bobigny"]); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("%s archive Bobigny : %v, attendu ErrForbidden", who, err)
			}
		}
		if err := s.ArchiveOrganisation(ctx, w.actors["pilote"], w.ids["bobigny"]); err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"ia93", "amif", "bobigny", "lecteur"} {
			if _, err := s.RestoreOrganisation(ctx, w.actors[who], w.ids["bobigny"]); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("%s restaure Bobigny : %v, attendu ErrNotFound", who, err)
			}
			if p, err := s.ListArchivedOrganisations(ctx, w.actors[who], models.PageRequest{}); err != nil || p.Total != 0 {
				t.Errorf("%s voit %d archives (%v)", who, p.Total, err)
			}
		}
		if _, err := s.RestoreOrganisation(ctx, w.actors["admin"], w.ids["bobigny"]); err != nil {
			t.Fatal(err)
		}
		if got := historyActions(t, s, "organisation", w.ids["bobigny"]); !slices.Equal(got, []string{"creation", "modification", "modification", "archivage", "restauration"}) {
			t.Errorf("Bobigny : événements %v", got)
		}
	})
}

func TestOrganisationValidation(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) }
	cases := []struct {
		name  string
		in    models.OrganisationInput
		field string
		msg   string
	}{
		{"type absent", models.OrganisationInput{Nom: "X"}, "type", "Choisissez le type"},
		{"type inconnu", models.OrganisationInput{Nom: "X", Kind: "mairie"}, "type", "inconnu"},
		{"nom vide", models.OrganisationInput{Kind: models.OrgAutre, Nom: "   "}, "nom", "obligatoire"},
		{"nom de 201 caractères", models.OrganisationInput{Kind: models.OrgAutre, Nom: long(201)}, "nom", "200 caractères"},
		{"nom de 10 000 caractères", models.OrganisationInput{Kind: models.OrgAutre, Nom: long(10000)}, "nom", "200 caractères"},
		{"nom en UTF-8 invalide", models.OrganisationInput{Kind: models.OrgAutre, Nom: "A \xff\xfe B"}, "nom", "caractères invalides"},
		{"nom avec NUL", models.OrganisationInput{Kind: models.OrgAutre, Nom: "A \x00 B"}, "nom", "caractères invalides"},
		{"nom sur deux lignes", models.OrganisationInput{Kind: models.OrgAutre, Nom: "A\nB"}, "nom", "caractères invalides"},
		{"commune absente", models.OrganisationInput{Kind: models.OrgCommune}, "commune", "code INSEE"},
		{"commune mal formée", models.OrganisationInput{Kind: models.OrgCommune, Commune: "abc"}, "commune", "Code INSEE invalide"},
		{"commune inconnue", models.OrganisationInput{Kind: models.OrgCommune, Commune: "99999"}, "commune", "inconnue"},
		{"commune en UTF-8 invalide", models.OrganisationInput{Kind: models.OrgCommune, Commune: "93\xff08"}, "commune", "invalide"},
		{"EPCI absent", models.OrganisationInput{Kind: models.OrgEPCI}, "epci", "Choisissez un EPCI"},
		{"EPCI inconnu", models.OrganisationInput{Kind: models.OrgEPCI, EPCI: "123456789"}, "epci", "Choisissez un EPCI"},
		{"DSDEN sans département", models.OrganisationInput{Kind: models.OrgDSDEN, Nom: "DSDEN"}, "departement", "département"},
		{"DSDEN hors académie", models.OrganisationInput{Kind: models.OrgDSDEN, Nom: "DSDEN", Departement: "75"}, "departement", "département"},
		{"site javascript:", models.OrganisationInput{Kind: models.OrgAutre, Nom: "X", SiteWeb: "javascript:alert(1)"}, "site_web", "https://"},
		{"site data:", models.OrganisationInput{Kind: models.OrgAutre, Nom: "X", SiteWeb: "data:text/html,<script>alert(1)</script>"}, "site_web", "https://"},
		{"site ftp", models.OrganisationInput{Kind: models.OrgAutre, Nom: "X", SiteWeb: "ftp://exemple.fr"}, "site_web", "https://"},
		{"site sans hôte", models.OrganisationInput{Kind: models.OrgAutre, Nom: "X", SiteWeb: "https://"}, "site_web", "https://"},
		{"site sans schéma", models.OrganisationInput{Kind: models.OrgAutre, Nom: "X", SiteWeb: "www.exemple.fr"}, "site_web", "https://"},
		{"site avec identifiants", models.OrganisationInput{Kind: models.OrgAutre, Nom: "X", SiteWeb: "https://a:b@exemple.fr"}, "site_web", "https://"},
		{"site trop long", models.OrganisationInput{Kind: models.OrgAutre, Nom: "X", SiteWeb: "https://exemple.fr/" + strings.Repeat("a", 300)}, "site_web", "300 caractères"},
		{"adresse trop longue", models.OrganisationInput{Kind: models.OrgAutre, Nom: "X", Adresse: long(501)}, "adresse", "500 caractères"},
		{"adresse en UTF-8 invalide", models.OrganisationInput{Kind: models.OrgAutre, Nom: "X", Adresse: "\xff"}, "adresse", "caractères invalides"},
		{"adresse avec NUL", models.OrganisationInput{Kind: models.OrgAutre, Nom: "X", Adresse: "a\x00b"}, "adresse", "caractères invalides"},
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		admin := models.SystemActor("test")
		for _, c := range cases {
			_, err := s.CreateOrganisation(t.Context(), admin, c.in)
			if got := fieldMessage(err, c.field); !strings.Contains(got, c.msg) {
				t.Errorf("%s : message %q sur %s (%v), attendu %q", c.name, got, c.field, err, c.msg)
			}
		}
		if p, _ := s.ListOrganisations(t.Context(), models.AcademieScope(), models.OrganisationFilter{}, models.PageRequest{}); p.Total != 0 {
			t.Errorf("%d organismes après des saisies refusées", p.Total)
		}
		if evs, _ := s.ListAudit(t.Context(), models.Actor{Role: models.RoleAdmin}, models.AuditFilter{Entity: "organisation"}, models.PageRequest{}); evs.Total != 0 {
			t.Errorf("%d événements après des saisies refusées", evs.Total)
		}

		organisationsNormalisedAndUnique(t, s, admin)
	})
}

// organisationsNormalisedAndUnique checks a commune takes its name and département from the
// reference data, fields of other kinds are ignored, hostile text is kept as typed; and
// there is one live organisation per commune and per EPCI, by a creation or an edit.
func organisationsNormalisedAndUnique(t *testing.T, s *models.Store, admin models.Actor) {
	t.Helper()
	o, err := s.CreateOrganisation(t.Context(), admin, models.OrganisationInput{Kind: models.OrgCommune, Commune: " 93008 ",
		Departement: "77", EPCI: "200057875", SiteWeb: " HTTPS://www.bobigny.fr ", Adresse: "Hôtel de ville\r\n31 avenue Salvador Allende"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Nom != "Bobigny" || *o.DepartementCode != "93" || *o.CodeINSEE != "93008" || o.EPCISiren != nil ||
		o.SiteWeb != "HTTPS://www.bobigny.fr" || o.Adresse != "Hôtel de ville\n31 avenue Salvador Allende" || o.CommuneNom != "Bobigny" {
		t.Errorf("commune créée : %+v", o)
	}
	r, err := s.CreateOrganisation(t.Context(), admin, models.OrganisationInput{Kind: models.OrgRectorat, Nom: `<script>alert(1)</script>`,
		Departement: "93", Commune: "93008", EPCI: "200057875"})
	if err != nil || !r.Shared() || r.Nom != `<script>alert(1)</script>` {
		t.Errorf("rectorat créé : %+v, %v", r, err)
	}
	// One live organisation per commune and per EPCI.
	_, err = s.CreateOrganisation(t.Context(), admin, models.OrganisationInput{Kind: models.OrgCommune, Commune: "93008", Nom: "Mairie de Bobigny"})
	if !strings.Contains(fieldMessage(err, "commune"), "existe déjà") {
		t.Errorf("second organisme pour Bobigny : %v", err)
	}
	e, err := s.CreateOrganisation(t.Context(), admin, models.OrganisationInput{Kind: models.OrgEPCI, EPCI: "200057875"})
	if err != nil || e.Nom != "Est Ensemble" || e.DepartementCode != nil {
		t.Fatalf("EPCI créé : %+v, %v", e, err)
	}
	_, err = s.CreateOrganisation(t.Context(), admin, models.OrganisationInput{Kind: models.OrgEPCI, EPCI: "200057875"})
	if !strings.Contains(fieldMessage(err, "epci"), "existe déjà") {
		t.Errorf("second organisme pour Est Ensemble : %v", err)
	}
	// Nor by an edit.
	_, err = s.UpdateOrganisation(t.Context(), admin, r.ID, r.Version, models.OrganisationInput{Kind: models.OrgCommune, Commune: "93008"})
	if !strings.Contains(fieldMessage(err, "commune"), "existe déjà") {
		t.Errorf("rectorat changé en Bobigny : %v", err)
	}
	if got := historyActions(t, s, "organisation", r.ID); !slices.Equal(got, []string{"creation"}) {
		t.Errorf("événements %v après une modification refusée", got)
	}
}

func TestOrganisationLostUpdate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		_, alice := newAdmin(t, s, "alice@ac-creteil.fr")
		_, bob := newAdmin(t, s, "bob@ac-creteil.fr")
		o, err := s.CreateOrganisation(ctx, alice, models.OrganisationInput{Kind: models.OrgDSDEN, Nom: "DSDEN 94", Departement: "94"})
		if err != nil {
			t.Fatal(err)
		}
		loaded := o.Version
		if _, err := s.UpdateOrganisation(ctx, alice, o.ID, loaded, models.OrganisationInput{Kind: models.OrgDSDEN, Nom: "Première", Departement: "94"}); err != nil {
			t.Fatal(err)
		}
		_, err = s.UpdateOrganisation(ctx, bob, o.ID, loaded, models.OrganisationInput{Kind: models.OrgDSDEN, Nom: "Seconde", Departement: "93"})
		var ce *models.ConflictError
		if !errors.As(err, &ce) || !errors.Is(err, models.ErrConflict) {
			t.Fatalf("mise à jour périmée : %v", err)
		}
		cur, ok := ce.Current.(models.OrganisationRow)
		if ce.By != alice.Name || !ok || cur.Nom != "Première" || cur.Version != loaded+1 {
			t.Errorf("conflit : par %q, actuel %+v", ce.By, ce.Current)
		}
		got, err := s.GetOrganisation(ctx, models.AcademieScope(), o.ID)
		if err != nil || got.Nom != "Première" || *got.DepartementCode != "94" || got.Version != loaded+1 {
			t.Errorf("après le conflit : %+v, %v", got, err)
		}
		if ev := historyActions(t, s, "organisation", o.ID); !slices.Equal(ev, []string{"creation", "modification"}) {
			t.Errorf("événements %v", ev)
		}
		// Saving unchanged values writes nothing: no new version, no event.
		same, err := s.UpdateOrganisation(ctx, bob, o.ID, got.Version, models.OrganisationInput{Kind: models.OrgDSDEN, Nom: " Première ", Departement: "94"})
		if err != nil || same.Version != got.Version {
			t.Errorf("enregistrement sans changement : %+v, %v", same, err)
		}
		if ev := historyActions(t, s, "organisation", o.ID); len(ev) != 2 {
			t.Errorf("événements %v après un enregistrement sans changement", ev)
		}
	})
}

func TestOrganisationZeroValuesAndAudit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		_, admin := newAdmin(t, s, "admin@ac-creteil.fr")
		in := models.OrganisationInput{Kind: models.OrgUniversite, Nom: "Université Paris-Est Créteil",
			Adresse: "61 avenue du Général de Gaulle\n94000 Créteil", SiteWeb: "https://www.u-pec.fr"}
		o, err := s.CreateOrganisation(ctx, admin, in)
		if err != nil {
			t.Fatal(err)
		}
		in.Adresse, in.SiteWeb = "", ""
		if _, err := s.UpdateOrganisation(ctx, admin, o.ID, o.Version, in); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetOrganisation(ctx, models.AcademieScope(), o.ID)
		if err != nil || got.Adresse != "" || got.SiteWeb != "" || got.Nom != in.Nom || got.Version != 2 {
			t.Errorf("valeurs effacées non enregistrées : %+v, %v", got, err)
		}
		evs, err := s.History(ctx, models.SystemActor("test"), "organisation", strconv.FormatInt(o.ID, 10))
		if err != nil || len(evs) != 2 {
			t.Fatalf("historique : %d événements, %v", len(evs), err)
		}
		changes := evs[0].ChangeList()
		if evs[0].Action != "modification" || len(changes) != 2 || changes[0].Label != "Adresse" || changes[0].New != "" ||
			changes[1].Label != "Site web" || changes[1].Old != "https://www.u-pec.fr" || evs[0].RequestID != admin.RequestID {
			t.Errorf("événement de modification : %+v %+v", evs[0], changes)
		}
		created := evs[1].ChangeList()
		if evs[1].Action != "creation" || len(created) != 4 || created[0].Label != "Nom" || created[1].New != "Université" {
			t.Errorf("événement de création : %+v", created)
		}
	})
}

func TestOrganisationArchiveRestore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		w := newOrgWorld(t, s)
		pilote, acad := w.actors["pilote"], models.AcademieScope()
		id := w.ids["bobigny"]
		if err := s.ArchiveOrganisation(ctx, pilote, id); err != nil {
			t.Fatal(err)
		}
		if err := s.ArchiveOrganisation(ctx, pilote, id); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("archivage répété : %v", err)
		}
		// Gone from every list, count, cursor and page, for every scope that saw it.
		for _, who := range []string{"admin", "ia93", "bobigny"} {
			if slices.Contains(w.visible(t, w.actors[who]), "bobigny") {
				t.Errorf("%s voit encore l'organisme archivé", who)
			}
		}
		p, err := s.ListOrganisations(ctx, acad, models.OrganisationFilter{Q: "bobigny"}, models.PageRequest{})
		if err != nil || p.Total != 0 || len(p.Items) != 0 {
			t.Errorf("liste après archivage : %d, %v", p.Total, err)
		}
		if _, err := s.GetOrganisation(ctx, acad, id); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("lecture après archivage : %v", err)
		}
		// A stale form never brings it back.
		if _, err := s.UpdateOrganisation(ctx, pilote, id, 1, orgFixtures["bobigny"]); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("modification d'un organisme archivé : %v", err)
		}
		arch, err := s.ListArchivedOrganisations(ctx, pilote, models.PageRequest{})
		if err != nil || arch.Total != 1 || arch.Items[0].ID != id || arch.Items[0].ArchivedAt == nil {
			t.Fatalf("archives : %+v, %v", arch, err)
		}
		// The commune is free for a new organisation; the old one cannot come back beside it.
		fresh, err := s.CreateOrganisation(ctx, pilote, models.OrganisationInput{Kind: models.OrgCommune, Commune: "93008", Nom: "Ville de Bobigny"})
		if err != nil {
			t.Fatalf("nouvel organisme pour Bobigny : %v", err)
		}
		if _, err := s.RestoreOrganisation(ctx, pilote, id); !strings.Contains(fieldMessage(err, "commune"), "archivez-le") {
			t.Errorf("restauration à côté d'un organisme actif : %v", err)
		}
		if err := s.ArchiveOrganisation(ctx, pilote, fresh.ID); err != nil {
			t.Fatal(err)
		}
		back, err := s.RestoreOrganisation(ctx, w.actors["admin"], id)
		if err != nil || back.Nom != "Bobigny" || back.ArchivedAt != nil {
			t.Fatalf("restauration : %+v, %v", back, err)
		}
		if !slices.Contains(w.visible(t, w.actors["ia93"]), "bobigny") {
			t.Error("l'IA 93 ne voit pas l'organisme restauré")
		}
		if _, err := s.RestoreOrganisation(ctx, pilote, id); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("restauration d'un organisme actif : %v", err)
		}
		if got := historyActions(t, s, "organisation", id); !slices.Equal(got, []string{"creation", "archivage", "restauration"}) {
			t.Errorf("événements %v", got)
		}
	})
}

type orgCase = filterCase[models.OrganisationRow, models.OrganisationFilter]

func TestListOrganisationsFilters(t *testing.T) {
	kind := func(k string) func(models.OrganisationRow) bool {
		return func(r models.OrganisationRow) bool { return r.Kind == k }
	}
	named := func(names ...string) func(models.OrganisationRow) bool {
		return func(r models.OrganisationRow) bool { return slices.Contains(names, r.Nom) }
	}
	cases := []orgCase{
		{"tout", models.OrganisationFilter{}, 13, func(models.OrganisationRow) bool { return true }},
		{"communes", models.OrganisationFilter{Kind: models.OrgCommune}, 5, kind(models.OrgCommune)},
		{"EPCI", models.OrganisationFilter{Kind: models.OrgEPCI}, 3, kind(models.OrgEPCI)},
		{"DSDEN", models.OrganisationFilter{Kind: models.OrgDSDEN}, 2, kind(models.OrgDSDEN)},
		{"type inconnu", models.OrganisationFilter{Kind: "mairie"}, 0, kind("mairie")},
		{"département 93", models.OrganisationFilter{Departement: "93"}, 5,
			named("DSDEN de la Seine-Saint-Denis", "Bobigny", "Ville de Montreuil", "Est Ensemble", "Métropole du Grand Paris")},
		{"département 94", models.OrganisationFilter{Departement: "94"}, 3, named("Créteil", "Villejuif", "Métropole du Grand Paris")},
		{"département 77", models.OrganisationFilter{Departement: "77"}, 3, named("DSDEN de Seine-et-Marne", "Melun", "CA Melun Val de Seine")},
		{"département 94 et EPCI", models.OrganisationFilter{Departement: "94", Kind: models.OrgEPCI}, 1, named("Métropole du Grand Paris")},
		{"nom creteil", models.OrganisationFilter{Q: "creteil"}, 2, named("Créteil", "Rectorat de l'académie de Créteil")},
		{"nom CRÉTEIL", models.OrganisationFilter{Q: " CRÉTEIL "}, 2, named("Créteil", "Rectorat de l'académie de Créteil")},
		{"nom île de france", models.OrganisationFilter{Q: "île-de-france"}, 1, named("Association des maires d'Île-de-France")},
		{"code INSEE", models.OrganisationFilter{Q: "93008"}, 1, named("Bobigny")},
		{"début de code INSEE", models.OrganisationFilter{Q: "930"}, 2, named("Bobigny", "Ville de Montreuil")},
		{"SIREN", models.OrganisationFilter{Q: "200057875"}, 1, named("Est Ensemble")},
		{"sans lettres ni chiffres", models.OrganisationFilter{Q: "%_"}, 0, named()},
		{"injection", models.OrganisationFilter{Q: "' OR 1=1 --"}, 0, named()},
		{"UTF-8 invalide", models.OrganisationFilter{Q: "\xff", Kind: "\xff", Departement: "\x00"}, 0, named()},
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		newOrgWorld(t, s)
		all := collect(t, s.EachOrganisation, models.OrganisationFilter{})
		checkFilters(t, all, cases, s.ListOrganisations, s.EachOrganisation)

		// Pages of 4 cover the list once, with the same total on each page.
		if got := listAll(t, s.ListOrganisations, models.OrganisationFilter{}, 4); len(got) != 13 {
			t.Errorf("%d organismes sur toutes les pages", len(got))
		}
	})
}

func TestListOrganisationsSorts(t *testing.T) {
	type row = models.OrganisationRow
	kindRank := func(r row) int {
		return slices.IndexFunc(models.OrganisationKinds, func(c models.Choice) bool { return c.Value == r.Kind })
	}
	then := func(first func(a, b row) int) func(a, b row) int {
		return func(a, b row) int { return cmp.Or(first(a, b), strings.Compare(a.NomRecherche, b.NomRecherche)) }
	}
	dep := func(r row) string {
		if r.DepartementCode == nil {
			return ""
		}
		return *r.DepartementCode
	}
	o := order[row]{
		primary: map[string]func(a, b row) int{
			"nom":          func(a, b row) int { return strings.Compare(a.NomRecherche, b.NomRecherche) },
			"type":         then(func(a, b row) int { return cmp.Compare(kindRank(a), kindRank(b)) }),
			"departement":  then(func(a, b row) int { return strings.Compare(dep(a), dep(b)) }),
			"modification": func(a, b row) int { return a.UpdatedAt.Compare(b.UpdatedAt) },
		},
		tiebreak: func(a, b row) int { return cmp.Compare(a.ID, b.ID) },
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newOrgWorld(t, s)
		// Spread the modification dates: the fixtures are created within the same instant.
		in := orgFixtures["amif"]
		in.Adresse = "Paris"
		if _, err := s.UpdateOrganisation(t.Context(), w.actors["admin"], w.ids["amif"], 1, in); err != nil {
			t.Fatal(err)
		}
		checkSorts(t, models.OrganisationSorts.Keys(), o, func(k string) models.OrganisationFilter { return models.OrganisationFilter{Sort: k} },
			13, s.ListOrganisations, s.EachOrganisation)
		def := collect(t, s.EachOrganisation, models.OrganisationFilter{})
		for _, key := range []string{"nom;DROP TABLE organisations", "-inconnu", "\xff"} {
			if models.OrganisationSorts.Valid(key) {
				t.Errorf("Valid(%q) accepte une clé inconnue", key)
			}
			if got := collect(t, s.EachOrganisation, models.OrganisationFilter{Sort: key}); !slices.EqualFunc(got, def, func(a, b row) bool { return a.ID == b.ID }) {
				t.Errorf("tri %q : pas l'ordre par défaut", key)
			}
		}
	})
}

// TestOrganisationRaces: concurrent creations for one commune give one organisation (the
// others a message on the field), concurrent saves of one version give one change.
func TestOrganisationRaces(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		admin := models.SystemActor("test")
		const n = 6
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				_, err := s.CreateOrganisation(ctx, admin, models.OrganisationInput{Kind: models.OrgCommune, Commune: "93008"})
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		created := 0
		for err := range errs {
			switch {
			case err == nil:
				created++
			case !strings.Contains(fieldMessage(err, "commune"), "existe déjà"):
				t.Errorf("création concurrente : %v", err)
			}
		}
		p, err := s.ListOrganisations(ctx, models.AcademieScope(), models.OrganisationFilter{}, models.PageRequest{})
		if created != 1 || err != nil || p.Total != 1 {
			t.Fatalf("%d créations réussies, %d organismes (%v)", created, p.Total, err)
		}
		id := p.Items[0].ID
		results := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				_, err := s.UpdateOrganisation(ctx, admin, id, 1, models.OrganisationInput{Kind: models.OrgCommune, Commune: "93008",
					Nom: "Bobigny " + strconv.Itoa(i)})
				results <- err
			})
		}
		wg.Wait()
		close(results)
		saved := 0
		for err := range results {
			switch {
			case err == nil:
				saved++
			case !errors.Is(err, models.ErrConflict):
				t.Errorf("modification concurrente : %v", err)
			}
		}
		if got := historyActions(t, s, "organisation", id); saved != 1 || !slices.Equal(got, []string{"creation", "modification"}) {
			t.Errorf("%d modifications réussies, événements %v", saved, got)
		}
	})
}
