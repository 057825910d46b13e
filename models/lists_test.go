package models_test

import (
	"context"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// collect returns every row an Each function yields for f, in order.
func collect[R, F any](t *testing.T, each func(context.Context, models.Scope, F, func(R) error) error, f F) []R {
	t.Helper()
	var out []R
	if err := each(t.Context(), models.AcademieScope(), f, func(r R) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatalf("parcours %+v : %v", f, err)
	}
	return out
}

// listAll reads every page of a list, size rows at a time, and checks that every page gives the same total.
func listAll[R, F any](t *testing.T, list func(context.Context, models.Scope, F, models.PageRequest) (models.Page[R], error), f F, size int) []R {
	t.Helper()
	var out []R
	var total int64 = -1
	for n := 1; ; n++ {
		p, err := list(t.Context(), models.AcademieScope(), f, models.PageRequest{Number: n, Size: size})
		if err != nil {
			t.Fatalf("page %d de %+v : %v", n, f, err)
		}
		if total >= 0 && p.Total != total {
			t.Fatalf("page %d : total %d, %d à la page précédente", n, p.Total, total)
		}
		total = p.Total
		if len(p.Items) == 0 {
			if int64(len(out)) != total {
				t.Fatalf("%d lignes lues sur toutes les pages, total annoncé %d", len(out), total)
			}
			return out
		}
		out = append(out, p.Items...)
	}
}

// filterCase is one filter of a list, its real count in the reference data, and the
// predicate every row it selects must satisfy (and every row it leaves out must fail).
type filterCase[R, F any] struct {
	name  string
	f     F
	want  int64
	match func(R) bool
}

// checkFilters runs the cases against list and each, comparing with the predicate applied to all rows.
func checkFilters[R, F any](t *testing.T, all []R, cases []filterCase[R, F],
	list func(context.Context, models.Scope, F, models.PageRequest) (models.Page[R], error),
	each func(context.Context, models.Scope, F, func(R) error) error) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := list(t.Context(), models.AcademieScope(), c.f, models.PageRequest{Size: models.MaxPageSize})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != c.want {
				t.Errorf("total %d, attendu %d", p.Total, c.want)
			}
			got := collect(t, each, c.f)
			if int64(len(got)) != p.Total {
				t.Errorf("%d lignes parcourues, total %d", len(got), p.Total)
			}
			for _, r := range got {
				if !c.match(r) {
					t.Errorf("ligne hors filtre : %+v", r)
				}
			}
			var expected int64
			for _, r := range all {
				if c.match(r) {
					expected++
				}
			}
			if expected != p.Total {
				t.Errorf("%d lignes devraient correspondre au filtre, total %d", expected, p.Total)
			}
		})
	}
}

type communeCase = filterCase[models.CommuneRow, models.CommuneFilter]

func communeQ(q string) func(models.CommuneRow) bool {
	key, code := models.SearchKey(q), strings.ToUpper(strings.TrimSpace(q))
	return func(r models.CommuneRow) bool {
		return strings.Contains(models.SearchKey(r.Nom), key) || strings.HasPrefix(r.CodeINSEE, code) ||
			strings.Contains(r.CodesPostaux, code)
	}
}

func communeDep(d string) func(models.CommuneRow) bool {
	return func(r models.CommuneRow) bool { return r.DepartementCode == d }
}

