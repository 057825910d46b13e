package models_test

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// order states what each sort key of a list claims: primary compares two rows on the
// columns the key sorts by (ascending), tiebreak on the natural key, in the same direction
// (a descending sort lists ties by descending key: the order of its pages read backwards).
//
// Text compares byte by byte, as SQLite does and PostgreSQL with the C collation
// (the test server's, C.UTF-8). Names sort by their folded key (models.SearchKey), so that
// "Écouen" comes among the E's: byName compares two names that way.
type order[R any] struct {
	primary  map[string]func(a, b R) int
	tiebreak func(a, b R) int
}

// checkSorts lists with every sort key, ascending and descending, and checks the order,
// that the total does not depend on the sort, and that the cursor gives the same rows.
func checkSorts[R, F any](t *testing.T, keys []string, o order[R], withSort func(string) F, total int64,
	list func(context.Context, models.Scope, F, models.PageRequest) (models.Page[R], error),
	each func(context.Context, models.Scope, F, func(R) error) error) {
	t.Helper()
	slices.Sort(keys)
	if len(keys) != 2*len(o.primary) {
		t.Errorf("%d clés de tri, %d vérifiées", len(keys), 2*len(o.primary))
	}
	for _, key := range keys {
		t.Run(key, func(t *testing.T) {
			primary, ok := o.primary[strings.TrimPrefix(key, "-")]
			if !ok {
				t.Fatalf("clé de tri %q sans vérification : ajoutez-la", key)
			}
			p, err := list(t.Context(), models.AcademieScope(), withSort(key), models.PageRequest{Size: models.MaxPageSize})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != total {
				t.Errorf("total %d avec ce tri, %d sans", p.Total, total)
			}
			rows := collect(t, each, withSort(key))
			if int64(len(rows)) != total || !reflect.DeepEqual(p.Items, rows[:len(p.Items)]) {
				t.Fatalf("la page (%d lignes) n'est pas le début du parcours (%d lignes)", len(p.Items), len(rows))
			}
			sign := 1
			if strings.HasPrefix(key, "-") {
				sign = -1
			}
			if primary(rows[0], rows[len(rows)-1]) == 0 {
				t.Errorf("première et dernière lignes égales sur la colonne triée : le test ne prouve rien")
			}
			for i := 1; i < len(rows); i++ {
				c := sign * primary(rows[i-1], rows[i])
				if c == 0 {
					c = sign * o.tiebreak(rows[i-1], rows[i])
				}
				if c >= 0 {
					t.Fatalf("lignes %d et %d dans le désordre :\n%+v\n%+v", i-1, i, rows[i-1], rows[i])
				}
			}
		})
	}
}

func byName(a, b string) int { return strings.Compare(models.SearchKey(a), models.SearchKey(b)) }

func intOr0(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func TestListCommunesSorts(t *testing.T) {
	type row = models.CommuneRow
	o := order[row]{
		primary: map[string]func(a, b row) int{
			"nom":  func(a, b row) int { return byName(a.Nom, b.Nom) },
			"code": func(a, b row) int { return strings.Compare(a.CodeINSEE, b.CodeINSEE) },
			"departement": func(a, b row) int {
				return cmp.Or(strings.Compare(a.DepartementCode, b.DepartementCode), byName(a.Nom, b.Nom))
			},
			"population": func(a, b row) int { return cmp.Compare(a.Population, b.Population) },
			"ecoles":     func(a, b row) int { return cmp.Compare(a.NbEcoles, b.NbEcoles) },
			"eleves":     func(a, b row) int { return cmp.Compare(a.NbEleves, b.NbEleves) },
		},
		tiebreak: func(a, b row) int { return strings.Compare(a.CodeINSEE, b.CodeINSEE) },
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		checkSorts(t, models.CommuneSorts.Keys(), o, func(k string) models.CommuneFilter { return models.CommuneFilter{Sort: k} },
			593, s.ListCommunes, s.EachCommune)
	})
}

