package models_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// initialOf is the first letter of a name, accents and case folded: "É" for "e".
func initialOf(name string) string {
	return models.SearchKey(name)[:1]
}

// checkAmongInitial checks that names[i] sits after every name of an earlier initial and
// before every name of a later one: "Émerainville" among the E's, not after the Z's.
func checkAmongInitial(t *testing.T, what string, names []string, i int) {
	t.Helper()
	initial := initialOf(names[i])
	for j, n := range names {
		other := initialOf(n)
		if (j < i && other > initial) || (j > i && other < initial) {
			t.Errorf("%s : %q (rang %d) et %q (rang %d) dans le désordre", what, names[i], i, n, j)
			return
		}
	}
}

// Names starting with an accented capital sort among their letter (the French order), not
// after "Z" as in byte order.
func TestFrenchSortOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		t.Run("communes", func(t *testing.T) { frenchSortCommunes(t, s) })
		t.Run("ecoles", func(t *testing.T) { frenchSortEcoles(t, s) })
		t.Run("epci", func(t *testing.T) { frenchSortEPCI(t, s) })
	})
}

// frenchSortCommunes checks the communes of the 77 in "É" sort among the E, by every sort
// of the export and on a page of the list.
func frenchSortCommunes(t *testing.T, s *models.Store) {
	ctx := t.Context()
	for _, sort := range []string{"nom", "-nom", "departement"} {
		rows := collect(t, s.EachCommune, models.CommuneFilter{Departement: "77", Sort: sort})
		names := make([]string, len(rows))
		for i, r := range rows {
			names[i] = r.Nom
		}
		if sort == "-nom" {
			slices.Reverse(names)
		}
		found := 0
		for i, n := range names {
			if strings.HasPrefix(n, "É") {
				found++
				checkAmongInitial(t, "communes du 77 triées par "+sort, names, i)
			}
		}
		if found < 5 {
			t.Fatalf("tri %s : %d communes du 77 en « É », au moins 5 attendues (Émerainville, Égreville…)", sort, found)
		}
		if strings.HasPrefix(names[len(names)-1], "É") {
			t.Errorf("tri %s : la liste finit par %q", sort, names[len(names)-1])
		}
	}
	p, err := s.ListCommunes(ctx, models.AcademieScope(), models.CommuneFilter{Departement: "77", Sort: "nom"}, models.PageRequest{Size: 500})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(p.Items, func(r models.CommuneRow) bool { return r.CodeINSEE == "77169" })
	if i <= 0 || i+1 >= len(p.Items) || initialOf(p.Items[i-1].Nom) > "e" || initialOf(p.Items[i+1].Nom) != "e" {
		t.Errorf("Émerainville (77169) au rang %d de la page, pas parmi les E", i)
	}
}

// frenchSortEcoles checks the écoles of the 77 sorted by commune, then by name folded.
func frenchSortEcoles(t *testing.T, s *models.Store) {
	// No école name of the reference data starts with an accent: their communes do.
	rows := collect(t, s.EachEcole, models.EcoleFilter{Departement: "77", Sort: "commune"})
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r.CommuneNom
	}
	i := slices.Index(names, "Émerainville")
	if i < 0 {
		t.Fatal("aucune école d'Émerainville")
	}
	checkAmongInitial(t, "écoles du 77 triées par commune", names, i)
	// Within a commune, by name folded too: hyphens and apostrophes count as spaces.
	for j := 1; j < len(rows); j++ {
		if rows[j].CodeINSEE == rows[j-1].CodeINSEE && byName(rows[j-1].Nom, rows[j].Nom) > 0 {
			t.Errorf("écoles de %s dans le désordre : %q puis %q", rows[j].CommuneNom, rows[j-1].Nom, rows[j].Nom)
		}
	}
}

// frenchSortEPCI checks the EPCI of the 77 (one added, with an accented initial) in the
// order of their names, in the choices and the export.
func frenchSortEPCI(t *testing.T, s *models.Store) {
	ctx := t.Context()
	// "CC l'Orée de la Brie" sorted after "CC Val Briard" in byte order (lowercase after
	// uppercase), an accented initial after everything.
	if _, err := s.ImportEPCI(ctx, []models.EPCIInput{{Line: 2, Siren: "200099991", Nom: "CC Étangs de Brie", Type: "CC"}}, models.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	siren := "200099991"
	if _, err := s.ImportCommunes(ctx, []models.CommuneInput{{Line: 2, CodeINSEE: "77169", Nom: "Émerainville", Departement: "77", EPCISiren: &siren}}, models.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	choices, err := s.EPCIChoices(ctx, models.AcademieScope(), "77")
	if err != nil {
		t.Fatal(err)
	}
	labels := make([]string, len(choices))
	for i, c := range choices {
		labels[i] = c.Label
	}
	if !slices.IsSortedFunc(labels, byName) {
		t.Errorf("EPCI du 77 pas dans l'ordre des noms : %q", labels)
	}
	for _, want := range [][2]string{
		{"CC du Provinois", "CC Étangs de Brie"},
		{"CC Étangs de Brie", "CC Gâtinais Val de Loing"},
		{"CC Gâtinais Val de Loing", "CC l'Orée de la Brie"},
		{"CC l'Orée de la Brie", "CC Les Portes Briardes Entre Villes et Forêts"},
	} {
		if a, b := slices.Index(labels, want[0]), slices.Index(labels, want[1]); a < 0 || b != a+1 {
			t.Errorf("EPCI du 77 : %q (rang %d) devrait précéder %q (rang %d) : %q", want[0], a, want[1], b, labels)
		}
	}
	rows := collect(t, s.EachEPCI, models.EPCIFilter{Departement: "77", Sort: "nom"})
	for i := 1; i < len(rows); i++ {
		if byName(rows[i-1].Nom, rows[i].Nom) > 0 {
			t.Errorf("liste des EPCI du 77 : %q puis %q", rows[i-1].Nom, rows[i].Nom)
		}
	}
}