func TestListCommunesFilters(t *testing.T) {
	pop := func(lo, hi int) func(models.CommuneRow) bool {
		return func(r models.CommuneRow) bool { return r.Population >= lo && r.Population < hi }
	}
	and := func(a, b func(models.CommuneRow) bool) func(models.CommuneRow) bool {
		return func(r models.CommuneRow) bool { return a(r) && b(r) }
	}
	cases := []communeCase{
		{"tout", models.CommuneFilter{}, 593, func(models.CommuneRow) bool { return true }},
		{"département 93", models.CommuneFilter{Departement: "93"}, 39, communeDep("93")},
		{"département 77", models.CommuneFilter{Departement: "77"}, 507, communeDep("77")},
		{"département 94", models.CommuneFilter{Departement: "94"}, 47, communeDep("94")},
		{"département inconnu", models.CommuneFilter{Departement: "75"}, 0, communeDep("75")},
		{"EPCI Métropole du Grand Paris", models.CommuneFilter{EPCI: "200054781"}, 86,
			func(r models.CommuneRow) bool { return r.EPCISiren == "200054781" }},
		{"EPT Plaine Commune", models.CommuneFilter{EPCI: "200057867"}, 8,
			func(r models.CommuneRow) bool { return r.EPTSiren == "200057867" && r.EPTNom == "Plaine Commune" }},
		{"moins de 2 000", models.CommuneFilter{Band: models.BandUnder2000}, 367, pop(0, 2000)},
		{"2 000 à 9 999", models.CommuneFilter{Band: models.Band2000}, 113, pop(2000, 10000)},
		{"10 000 à 49 999", models.CommuneFilter{Band: models.Band10000}, 90, pop(10000, 50000)},
		{"50 000 et plus", models.CommuneFilter{Band: models.Band50000}, 23, pop(50000, math.MaxInt)},
		{"94 et 50 000 et plus", models.CommuneFilter{Departement: "94", Band: models.Band50000}, 8,
			and(communeDep("94"), pop(50000, math.MaxInt))},
		{"nom creteil", models.CommuneFilter{Q: "creteil"}, 1, communeQ("creteil")},
		{"nom CRÉTEIL", models.CommuneFilter{Q: "  CRÉTEIL "}, 1, communeQ("creteil")},
		{"nom saint maur", models.CommuneFilter{Q: "saint maur"}, 2, communeQ("saint maur")},
		{"nom Saint-Maur-des-Fossés", models.CommuneFilter{Q: "Saint-Maur-des-Fossés"}, 1, communeQ("saint maur des fosses")},
		{"début de code INSEE 9300", models.CommuneFilter{Q: "9300"}, 5, communeQ("9300")},
		{"code postal 94000", models.CommuneFilter{Q: "94000"}, 1, communeQ("94000")},
		{"code postal 94210", models.CommuneFilter{Q: "94210"}, 1, communeQ("94210")},
		{"93 et recherche", models.CommuneFilter{Departement: "93", Q: "saint"}, 4, and(communeDep("93"), communeQ("saint"))},
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		all := collect(t, s.EachCommune, models.CommuneFilter{})
		checkFilters(t, all, cases, s.ListCommunes, s.EachCommune)
		for q, code := range map[string]string{"creteil": "94028", "saint maur": "94068", "94000": "94028", "94210": "94068"} {
			rows := collect(t, s.EachCommune, models.CommuneFilter{Q: q})
			if !slices.ContainsFunc(rows, func(r models.CommuneRow) bool { return r.CodeINSEE == code }) {
				t.Errorf("la recherche %q ne trouve pas %s", q, code)
			}
		}
	})
}

type ecoleCase = filterCase[models.EcoleRow, models.EcoleFilter]

func ecoleIs(dep string, pred func(models.EcoleRow) bool) func(models.EcoleRow) bool {
	return func(r models.EcoleRow) bool { return (dep == "" || r.DepartementCode == dep) && pred(r) }
}

