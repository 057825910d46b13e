package models_test

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// On a PostgreSQL server where pg_trgm cannot be created (here: the database's user may not
// create extensions), the migrations go through without the trigram indexes, and searches
// find the same rows, reading the tables. Once the extension is there,
// pilotage_index_recherche() creates the indexes.
func TestSearchWithoutTrigramExtension(t *testing.T) {
	pg := dbtest.Postgres(t)
	dbURL := pg.URL(t, false)
	admin, err := gorm.Open(postgres.Open(dbURL), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	exec := func(sql string) {
		t.Helper()
		if err := admin.Exec(sql).Error; err != nil {
			t.Fatalf("%s : %v", sql, err)
		}
	}
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	role := "pilotage_sans_trgm_" + hex.EncodeToString(suffix)
	if err := admin.Exec("CREATE ROLE " + role + " LOGIN").Error; err != nil {
		t.Skipf("création d'un rôle impossible : %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP OWNED BY " + role)
		admin.Exec("DROP ROLE IF EXISTS " + role)
		if db, err := admin.DB(); err == nil {
			_ = db.Close()
		}
	})
	// The role may create tables, but not extensions (which needs CREATE on the database).
	exec("DROP EXTENSION IF EXISTS pg_trgm")
	exec("REVOKE CREATE ON DATABASE " + databaseName(t, dbURL) + " FROM PUBLIC")
	exec("GRANT CREATE ON SCHEMA public TO " + role)

	u, _ := url.Parse(dbURL)
	u.User = url.User(role)
	s, err := models.Open(t.Context(), u.String(), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("migration sans pg_trgm : %v", err)
	}
	if _, err := seeds.LoadReference(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	indexes := func() int64 {
		var n int64
		if err := admin.Raw("SELECT COUNT(*) FROM pg_indexes WHERE indexname LIKE '%_trigrammes'").Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := indexes(); n != 0 {
		t.Fatalf("%d index trigrammes sans l'extension", n)
	}
	all := collect(t, s.EachCommune, models.CommuneFilter{})
	for _, q := range []string{"saint", "Saint-Maur", "sa", "94028", "créteil"} {
		var want int64
		for _, r := range all {
			if matchOf(q, r.Nom, []string{r.CodeINSEE}, r.CodesPostaux) {
				want++
			}
		}
		p, err := s.ListCommunes(t.Context(), models.AcademieScope(), models.CommuneFilter{Q: q}, models.PageRequest{Size: 5})
		if err != nil || p.Total != want || int64(len(p.Items)) != min(want, 5) {
			t.Errorf("%q sans pg_trgm : %d communes (%d lues), %v ; attendu %d", q, p.Total, len(p.Items), err, want)
		}
	}

	// The extension installed later by an administrator, the function creates the indexes.
	exec("CREATE EXTENSION pg_trgm")
	var created bool
	if err := admin.Raw("SELECT pilotage_index_recherche()").Scan(&created).Error; err != nil || !created {
		t.Fatalf("pilotage_index_recherche() : %v, %v", created, err)
	}
	if n := indexes(); n != 5 {
		t.Errorf("%d index trigrammes après l'installation de l'extension, attendu 5", n)
	}
}

// envRequireTrigram makes the absence of pg_trgm on the PostgreSQL test server a failure
// (.ci/run sets it), rather than a skipped test.
const envRequireTrigram = "PILOTAGE_REQUIRE_PG_TRGM"

// The migrations create the trigram indexes on a server that has pg_trgm.
func TestSearchTrigramIndexes(t *testing.T) {
	pg := dbtest.Postgres(t)
	db, err := gorm.Open(postgres.Open(pg.URL(t, true)), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	}()
	var available, indexes int64
	if err := db.Raw("SELECT COUNT(*) FROM pg_available_extensions WHERE name = 'pg_trgm'").Scan(&available).Error; err != nil {
		t.Fatal(err)
	}
	if available == 0 {
		if os.Getenv(envRequireTrigram) != "" {
			t.Fatal("extension pg_trgm absente du serveur PostgreSQL (paquet postgresql-contrib)")
		}
		t.Skip("extension pg_trgm absente du serveur PostgreSQL : la recherche lit les tables")
	}
	if err := db.Raw("SELECT COUNT(*) FROM pg_indexes WHERE indexname IN " +
		"('communes_trigrammes', 'ecoles_trigrammes', 'epci_trigrammes', 'organisations_trigrammes', 'contacts_trigrammes')").
		Scan(&indexes).Error; err != nil {
		t.Fatal(err)
	}
	if indexes != 5 {
		t.Errorf("%d index trigrammes, attendu 5", indexes)
	}
}

// databaseName is the database of a PostgreSQL URL.
func databaseName(t *testing.T, dbURL string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path[1:]
}
