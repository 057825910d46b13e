package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// hostile are filter values a clumsy user or an attacker may send; none holds a letter
// or digit sequence found in the reference names.
var hostile = []string{
	"' OR 1=1 --", "nom;DROP TABLE communes", strings.Repeat("x", 10000), strings.Repeat("é", 5000),
	"<script>alert(1)</script>", "9%", "9_", `9\`, "%9%", "0_3%", "'; DELETE FROM ecoles; --",
}

// hostileField is one filter field: how to set it, and the total it must give for value v.
type hostileField[F any] struct {
	name string
	set  func(v string) F
	want func(v string) int64
}

func checkHostile[R, F any](t *testing.T, values []string, fields []hostileField[F],
	list func(context.Context, models.Scope, F, models.PageRequest) (models.Page[R], error)) {
	t.Helper()
	for _, field := range fields {
		for _, v := range values {
			p, err := list(t.Context(), models.AcademieScope(), field.set(v), models.PageRequest{Size: 5})
			if err != nil {
				t.Errorf("%s=%.20q : %v", field.name, v, err)
				continue
			}
			if want := field.want(v); p.Total != want || int64(len(p.Items)) != min(want, 5) {
				t.Errorf("%s=%.20q : total %d (%d lignes), attendu %d", field.name, v, p.Total, len(p.Items), want)
			}
		}
	}
}

func none(string) int64 { return 0 }

// countIf counts the rows matched by the predicate built from v (the search as the user means it,
// wildcards taken literally).
func countIf[R any](all []R, pred func(string) func(R) bool) func(string) int64 {
	return func(v string) int64 {
		match := pred(v)
		var n int64
		for _, r := range all {
			if match(r) {
				n++
			}
		}
		return n
	}
}

func communeHostileFields(all []models.CommuneRow) []hostileField[models.CommuneFilter] {
	type f = models.CommuneFilter
	return []hostileField[f]{
		{"departement", func(v string) f { return f{Departement: v} }, none},
		{"epci", func(v string) f { return f{EPCI: v} }, none},
		{"population (ignorée)", func(v string) f { return f{Band: v} }, func(string) int64 { return int64(len(all)) }},
		{"q", func(v string) f { return f{Q: v} }, countIf(all, communeQ)},
		{"sort", func(v string) f { return f{Sort: v} }, func(string) int64 { return int64(len(all)) }},
	}
}

func ecoleHostileFields(all []models.EcoleRow) []hostileField[models.EcoleFilter] {
	type f = models.EcoleFilter
	return []hostileField[f]{
		{"departement", func(v string) f { return f{Departement: v} }, none},
		{"commune", func(v string) f { return f{Commune: v} }, none},
		{"circonscription", func(v string) f { return f{Circonscription: v} }, none},
		{"type", func(v string) f { return f{Type: v} }, none},
		{"statut", func(v string) f { return f{Statut: v} }, none},
		{"ep (ignorée)", func(v string) f { return f{EP: v} }, func(string) int64 { return int64(len(all)) }},
		{"q", func(v string) f { return f{Q: v} }, countIf(all, func(q string) func(models.EcoleRow) bool {
			key, code := models.SearchKey(q), strings.ToUpper(strings.TrimSpace(q))
			return func(r models.EcoleRow) bool {
				return strings.Contains(models.SearchKey(r.Nom), key) || strings.HasPrefix(r.UAI, code)
			}
		})},
	}
}

func epciHostileFields() []hostileField[models.EPCIFilter] {
	type f = models.EPCIFilter
	return []hostileField[f]{
		{"departement", func(v string) f { return f{Departement: v} }, none},
		{"type", func(v string) f { return f{Type: v} }, none},
		{"q", func(v string) f { return f{Q: v} }, none},
	}
}

func TestListsHostileFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		communes := collect(t, s.EachCommune, models.CommuneFilter{})
		ecoles := collect(t, s.EachEcole, models.EcoleFilter{})
		checkHostile(t, hostile, communeHostileFields(communes), s.ListCommunes)
		checkHostile(t, hostile, ecoleHostileFields(ecoles), s.ListEcoles)
		checkHostile(t, hostile, epciHostileFields(), s.ListEPCI)
		for _, v := range hostile {
			_, errC := s.GetCommune(t.Context(), models.AcademieScope(), v)
			_, errE := s.GetEcole(t.Context(), models.AcademieScope(), v)
			_, errX := s.GetEPCI(t.Context(), models.AcademieScope(), v)
			if !errors.Is(errC, models.ErrNotFound) || !errors.Is(errE, models.ErrNotFound) || !errors.Is(errX, models.ErrNotFound) {
				t.Errorf("lecture de %.20q : %v / %v / %v, attendu ErrNotFound", v, errC, errE, errX)
			}
		}
		checkTablesIntact(t, s)
	})
}

// A search made only of punctuation (LIKE wildcards included) must find nothing: today the
// search key of "%" is empty and the filter is dropped, so it lists everything.
func TestListsPunctuationSearchFindsNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		values := []string{"%", "_", `\`, "%%", "' --", "\xff\xfe"}
		checkHostile(t, values, []hostileField[models.CommuneFilter]{{"q", func(v string) models.CommuneFilter { return models.CommuneFilter{Q: v} }, none}}, s.ListCommunes)
		checkHostile(t, values, []hostileField[models.EcoleFilter]{{"q", func(v string) models.EcoleFilter { return models.EcoleFilter{Q: v} }, none}}, s.ListEcoles)
		checkHostile(t, values, []hostileField[models.EPCIFilter]{{"q", func(v string) models.EPCIFilter { return models.EPCIFilter{Q: v} }, none}}, s.ListEPCI)
	})
}

// Invalid UTF-8 and NUL bytes are refused by PostgreSQL in a text parameter: the filters and
// the keys must not reach it as they are.
func TestListsInvalidEncoding(t *testing.T) {
	values := []string{"\xff\xfe", "93\x00", "\x00"}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		if s.Dialect() == models.Postgres {
		}
		communes := collect(t, s.EachCommune, models.CommuneFilter{})
		ecoles := collect(t, s.EachEcole, models.EcoleFilter{})
		checkHostile(t, values, communeHostileFields(communes)[:2], s.ListCommunes)
		checkHostile(t, values, ecoleHostileFields(ecoles)[:5], s.ListEcoles)
		checkHostile(t, values, epciHostileFields()[:2], s.ListEPCI)
		checkHostile(t, []string{"93\x00"}, communeHostileFields(communes)[3:4], s.ListCommunes)
		for _, v := range values {
			_, errC := s.GetCommune(t.Context(), models.AcademieScope(), v)
			_, errE := s.GetEcole(t.Context(), models.AcademieScope(), v)
			_, errX := s.GetEPCI(t.Context(), models.AcademieScope(), v)
			if !errors.Is(errC, models.ErrNotFound) || !errors.Is(errE, models.ErrNotFound) || !errors.Is(errX, models.ErrNotFound) {
				t.Errorf("lecture de %q : %v / %v / %v, attendu ErrNotFound", v, errC, errE, errX)
			}
		}
		checkTablesIntact(t, s)
	})
}

func checkTablesIntact(t *testing.T, s *models.Store) {
	t.Helper()
	c, errC := s.ListCommunes(t.Context(), models.AcademieScope(), models.CommuneFilter{}, models.PageRequest{})
	e, errE := s.ListEcoles(t.Context(), models.AcademieScope(), models.EcoleFilter{}, models.PageRequest{})
	x, errX := s.ListEPCI(t.Context(), models.AcademieScope(), models.EPCIFilter{}, models.PageRequest{})
	if errC != nil || errE != nil || errX != nil || c.Total != 593 || e.Total != 2642 || x.Total != 31 {
		t.Errorf("tables après les requêtes hostiles : %d communes (%v), %d écoles (%v), %d EPCI (%v)",
			c.Total, errC, e.Total, errE, x.Total, errX)
	}
}

func TestGetReturnsRowOrNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx, scope := t.Context(), models.AcademieScope()
		c, err := s.GetCommune(ctx, scope, "94028")
		if err != nil || c.Nom != "Créteil" || c.DepartementCode != "94" || c.CodesPostaux != "94000" ||
			c.EPTNom != "Grand Paris Sud Est Avenir" || c.EPCISiren != "200054781" || c.NbEcoles == 0 {
			t.Errorf("GetCommune(94028) = %+v, %v", c, err)
		}
		if listed := collect(t, s.EachCommune, models.CommuneFilter{Q: "94028"}); len(listed) != 1 || listed[0] != c {
			t.Errorf("la fiche diffère de la ligne de la liste : %+v", listed)
		}
		bobigny := collect(t, s.EachEcole, models.EcoleFilter{Commune: "93008"})
		e, err := s.GetEcole(ctx, scope, bobigny[0].UAI)
		if err != nil || e.UAI != bobigny[0].UAI || e.Nom != bobigny[0].Nom || e.CommuneNom != "Bobigny" ||
			intOr0(e.NbEleves) != intOr0(bobigny[0].NbEleves) {
			t.Errorf("GetEcole(%s) = %+v, %v", bobigny[0].UAI, e, err)
		}
		x, err := s.GetEPCI(ctx, scope, "200057867")
		if err != nil || x.Nom != "Plaine Commune" || x.Type != "EPT" || x.NbCommunes != 8 {
			t.Errorf("GetEPCI(200057867) = %+v, %v", x, err)
		}
		for _, key := range []string{"", "00000", "75056", "94028 ", "0000000A", "0930388s", "000000000", "20005786"} {
			_, errC := s.GetCommune(ctx, scope, key)
			_, errE := s.GetEcole(ctx, scope, key)
			_, errX := s.GetEPCI(ctx, scope, key)
			if !errors.Is(errC, models.ErrNotFound) || !errors.Is(errE, models.ErrNotFound) || !errors.Is(errX, models.ErrNotFound) {
				t.Errorf("clé inconnue %q : %v / %v / %v", key, errC, errE, errX)
			}
		}
	})
}

func TestInvalidScopeSeesNothing(t *testing.T) {
	invalid := []models.Scope{{}, {Kind: models.ScopeDepartement}, {Kind: models.ScopeCirconscription},
		{Kind: models.ScopeCommunes}, {Kind: 99, Departements: []string{"93"}}}
	valid := []models.Scope{models.AcademieScope(), {Kind: models.ScopeDepartement, Departements: []string{"93"}},
		{Kind: models.ScopeCirconscription, Circonscriptions: []string{"0940920P"}}, {Kind: models.ScopeCommunes, Communes: []string{"94028"}}}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		uai := collect(t, s.EachEcole, models.EcoleFilter{Commune: "93008"})[0].UAI
		calls := map[string]func(models.Scope) (leaked bool, err error){
			"ListCommunes": func(sc models.Scope) (bool, error) {
				p, err := s.ListCommunes(ctx, sc, models.CommuneFilter{}, models.PageRequest{})
				return p.Total != 0 || len(p.Items) != 0, err
			},
			"ListEcoles": func(sc models.Scope) (bool, error) {
				p, err := s.ListEcoles(ctx, sc, models.EcoleFilter{}, models.PageRequest{})
				return p.Total != 0 || len(p.Items) != 0, err
			},
			"ListEPCI": func(sc models.Scope) (bool, error) {
				p, err := s.ListEPCI(ctx, sc, models.EPCIFilter{}, models.PageRequest{})
				return p.Total != 0 || len(p.Items) != 0, err
			},
			"EachCommune": func(sc models.Scope) (bool, error) {
				n := 0
				err := s.EachCommune(ctx, sc, models.CommuneFilter{}, func(models.CommuneRow) error { n++; return nil })
				return n != 0, err
			},
			"EachEcole": func(sc models.Scope) (bool, error) {
				n := 0
				err := s.EachEcole(ctx, sc, models.EcoleFilter{}, func(models.EcoleRow) error { n++; return nil })
				return n != 0, err
			},
			"EachEPCI": func(sc models.Scope) (bool, error) {
				n := 0
				err := s.EachEPCI(ctx, sc, models.EPCIFilter{}, func(models.EPCIRow) error { n++; return nil })
				return n != 0, err
			},
			"GetCommune": func(sc models.Scope) (bool, error) {
				c, err := s.GetCommune(ctx, sc, "94028")
				return c.Nom != "", err
			},
			"GetEcole": func(sc models.Scope) (bool, error) {
				e, err := s.GetEcole(ctx, sc, uai)
				return e.Nom != "", err
			},
			"GetEPCI": func(sc models.Scope) (bool, error) {
				x, err := s.GetEPCI(ctx, sc, "200054781")
				return x.Nom != "", err
			},
			"GetDepartement": func(sc models.Scope) (bool, error) {
				d, err := s.GetDepartement(ctx, sc, "93")
				return d.NbEcoles != 0, err
			},
			"ListDepartements": func(sc models.Scope) (bool, error) {
				d, err := s.ListDepartements(ctx, sc)
				return len(d) != 0, err
			},
			"EcoleBreakdown": func(sc models.Scope) (bool, error) {
				a, b, c, err := s.EcoleBreakdown(ctx, sc, models.EcoleFilter{})
				return len(a)+len(b)+len(c) != 0, err
			},
		}
		for name, call := range calls {
			for _, sc := range invalid {
				if leaked, err := call(sc); !errors.Is(err, models.ErrForbidden) || leaked {
					t.Errorf("%s avec la portée %+v : %v (données renvoyées : %v), attendu ErrForbidden", name, sc, err, leaked)
				}
			}
			for _, sc := range valid {
				if leaked, err := call(sc); err != nil || !leaked {
					t.Errorf("%s avec la portée %+v : %v, données : %v", name, sc, err, leaked)
				}
			}
		}
	})
}

func TestEcoleBreakdownSumsToDepartement(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx, scope := t.Context(), models.AcademieScope()
		for _, code := range []string{"77", "93", "94"} {
			d, err := s.GetDepartement(ctx, scope, code)
			if err != nil {
				t.Fatal(err)
			}
			byType, byStatut, byEP, err := s.EcoleBreakdown(ctx, scope, models.EcoleFilter{Departement: code})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]map[string]int{}
			for name, rows := range map[string][]models.Breakdown{"type": byType, "statut": byStatut, "EP": byEP} {
				var ecoles, eleves int
				got[name] = map[string]int{}
				for i, b := range rows {
					ecoles, eleves = ecoles+b.NbEcoles, eleves+b.NbEleves
					got[name][b.Key] = b.NbEcoles
					if i > 0 && rows[i-1].Key >= b.Key {
						t.Errorf("%s, par %s : catégories %q puis %q", code, name, rows[i-1].Key, b.Key)
					}
				}
				if ecoles != d.NbEcoles || eleves != d.NbEleves || ecoles == 0 {
					t.Errorf("%s, par %s : %d écoles et %d élèves, le département en compte %d et %d",
						code, name, ecoles, eleves, d.NbEcoles, d.NbEleves)
				}
			}
			if code == "93" && (got["EP"][""] != 389 || got["EP"]["REP"] != 301 || got["EP"]["REP+"] != 207 ||
				got["type"]["maternelle"] != 403 || len(got["type"]) != 3) {
				t.Errorf("93 : %v", got)
			}
		}
	})
}
