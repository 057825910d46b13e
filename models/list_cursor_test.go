package models_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// lister reads one page of a list in a fixed scope and filter.
type lister[R any] func(models.PageRequest) (models.Page[R], error)

// checkChains reads a list every way a user can page through it, size rows a page, and
// checks each against want (every row in list order, from the Each function):
//   - forward from page 1, each page by the cursor of the one before ("Page suivante");
//   - backward from the last page, each page by the cursor of the one after ("Page
//     précédente");
//   - two pages on from a cursor (the numbered links around the current page);
//   - every page by its number alone (a bookmark: read from the start or from the end).
//
// No row may be missing or repeated, and every page gives the same total.
func checkChains[R any, K comparable](t *testing.T, list lister[R], key func(R) K, want []R, size int) {
	t.Helper()
	wantKeys := keysOf(want, key)
	page := func(p models.PageRequest) models.Page[R] {
		t.Helper()
		p.Size = size
		got, err := list(p)
		if err != nil {
			t.Fatalf("page %d : %v", p.Number, err)
		}
		if got.Total != int64(len(want)) {
			t.Fatalf("page %d : total %d, %d lignes en tout", p.Number, got.Total, len(want))
		}
		from := min((p.Number-1)*size, len(want))
		if k, w := keysOf(got.Items, key), wantKeys[from:min(from+size, len(want))]; !slices.Equal(k, w) {
			t.Fatalf("page %d (%s) : %v, attendu %v", p.Number, how(p), k, w)
		}
		return got
	}
	first := page(models.PageRequest{Number: 1})
	pages := first.Pages()
	if pages < 3 {
		t.Fatalf("%d pages : trop peu pour éprouver les curseurs", pages)
	}
	for p := first; p.Number < pages; {
		p = page(models.PageRequest{Number: p.Number + 1, After: p.Next})
	}
	for p := page(models.PageRequest{Number: pages}); p.Number > 1; {
		p = page(models.PageRequest{Number: p.Number - 1, Before: p.Prev})
	}
	// Jumps two pages ahead or back from a cursor, from the first, a middle and the last
	// pages (every page was already read both ways above).
	for _, n := range slices.Compact([]int{1, pages / 2, pages - 2}) {
		if n >= 1 && n+2 <= pages {
			p := page(models.PageRequest{Number: n})
			page(models.PageRequest{Number: n + 2, After: p.Next})
		}
	}
	for _, n := range slices.Compact([]int{3, pages/2 + 2, pages}) {
		if n >= 3 && n <= pages {
			p := page(models.PageRequest{Number: n})
			page(models.PageRequest{Number: n - 2, Before: p.Prev})
		}
	}
	past, err := list(models.PageRequest{Number: pages + 1, Size: size})
	if err != nil || len(past.Items) != 0 || past.Total != int64(len(want)) {
		t.Errorf("page %d, après la dernière : %d lignes sur %d (%v)", pages+1, len(past.Items), past.Total, err)
	}
}

func how(p models.PageRequest) string {
	switch {
	case p.After != "":
		return "après un curseur"
	case p.Before != "":
		return "avant un curseur"
	}
	return "par son numéro"
}

func keysOf[R any, K comparable](rows []R, key func(R) K) []K {
	out := make([]K, len(rows))
	for i, r := range rows {
		out[i] = key(r)
	}
	return out
}

// Every sort key of the communes, both directions: ties (population, écoles, pupils: many
// communes share their count) are broken by the INSEE code in the same direction.
func TestListCommunesCursorChains(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		keys := models.CommuneSorts.Keys()
		slices.Sort(keys)
		for _, sort := range keys {
			t.Run(sort, func(t *testing.T) {
				f := models.CommuneFilter{Departement: "77", Sort: sort}
				checkChains(t, func(p models.PageRequest) (models.Page[models.CommuneRow], error) {
					return s.ListCommunes(t.Context(), models.AcademieScope(), f, p)
				}, func(r models.CommuneRow) string { return r.CodeINSEE }, collect(t, s.EachCommune, f), 97)
			})
		}
		t.Run("recherche", func(t *testing.T) {
			f := models.CommuneFilter{Q: "sur", Sort: "-population"}
			want := collect(t, s.EachCommune, f)
			checkChains(t, func(p models.PageRequest) (models.Page[models.CommuneRow], error) {
				return s.ListCommunes(t.Context(), models.AcademieScope(), f, p)
			}, func(r models.CommuneRow) string { return r.CodeINSEE }, want, 7)
		})
	})
}