func TestListEcolesSorts(t *testing.T) {
	type row = models.EcoleRow
	then := func(first func(a, b row) int) func(a, b row) int {
		return func(a, b row) int { return cmp.Or(first(a, b), byName(a.Nom, b.Nom)) }
	}
	o := order[row]{
		primary: map[string]func(a, b row) int{
			"nom":             func(a, b row) int { return byName(a.Nom, b.Nom) },
			"uai":             func(a, b row) int { return strings.Compare(a.UAI, b.UAI) },
			"commune":         then(func(a, b row) int { return byName(a.CommuneNom, b.CommuneNom) }),
			"departement":     then(func(a, b row) int { return strings.Compare(a.DepartementCode, b.DepartementCode) }),
			"type":            then(func(a, b row) int { return strings.Compare(a.Type, b.Type) }),
			"eleves":          func(a, b row) int { return cmp.Compare(intOr0(a.NbEleves), intOr0(b.NbEleves)) },
			"classes":         func(a, b row) int { return cmp.Compare(intOr0(a.NbClasses), intOr0(b.NbClasses)) },
			"circonscription": then(func(a, b row) int { return strings.Compare(a.CirconscriptionNom, b.CirconscriptionNom) }),
		},
		tiebreak: func(a, b row) int { return strings.Compare(a.UAI, b.UAI) },
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		checkSorts(t, models.EcoleSorts.Keys(), o, func(k string) models.EcoleFilter { return models.EcoleFilter{Sort: k} },
			2642, s.ListEcoles, s.EachEcole)
	})
}

func TestListEPCISorts(t *testing.T) {
	type row = models.EPCIRow
	o := order[row]{
		primary: map[string]func(a, b row) int{
			"nom":   func(a, b row) int { return byName(a.Nom, b.Nom) },
			"siren": func(a, b row) int { return strings.Compare(a.Siren, b.Siren) },
			"type": func(a, b row) int {
				return cmp.Or(strings.Compare(a.Type, b.Type), byName(a.Nom, b.Nom))
			},
			"communes":   func(a, b row) int { return cmp.Compare(a.NbCommunes, b.NbCommunes) },
			"population": func(a, b row) int { return cmp.Compare(a.Population, b.Population) },
			"ecoles":     func(a, b row) int { return cmp.Compare(a.NbEcoles, b.NbEcoles) },
		},
		tiebreak: func(a, b row) int { return strings.Compare(a.Siren, b.Siren) },
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		checkSorts(t, models.EPCISorts.Keys(), o, func(k string) models.EPCIFilter { return models.EPCIFilter{Sort: k} },
			31, s.ListEPCI, s.EachEPCI)
	})
}

// An unknown sort key, injected SQL included, falls back to the default order (names ascending).
func TestListUnknownSortFallsBack(t *testing.T) {
	bad := []string{"", "nom;DROP TABLE communes", "-inconnu", "NOM", "nom DESC", "1", "-", "--nom", strings.Repeat("x", 10000), "\xff\xfe"}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		communes := collect(t, s.EachCommune, models.CommuneFilter{Sort: "nom"})
		ecoles := collect(t, s.EachEcole, models.EcoleFilter{Departement: "93", Sort: "nom"})
		epci := collect(t, s.EachEPCI, models.EPCIFilter{Sort: "nom"})
		for _, key := range bad {
			if models.CommuneSorts.Valid(key) != (key == "") || models.EcoleSorts.Valid(key) != (key == "") || models.EPCISorts.Valid(key) != (key == "") {
				t.Errorf("Valid(%.20q) accepte une clé inconnue", key)
			}
			if got := collect(t, s.EachCommune, models.CommuneFilter{Sort: key}); !reflect.DeepEqual(got, communes) {
				t.Errorf("communes triées par %.20q : pas l'ordre par défaut", key)
			}
			if got := collect(t, s.EachEcole, models.EcoleFilter{Departement: "93", Sort: key}); !reflect.DeepEqual(got, ecoles) {
				t.Errorf("écoles triées par %.20q : pas l'ordre par défaut", key)
			}
			if got := collect(t, s.EachEPCI, models.EPCIFilter{Sort: key}); !reflect.DeepEqual(got, epci) {
				t.Errorf("EPCI triés par %.20q : pas l'ordre par défaut", key)
			}
		}
		if byName(communes[0].Nom, communes[1].Nom) >= 0 {
			t.Errorf("ordre par défaut non croissant : %s puis %s", communes[0].Nom, communes[1].Nom)
		}
	})
}
