package seeds_test

import (
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

const communeHeader = "code_insee;nom;departement;population;codes_postaux;epci_siren;ept_siren\r\n"

// creteil is the commune 94028 as the reference data holds it, with population p.
func creteil(p string) string {
	return "94028;Créteil;94;" + p + ";94000;200054781;200058006\r\n"
}

func importCommunes(t *testing.T, s *models.Store, data string) (int, models.ImportCounts, error) {
	t.Helper()
	return seeds.ImportCommunesFile(t.Context(), s, strings.NewReader(data), models.ImportOptions{})
}

func getCommune(t *testing.T, s *models.Store, code string) models.CommuneRow {
	t.Helper()
	c, err := s.GetCommune(t.Context(), models.AcademieScope(), code)
	if err != nil {
		t.Fatalf("commune %s : %v", code, err)
	}
	return c
}

func TestImportCommunesUpdatesPopulation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		before := getCommune(t, s, "94028")
		if before.Population == 93500 {
			t.Fatal("la population de référence est déjà celle du test")
		}
		n, counts, err := importCommunes(t, s, communeHeader+creteil("93 500"))
		if err != nil || n != 1 || counts != (models.ImportCounts{Updated: 1}) {
			t.Fatalf("import : %d lignes, %v, %v", n, counts, err)
		}
		after := getCommune(t, s, "94028")
		want := before
		want.Population = 93500
		if after != want {
			t.Errorf("après l'import :\n%+v\nattendu :\n%+v", after, want)
		}
		if _, counts, err := importCommunes(t, s, communeHeader+creteil("93500")); err != nil || counts != (models.ImportCounts{Unchanged: 1}) {
			t.Errorf("second import : %v, %v", counts, err)
		}
	})
}

func TestImportCommunesBadRowCommitsNothing(t *testing.T) {
	cases := []struct{ name, line3, col, msg string }{
		{"EPCI inconnu", "94046;Maisons-Alfort;94;56000;94700;999999999;200058006", "epci_siren", "EPCI 999999999 inconnu"},
		{"EPT inconnu", "94046;Maisons-Alfort;94;56000;94700;200054781;123456789", "ept_siren", "inconnu"},
		{"département hors académie", "75056;Paris;75;2100000;75001;;", "departement", "hors de l'académie"},
		{"code et département discordants", "94046;Maisons-Alfort;93;56000;94700;200054781;200058006", "departement", "n'est pas dans le département 93"},
		{"code INSEE invalide", "9404;Maisons-Alfort;94;56000;94700;;", "code_insee", "invalide"},
		{"commune en double", "94028;Créteil;94;1;94000;200054781;200058006", "code_insee", "en double (déjà ligne 2)"},
		{"population négative", "94046;Maisons-Alfort;94;-1;94700;200054781;200058006", "population", "négative"},
		{"population illisible", "94046;Maisons-Alfort;94;beaucoup;94700;200054781;200058006", "population", "nombre entier"},
		{"code postal invalide", "94046;Maisons-Alfort;94;56000;947;200054781;200058006", "codes_postaux", "947"},
		{"nom vide", "94046;;94;56000;94700;200054781;200058006", "nom", "obligatoire"},
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		creteilBefore, alfortBefore := getCommune(t, s, "94028"), getCommune(t, s, "94046")
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, counts, err := importCommunes(t, s, communeHeader+creteil("93500")+c.line3+"\r\n")
				found := false
				for _, fe := range fieldErrors(t, err) {
					if fe.Line != 3 {
						t.Errorf("erreur signalée ligne %d : %v", fe.Line, fe)
					}
					found = found || fe.Field == c.col && strings.Contains(fe.Msg, c.msg)
				}
				if !found {
					t.Errorf("erreur %q : attendu ligne 3, colonne %q, message contenant %q", err, c.col, c.msg)
				}
				if counts != (models.ImportCounts{}) {
					t.Errorf("comptes %v pour un import refusé", counts)
				}
				if got := getCommune(t, s, "94028"); got != creteilBefore {
					t.Errorf("Créteil modifiée par un import refusé : %+v", got)
				}
				if got := getCommune(t, s, "94046"); got != alfortBefore {
					t.Errorf("Maisons-Alfort modifiée par un import refusé : %+v", got)
				}
			})
		}
	})
}

// A file without the optional columns keeps the stored values of those columns, as it does for
// the population and the EPCI; today the postcodes are wiped.
func TestImportCommunesKeepsAbsentColumns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		before := getCommune(t, s, "94068")
		_, counts, err := importCommunes(t, s, "code_insee;nom;departement\n94068;Saint-Maur-des-Fossés;94\n")
		if err != nil || counts != (models.ImportCounts{Unchanged: 1}) {
			t.Errorf("import des colonnes obligatoires seules : %v, %v ; attendu 1 inchangée", counts, err)
		}
		if after := getCommune(t, s, "94068"); after != before {
			t.Errorf("après l'import :\n%+v\navant :\n%+v", after, before)
		}
	})
}