// The écoles, and searches finding many of them (on SQLite, read by walking the name index:
// "elementaire" finds more than a thousand) or a few.
func TestListEcolesCursorChains(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		for _, f := range []models.EcoleFilter{{Departement: "94"}, {Departement: "94", Sort: "-commune"},
			{Departement: "94", Sort: "circonscription"}, {Departement: "94", Sort: "-eleves"},
			{Q: "elementaire"}, {Q: "elementaire", Sort: "-nom"}, {Q: "maternelle", Departement: "93", Sort: "departement"},
			{Q: "jean", Sort: "-uai"}, {Q: "0930"}} {
			t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
				checkChains(t, func(p models.PageRequest) (models.Page[models.EcoleRow], error) {
					return s.ListEcoles(t.Context(), models.AcademieScope(), f, p)
				}, func(r models.EcoleRow) string { return r.UAI }, collect(t, s.EachEcole, f), 47)
			})
		}
	})
}

// The decisions share their meeting's time with the other decisions of the meeting: ties,
// broken by id.
func TestListDecisionsCursorChains(t *testing.T) {
	dbtest.EachDemo(t, func(t *testing.T, s *models.Store) {
		list := func(sc models.Scope) lister[models.DecisionRow] {
			return func(p models.PageRequest) (models.Page[models.DecisionRow], error) {
				return s.ListDecisions(t.Context(), sc, models.DecisionFilter{}, p)
			}
		}
		all := collect(t, s.EachDecision, models.DecisionFilter{})
		checkChains(t, list(models.AcademieScope()), func(r models.DecisionRow) int64 { return r.ID }, all, 3)

		// A cursor read by a narrower scope: the page follows the cursor's row in the order,
		// and holds only the decisions of the scope.
		sc := models.Scope{Kind: models.ScopeDepartement, Departements: []string{"93"}}
		var mine []models.DecisionRow
		if err := s.EachDecision(t.Context(), sc, models.DecisionFilter{}, func(r models.DecisionRow) error {
			mine = append(mine, r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(mine) == 0 || len(mine) == len(all) {
			t.Fatalf("%d décisions dans le 93 sur %d : le test ne prouve rien", len(mine), len(all))
		}
		first, err := s.ListDecisions(t.Context(), models.AcademieScope(), models.DecisionFilter{}, models.PageRequest{Size: 3})
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.ListDecisions(t.Context(), sc, models.DecisionFilter{}, models.PageRequest{Number: 2, Size: 3, After: first.Next})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != int64(len(mine)) {
			t.Errorf("total %d dans le périmètre, attendu %d", p.Total, len(mine))
		}
		inScope := map[int64]bool{}
		for _, r := range mine {
			inScope[r.ID] = true
		}
		var want []int64
		cursorRow := first.Items[len(first.Items)-1].ID
		after := false
		for _, r := range all {
			if after && inScope[r.ID] && len(want) < 3 {
				want = append(want, r.ID)
			}
			after = after || r.ID == cursorRow
		}
		if got := keysOf(p.Items, func(r models.DecisionRow) int64 { return r.ID }); !slices.Equal(got, want) {
			t.Errorf("page du 93 après le curseur : %v, attendu %v", got, want)
		}
	})
}

// Conventions: the cadre has no département (NULL), some conventions no expiry (NULL), the
// status rank depends on the day; every sort key both ways.
func TestListConventionsCursorChains(t *testing.T) {
	dbtest.EachDemo(t, func(t *testing.T, s *models.Store) {
		keys := models.ConventionSorts.Keys()
		slices.Sort(keys)
		for _, sort := range keys {
			t.Run(sort, func(t *testing.T) {
				f := models.ConventionFilter{Sort: sort}
				list := func(p models.PageRequest) (models.Page[models.ConventionRow], error) {
					return s.ListConventions(t.Context(), models.AcademieScope(), f, p)
				}
				all, err := list(models.PageRequest{Size: models.MaxPageSize})
				if err != nil {
					t.Fatal(err)
				}
				var nulls int
				for _, c := range all.Items {
					if c.DateFin == nil || c.DepartementCode == nil {
						nulls++
					}
				}
				if nulls == 0 {
					t.Fatal("aucune convention sans département ni échéance : le test ne prouve rien")
				}
				checkChains(t, list, func(r models.ConventionRow) int64 { return r.ID }, all.Items, 2)
			})
		}
	})
}

// A cursor that is malformed, altered, or made for another list, sort, page size, page or
// direction is refused with ErrBadCursor; so is a forged one whose checksum matches but
// whose values are not of the order's kinds.
func TestListCursorRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx, sc := t.Context(), models.AcademieScope()
		communes := func(f models.CommuneFilter, p models.PageRequest) error {
			_, err := s.ListCommunes(ctx, sc, f, p)
			return err
		}
		first, err := s.ListCommunes(ctx, sc, models.CommuneFilter{Sort: "population"}, models.PageRequest{Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		next := first.Next
		if err := communes(models.CommuneFilter{Sort: "population"}, models.PageRequest{Number: 2, Size: 10, After: next}); err != nil {
			t.Fatalf("curseur valide refusé : %v", err)
		}
		altered := []byte(next)
		altered[len(altered)/2] ^= 1
		forged := forgeCursor(t, next, func(payload string) string { return strings.Replace(payload, `"i`, `"s`, 1) })
		ecoles, err := s.ListEcoles(ctx, sc, models.EcoleFilter{}, models.PageRequest{Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			sort string
			p    models.PageRequest
		}{
			{"illisible", "population", models.PageRequest{Number: 2, Size: 10, After: "!!pas un curseur!!"}},
			{"vide de sens", "population", models.PageRequest{Number: 2, Size: 10, After: base64.RawURLEncoding.EncodeToString([]byte("{}12345678"))}},
			{"caractère changé", "population", models.PageRequest{Number: 2, Size: 10, After: string(altered)}},
			{"tronqué", "population", models.PageRequest{Number: 2, Size: 10, After: next[:len(next)-3]}},
			{"autre tri", "-population", models.PageRequest{Number: 2, Size: 10, After: next}},
			{"autre taille", "population", models.PageRequest{Number: 2, Size: 20, After: next}},
			{"même page", "population", models.PageRequest{Number: 1, Size: 10, After: next}},
			{"à rebours", "population", models.PageRequest{Number: 2, Size: 10, Before: next}},
			{"deux curseurs", "population", models.PageRequest{Number: 2, Size: 10, After: next, Before: first.Prev}},
			{"autre liste", "", models.PageRequest{Number: 2, Size: 10, After: ecoles.Next}},
			{"valeurs forgées", "population", models.PageRequest{Number: 2, Size: 10, After: forged}},
		}
		for _, c := range cases {
			if err := communes(models.CommuneFilter{Sort: c.sort}, c.p); !errors.Is(err, models.ErrBadCursor) {
				t.Errorf("curseur %s : %v, attendu ErrBadCursor", c.name, err)
			}
		}
		if err := (models.PageRequest{Number: 2, Size: 10, After: string(altered)}).Check("population"); !errors.Is(err, models.ErrBadCursor) {
			t.Errorf("Check d'un curseur altéré : %v", err)
		}
	})
}

// forgeCursor changes the JSON of a token with edit and gives it a matching checksum (the
// token's layout: JSON, then the first 8 bytes of its SHA-256, in base64url).
func forgeCursor(t *testing.T, token string, edit func(string) string) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < 9 {
		t.Fatalf("curseur %q illisible : %v", token, err)
	}
	payload := edit(string(raw[:len(raw)-8]))
	if payload == string(raw[:len(raw)-8]) {
		t.Fatalf("curseur %s inchangé", payload)
	}
	sum := sha256.Sum256([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(append([]byte(payload), sum[:8]...))
}

// The communes' figures are kept by the imports: after the écoles of a département are
// imported again with other counts, the figures (and the sort by them) follow.
func TestCommuneFiguresFollowImports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx, sc := context.Background(), models.AcademieScope()
		check := func(when string) {
			t.Helper()
			var wantEcoles, wantEleves = map[string]int{}, map[string]int{}
			if err := s.EachEcole(ctx, sc, models.EcoleFilter{}, func(e models.EcoleRow) error {
				wantEcoles[e.CodeINSEE]++
				if e.NbEleves != nil {
					wantEleves[e.CodeINSEE] += *e.NbEleves
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			n := 0
			if err := s.EachCommune(ctx, sc, models.CommuneFilter{Sort: "-eleves"}, func(c models.CommuneRow) error {
				n++
				if c.NbEcoles != wantEcoles[c.CodeINSEE] || c.NbEleves != wantEleves[c.CodeINSEE] {
					return fmt.Errorf("%s %s : %d écoles et %d élèves, attendu %d et %d", when, c.CodeINSEE,
						c.NbEcoles, c.NbEleves, wantEcoles[c.CodeINSEE], wantEleves[c.CodeINSEE])
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			page, err := s.ListCommunes(ctx, sc, models.CommuneFilter{Sort: "-eleves"}, models.PageRequest{Size: models.MaxPageSize})
			if err != nil || int(page.Total) != n || len(page.Items) != min(n, models.MaxPageSize) {
				t.Fatalf("%s : %d communes triées par élèves sur %d (%v)", when, len(page.Items), n, err)
			}
		}
		check("référentiel")
		var ecoles []models.EcoleInput
		if err := s.EachEcole(ctx, sc, models.EcoleFilter{Departement: "93"}, func(e models.EcoleRow) error {
			n := 1000 + len(ecoles)
			ecoles = append(ecoles, models.EcoleInput{UAI: e.UAI, Nom: e.Nom, Type: e.Type, Statut: e.Statut,
				CodeINSEE: e.CodeINSEE, NbEleves: &n, NbClasses: e.NbClasses, EducationPrioritaire: e.EducationPrioritaire})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportEcoles(ctx, ecoles, models.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		check("après l'import")
	})
}

// The decisions counted are those listed: the decisions of an archived meeting, or of a
// meeting of an archived body, are left out of the total for the whole académie (counted
// from the live decisions, less theirs) as for a scope or a filter on meetings.
func TestListDecisionsTotalLeavesOutArchivedMeetings(t *testing.T) {
	dbtest.EachDemo(t, func(t *testing.T, s *models.Store) {
		ctx, admin := t.Context(), models.SystemActor("test")
		all := collect(t, s.EachDecision, models.DecisionFilter{})
		if len(all) < 3 {
			t.Fatalf("%d décisions : trop peu", len(all))
		}
		if err := s.ArchiveReunion(ctx, admin, all[0].ReunionID); err != nil {
			t.Fatal(err)
		}
		if err := s.ArchiveInstance(ctx, admin, all[len(all)-1].InstanceID); err != nil {
			t.Fatal(err)
		}
		since := all[len(all)/2].ReunionDebut.AddDate(0, 0, -400)
		for _, c := range []struct {
			name  string
			scope models.Scope
			f     models.DecisionFilter
		}{
			{"académie", models.AcademieScope(), models.DecisionFilter{}},
			{"académie, arbitrages", models.AcademieScope(), models.DecisionFilter{Kind: models.DecisionArbitrage}},
			{"académie, depuis une date", models.AcademieScope(), models.DecisionFilter{Du: &since}},
			{"93", models.Scope{Kind: models.ScopeDepartement, Departements: []string{"93"}}, models.DecisionFilter{}},
		} {
			var want int64
			if err := s.EachDecision(ctx, c.scope, c.f, func(models.DecisionRow) error {
				want++
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			p, err := s.ListDecisions(ctx, c.scope, c.f, models.PageRequest{})
			if err != nil || p.Total != want {
				t.Errorf("%s : total %d, %d décisions listées (%v)", c.name, p.Total, want, err)
			}
		}
		p, _ := s.ListDecisions(ctx, models.AcademieScope(), models.DecisionFilter{}, models.PageRequest{})
		if p.Total >= int64(len(all)) {
			t.Errorf("total %d après archivage, %d avant : rien n'est sorti du compte", p.Total, len(all))
		}
	})
}