func TestListEcolesFilters(t *testing.T) {
	every := func(models.EcoleRow) bool { return true }
	ep := func(v string) func(models.EcoleRow) bool {
		return func(r models.EcoleRow) bool { return r.EducationPrioritaire == v }
	}
	q := func(q string) func(models.EcoleRow) bool {
		key, code := models.SearchKey(q), strings.ToUpper(q)
		return func(r models.EcoleRow) bool {
			return strings.Contains(models.SearchKey(r.Nom), key) || strings.HasPrefix(r.UAI, code)
		}
	}
	cases := []ecoleCase{
		{"tout", models.EcoleFilter{}, 2642, every},
		{"département 93", models.EcoleFilter{Departement: "93"}, 897, ecoleIs("93", every)},
		{"département 77", models.EcoleFilter{Departement: "77"}, 1091, ecoleIs("77", every)},
		{"département 94", models.EcoleFilter{Departement: "94"}, 654, ecoleIs("94", every)},
		{"commune Bobigny", models.EcoleFilter{Commune: "93008"}, 31,
			func(r models.EcoleRow) bool { return r.CodeINSEE == "93008" && r.CommuneNom == "Bobigny" }},
		{"circonscription de Villejuif", models.EcoleFilter{Circonscription: "0940920P"}, 24,
			func(r models.EcoleRow) bool { return r.CodeCirconscription == "0940920P" && r.DepartementCode == "94" }},
		{"maternelles du 93", models.EcoleFilter{Departement: "93", Type: "maternelle"}, 403,
			ecoleIs("93", func(r models.EcoleRow) bool { return r.Type == "maternelle" })},
		{"publiques", models.EcoleFilter{Statut: "public"}, 2544, func(r models.EcoleRow) bool { return r.Statut == "public" }},
		{"privées", models.EcoleFilter{Statut: "prive"}, 98, func(r models.EcoleRow) bool { return r.Statut == "prive" }},
		{"REP+ du 93", models.EcoleFilter{Departement: "93", EP: "REP+"}, 207, ecoleIs("93", ep("REP+"))},
		{"REP du 93", models.EcoleFilter{Departement: "93", EP: "REP"}, 301, ecoleIs("93", ep("REP"))},
		{"REP ou REP+ du 93", models.EcoleFilter{Departement: "93", EP: "rep-ou-rep+"}, 508,
			ecoleIs("93", func(r models.EcoleRow) bool { return r.EducationPrioritaire != "" })},
		{"hors EP du 93", models.EcoleFilter{Departement: "93", EP: "hors"}, 389, ecoleIs("93", ep(""))},
		{"début d'UAI 0930", models.EcoleFilter{Q: "0930"}, 458, q("0930")},
		{"nom jules ferry du 93", models.EcoleFilter{Departement: "93", Q: "Jules-Ferry"}, 19, ecoleIs("93", q("jules ferry"))},
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		all := collect(t, s.EachEcole, models.EcoleFilter{})
		checkFilters(t, all, cases, s.ListEcoles, s.EachEcole)
	})
}

type epciCase = filterCase[models.EPCIRow, models.EPCIFilter]

func TestListEPCIFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		inDep := map[string]map[string]bool{} // département → SIREN of EPCI with a member commune there
		for _, c := range collect(t, s.EachCommune, models.CommuneFilter{}) {
			if inDep[c.DepartementCode] == nil {
				inDep[c.DepartementCode] = map[string]bool{}
			}
			inDep[c.DepartementCode][c.EPCISiren], inDep[c.DepartementCode][c.EPTSiren] = true, true
		}
		dep := func(d string) func(models.EPCIRow) bool {
			return func(r models.EPCIRow) bool { return inDep[d][r.Siren] }
		}
		typ := func(v string) func(models.EPCIRow) bool { return func(r models.EPCIRow) bool { return r.Type == v } }
		q := func(q string) func(models.EPCIRow) bool {
			key := models.SearchKey(q)
			return func(r models.EPCIRow) bool {
				return strings.Contains(models.SearchKey(r.Nom), key) || strings.HasPrefix(r.Siren, key)
			}
		}
		cases := []epciCase{
			{"tout", models.EPCIFilter{}, 31, func(models.EPCIRow) bool { return true }},
			{"EPT", models.EPCIFilter{Type: "EPT"}, 7, typ("EPT")},
			{"CC", models.EPCIFilter{Type: "CC"}, 14, typ("CC")},
			{"métropole", models.EPCIFilter{Type: "MET"}, 1, typ("MET")},
			{"département 77", models.EPCIFilter{Departement: "77"}, 23, dep("77")},
			{"département 93", models.EPCIFilter{Departement: "93"}, 5, dep("93")},
			{"département 94", models.EPCIFilter{Departement: "94"}, 4, dep("94")},
			{"EPT du 93", models.EPCIFilter{Departement: "93", Type: "EPT"}, 4,
				func(r models.EPCIRow) bool { return dep("93")(r) && r.Type == "EPT" }},
			{"nom plaine", models.EPCIFilter{Q: "Plaine"}, 2, q("plaine")},
			{"début de SIREN", models.EPCIFilter{Q: "2000578"}, 2, q("2000578")},
		}
		all := collect(t, s.EachEPCI, models.EPCIFilter{})
		checkFilters(t, all, cases, s.ListEPCI, s.EachEPCI)

		mgp, err := s.GetEPCI(t.Context(), models.AcademieScope(), "200054781")
		if err != nil {
			t.Fatal(err)
		}
		if mgp.NbCommunes != 86 || mgp.NbEcoles != 897+654 {
			t.Errorf("Métropole du Grand Paris : %d communes, %d écoles", mgp.NbCommunes, mgp.NbEcoles)
		}
		var ept models.EPCIRow
		for _, r := range collect(t, s.EachEPCI, models.EPCIFilter{Type: "EPT"}) {
			ept.NbCommunes += r.NbCommunes
			ept.NbEcoles += r.NbEcoles
			ept.NbEleves += r.NbEleves
		}
		if ept.NbCommunes != mgp.NbCommunes || ept.NbEcoles != mgp.NbEcoles || ept.NbEleves != mgp.NbEleves {
			t.Errorf("les EPT (%+v) ne partagent pas exactement la Métropole (%+v)", ept, mgp)
		}
	})
}

