package models_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// searches are search texts of every kind: accents, case, hyphens and apostrophes, terms of
// 1 and 2 characters (read without the trigram index), long terms, codes and parts of codes,
// quotes and LIKE wildcards.
var searches = []string{
	"saint", "SAINT", "Saint-Maur", "saint maur", "  Créteil ", "CRÉTEIL", "creteil", "Crétéil",
	"L'Haÿ-les-Roses", "l hay", "HAŸ", "sur-marne", "SUR MARNE", "ur-m", "Épinay", "epinay",
	"e", "É", "sa", "SA", "y-", "9", "94", "940", "9402", "94028", "94000", "2A0", "2a004",
	"0930", "0930388s", "0930388S", "2000578", "200057875", "plaine", "Grand-Paris", "jules ferry",
	"JULES-FERRY", "école maternelle", `sai"nt`, "%", "sa%", "_", `\`, "zzz", "œ", "cœur",
}

// matchOf is the search as users mean it, on one row: its folded name contains the text's
// key, or one of its codes starts with the text (contains it, for postcodes).
func matchOf(q, nom string, prefixes []string, contains string) bool {
	key, code := models.SearchKey(q), strings.ToUpper(strings.TrimSpace(q))
	if key != "" && strings.Contains(models.SearchKey(nom), key) {
		return true
	}
	for _, p := range prefixes {
		if code != "" && strings.HasPrefix(p, code) {
			return true
		}
	}
	return code != "" && strings.Trim(code, "0123456789") == "" && strings.Contains(contains, code)
}

// checkSearch compares, for every search text and sort, the list (read page by page) and
// the cursor with the rows of the unfiltered list that match the text, in the same order.
func checkSearch[R, F any](t *testing.T, sorts []string, filter func(q, sort string) F, match func(q string, r R) bool,
	list func(context.Context, models.Scope, F, models.PageRequest) (models.Page[R], error),
	each func(context.Context, models.Scope, F, func(R) error) error) {
	t.Helper()
	for _, sort := range sorts {
		all := collect(t, each, filter("", sort))
		for _, q := range searches {
			var want []R
			for _, r := range all {
				if match(q, r) {
					want = append(want, r)
				}
			}
			f := filter(q, sort)
			if got := listAll(t, list, f, 61); !reflect.DeepEqual(got, want) {
				t.Errorf("liste %q (tri %q) : %d lignes, attendu %d\n%v\n%v", q, sort, len(got), len(want), got, want)
			}
			if got := collect(t, each, f); !reflect.DeepEqual(got, want) {
				t.Errorf("parcours %q (tri %q) : %d lignes, attendu %d", q, sort, len(got), len(want))
			}
			// A page past the end is empty and still says how many rows were found.
			p, err := list(t.Context(), models.AcademieScope(), f, models.PageRequest{Number: 1000, Size: 61})
			if err != nil || len(p.Items) != 0 || p.Total != int64(len(want)) {
				t.Errorf("page 1000 de %q : %d lignes, total %d (%v), attendu 0 et %d", q, len(p.Items), p.Total, err, len(want))
			}
		}
	}
}

// The indexed search (FTS5 trigram on SQLite, pg_trgm on PostgreSQL) finds exactly the rows
// LIKE found, in the same French order, whatever the text and its length.
func TestSearchFindsWhatLikeFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		t.Run("communes", func(t *testing.T) {
			checkSearch(t, []string{"", "-population", "code"},
				func(q, sort string) models.CommuneFilter { return models.CommuneFilter{Q: q, Sort: sort} },
				func(q string, r models.CommuneRow) bool {
					return matchOf(q, r.Nom, []string{r.CodeINSEE}, r.CodesPostaux)
				}, s.ListCommunes, s.EachCommune)
		})
		t.Run("communes du 94", func(t *testing.T) {
			checkSearch(t, []string{""},
				func(q, sort string) models.CommuneFilter { return models.CommuneFilter{Q: q, Departement: "94"} },
				func(q string, r models.CommuneRow) bool {
					return matchOf(q, r.Nom, []string{r.CodeINSEE}, r.CodesPostaux)
				}, s.ListCommunes, s.EachCommune)
		})
		t.Run("écoles", func(t *testing.T) {
			checkSearch(t, []string{"-nom", "commune"},
				func(q, sort string) models.EcoleFilter { return models.EcoleFilter{Q: q, Sort: sort} },
				func(q string, r models.EcoleRow) bool { return matchOf(q, r.Nom, []string{r.UAI}, "") },
				s.ListEcoles, s.EachEcole)
		})
		t.Run("EPCI", func(t *testing.T) {
			checkSearch(t, []string{"type", "-ecoles"},
				func(q, sort string) models.EPCIFilter { return models.EPCIFilter{Q: q, Sort: sort} },
				func(q string, r models.EPCIRow) bool {
					key := models.SearchKey(q)
					return matchOf(key, r.Nom, []string{r.Siren}, "")
				}, s.ListEPCI, s.EachEPCI)
		})
	})
}

// Contacts are found by their name, their function (case ignored, accents not) and their
// organisation's name, with terms of every length.
func TestSearchContacts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		actor := models.SystemActor("test")
		people := map[models.OrganisationInput][]models.ContactInput{
			{Nom: "Rectorat de l'académie de Créteil", Kind: models.OrgRectorat}: {
				{Nom: "Exemple", Prenom: "Dominique", Fonction: "Délégué(e) académique au numérique (DANE)"},
				{Nom: "L'Haÿ-Œuvre", Prenom: "Zoé", Fonction: "DIRECTRICE GÉNÉRALE DES SERVICES"}},
			{Kind: models.OrgCommune, Commune: "94038"}: {
				{Nom: "Quasimodo", Prenom: "Ève", Fonction: "Maire-adjoint(e) \"numérique\" 100%"},
				{Nom: "Test", Prenom: "Élie", Fonction: "Référent_ENT"}},
			{Nom: "DSDEN du Val-de-Marne", Kind: models.OrgDSDEN, Departement: "94"}: {
				{Nom: "Modèle", Prenom: "Alix", Fonction: "ERUN, coordination départementale"}},
			{Nom: "Éditeur Œcuménique d'ENT", Kind: models.OrgEditeurENT}: {
				{Nom: "Fiction", Prenom: "Noa", Fonction: "Chef(fe) de projet"},
				{Nom: "Saint-Exupéry", Prenom: "Antoine", Fonction: "Maire"}},
		}
		for org, contacts := range people {
			o, err := s.CreateOrganisation(ctx, actor, org)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range contacts {
				c.OrganisationID = o.ID
				if _, err := s.CreateContact(ctx, actor, c); err != nil {
					t.Fatal(err)
				}
			}
		}
		scoped := func(ctx context.Context, _ models.Scope, f models.ContactFilter, p models.PageRequest) (models.Page[models.ContactRow], error) {
			return s.ListContacts(ctx, actor, f, p)
		}
		each := func(ctx context.Context, _ models.Scope, f models.ContactFilter, fn func(models.ContactRow) error) error {
			return s.EachContact(ctx, actor, f, fn)
		}
		// Searches of the data: parts of names, functions and organisations, changed in case.
		qs := []string{"maire", "MAIRE", "Maire adj", "maire-adj", "rectorat", "DSDEN", "créteil", "CRETEIL", "ma", "x", "zzz",
			"directeur", "Directrice", "générale", "GÉNÉRALE", "generale", "numérique", "NUMERIQUE", `"numérique"`, "100%",
			"%", "t_e", "nt_e", "haÿ", "L'HAY-OEUVRE", "oeuvre", "zoe", "ève", "œcuménique", "val-de-marne", "saint-ex", "ha"}
		for _, c := range collect(t, each, models.ContactFilter{}) {
			qs = append(qs, c.Nom, strings.ToUpper(c.Prenom+" "+c.Nom), c.OrganisationNom)
			if len(c.Fonction) > 4 {
				qs = append(qs, strings.ToUpper(c.Fonction[:4]))
			}
		}
		// The function is compared in lower case, by the database's LOWER: SQLite's lowers
		// ASCII letters only, as it always did ("GÉNÉRALE" is not found by "générale").
		lowerFonction := strings.ToLower
		if s.Dialect() == models.SQLite {
			lowerFonction = func(v string) string {
				return strings.Map(func(r rune) rune {
					if r >= 'A' && r <= 'Z' {
						return r + 'a' - 'A'
					}
					return r
				}, v)
			}
		}
		for _, sort := range []string{"", "-nom", "fonction", "organisation"} {
			all := collect(t, each, models.ContactFilter{Sort: sort})
			for _, q := range qs {
				key, lower := models.SearchKey(q), strings.ToLower(strings.TrimSpace(q))
				var want []models.ContactRow
				for _, c := range all {
					if key != "" && (strings.Contains(models.SearchKey(c.Nom+" "+c.Prenom), key) ||
						strings.Contains(models.SearchKey(c.OrganisationNom), key) || strings.Contains(lowerFonction(c.Fonction), lower)) {
						want = append(want, c)
					}
				}
				f := models.ContactFilter{Q: q, Sort: sort}
				if got := listAll(t, scoped, f, 3); !reflect.DeepEqual(got, want) {
					t.Errorf("contacts %q (tri %q) : %d, attendu %d", q, sort, len(got), len(want))
				}
				if got := collect(t, each, f); !reflect.DeepEqual(got, want) {
					t.Errorf("parcours des contacts %q (tri %q) : %d, attendu %d", q, sort, len(got), len(want))
				}
			}
		}
	})
}

// The search indexes follow every write: a renamed commune is found by its new name and no
// longer by its old one, a new école as soon as it is imported (and not after a dry run).
func TestSearchFollowsWrites(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx, scope := t.Context(), models.AcademieScope()
		count := func(q string) int64 {
			t.Helper()
			p, err := s.ListCommunes(ctx, scope, models.CommuneFilter{Q: q}, models.PageRequest{})
			if err != nil {
				t.Fatal(err)
			}
			return p.Total
		}
		if n := count("bobigny"); n != 1 {
			t.Fatalf("bobigny : %d", n)
		}
		pop := 1000
		rename := func(nom string) {
			t.Helper()
			in := models.CommuneInput{Line: 2, CodeINSEE: "93008", Nom: nom, Departement: "93", Population: &pop}
			if _, err := s.ImportCommunes(ctx, []models.CommuneInput{in}, models.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		rename("Ville-Témoin-Qüx")
		if a, b, c := count("bobigny"), count("TEMOIN QUX"), count("quxx"); a != 0 || b != 1 || c != 0 {
			t.Errorf("après renommage : bobigny %d, témoin qüx %d, quxx %d", a, b, c)
		}
		rename("Bobigny")
		if a, b := count("bobigny"), count("temoin"); a != 1 || b != 0 {
			t.Errorf("après retour au nom : bobigny %d, témoin %d", a, b)
		}

		digits := "0949990"
		uai := digits + string(models.UAICheckLetter(digits))
		ecole := models.EcoleInput{Line: 2, UAI: uai, Nom: "École élémentaire Zéphyrine-Qwerty", Type: "elementaire",
			Statut: "public", CodeINSEE: "94028"}
		find := func() int64 {
			t.Helper()
			p, err := s.ListEcoles(ctx, scope, models.EcoleFilter{Q: "zephyrine qwert"}, models.PageRequest{})
			if err != nil {
				t.Fatal(err)
			}
			return p.Total
		}
		for _, dry := range []bool{true, false} {
			if _, err := s.ImportEcoles(ctx, []models.EcoleInput{ecole}, models.ImportOptions{DryRun: dry}); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int64{true: 0, false: 1}[dry]; find() != want {
				t.Errorf("essai %v : %d école(s) trouvée(s), attendu %d", dry, find(), want)
			}
		}
	})
}

// Search terms of every length give the same rows on both engines: here, the number of
// communes found for each prefix of a long name.
func TestSearchTermLengths(t *testing.T) {
	name := "Saint-Maur-des-Fossés"
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		all := collect(t, s.EachCommune, models.CommuneFilter{})
		for n := 1; n <= len([]rune(name)); n++ {
			q := string([]rune(name)[:n])
			var want int64
			for _, r := range all {
				if matchOf(q, r.Nom, []string{r.CodeINSEE}, r.CodesPostaux) {
					want++
				}
			}
			p, err := s.ListCommunes(t.Context(), models.AcademieScope(), models.CommuneFilter{Q: q}, models.PageRequest{Size: 3})
			if err != nil || p.Total != want || int64(len(p.Items)) != min(want, 3) {
				t.Errorf("%q : %d communes (%d lues), %v ; attendu %d", q, p.Total, len(p.Items), err, want)
			}
		}
	})
}