func TestListPagination(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx, scope := t.Context(), models.AcademieScope()
		f := models.CommuneFilter{Sort: "nom"}
		all := collect(t, s.EachCommune, f)
		page := func(n, size int) models.Page[models.CommuneRow] {
			t.Helper()
			p, err := s.ListCommunes(ctx, scope, f, models.PageRequest{Number: n, Size: size})
			if err != nil {
				t.Fatalf("page %d de %d : %v", n, size, err)
			}
			if p.Total != 593 {
				t.Errorf("page %d de %d : total %d", n, size, p.Total)
			}
			return p
		}
		if p := page(1, 50); !reflect.DeepEqual(p.Items, all[:50]) || p.Pages() != 12 {
			t.Errorf("page 1 : %d lignes, %d pages", len(p.Items), p.Pages())
		}
		if p := page(2, 50); !reflect.DeepEqual(p.Items, all[50:100]) || p.Number != 2 || p.Size != 50 {
			t.Errorf("la page 2 n'a pas les 50 lignes suivantes (n° %d, taille %d)", p.Number, p.Size)
		}
		if p := page(12, 50); !reflect.DeepEqual(p.Items, all[550:]) {
			t.Errorf("dernière page : %d lignes, attendu 43", len(p.Items))
		}
		for _, n := range []int{13, 1000, math.MaxInt} {
			if p := page(n, 50); len(p.Items) != 0 {
				t.Errorf("page %d au-delà de la fin : %d lignes", n, len(p.Items))
			}
		}
		if p := page(1, 100000); p.Size != models.MaxPageSize || !reflect.DeepEqual(p.Items, all[:models.MaxPageSize]) {
			t.Errorf("taille non bornée : %d, %d lignes", p.Size, len(p.Items))
		}
		for _, n := range []int{0, -3} {
			if p := page(n, 0); p.Number != 1 || p.Size != models.DefaultPageSize || !reflect.DeepEqual(p.Items, all[:50]) {
				t.Errorf("page %d taille 0 : n° %d, taille %d", n, p.Number, p.Size)
			}
		}
		if p := page(-1, -1); len(p.Items) != models.DefaultPageSize {
			t.Errorf("taille négative : %d lignes", len(p.Items))
		}
	})
}

func TestEachMatchesList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		for _, f := range []models.CommuneFilter{{}, {Sort: "-population"}, {Departement: "94", Sort: "eleves"},
			{Q: "saint", Sort: "-nom"}, {Band: models.Band10000, Sort: "ecoles"}} {
			if a, b := listAll(t, s.ListCommunes, f, 150), collect(t, s.EachCommune, f); !reflect.DeepEqual(a, b) {
				t.Errorf("communes %+v : la liste (%d) et le parcours (%d) diffèrent", f, len(a), len(b))
			}
		}
		for _, f := range []models.EcoleFilter{{Departement: "93", Sort: "commune"}, {Departement: "94", Sort: "-circonscription"},
			{Departement: "94", Sort: "-eleves"}, {EP: "REP+", Sort: "type"}, {Commune: "93008", Sort: "-classes"}} {
			if a, b := listAll(t, s.ListEcoles, f, 150), collect(t, s.EachEcole, f); !reflect.DeepEqual(a, b) {
				t.Errorf("écoles %+v : la liste (%d) et le parcours (%d) diffèrent", f, len(a), len(b))
			}
		}
		for _, f := range []models.EPCIFilter{{Sort: "-ecoles"}, {Departement: "77", Sort: "population"}, {Type: "EPT", Sort: "-communes"}} {
			if a, b := listAll(t, s.ListEPCI, f, 9), collect(t, s.EachEPCI, f); !reflect.DeepEqual(a, b) {
				t.Errorf("EPCI %+v : la liste (%d) et le parcours (%d) diffèrent", f, len(a), len(b))
			}
		}
	})
}
