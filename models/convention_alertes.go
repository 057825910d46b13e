package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// The alerts on conventions ("alertes", /conventions/alertes): conventions expiring soon,
// conventions waiting for their signatures too long, communes without a convention in force.

// Default thresholds of the conventions' alerts.
const (
	DefaultAlertesExpiryDays    = 90 // conventions expiring within this many days
	DefaultAlertesSignatureDays = 60 // conventions "à la signature" for more than this many days
)

// AlertesSettings are the thresholds of the alerts, in days (0: the default).
type AlertesSettings struct {
	ExpiryDays    int
	SignatureDays int
}

func (a AlertesSettings) normalized() AlertesSettings {
	if a.ExpiryDays <= 0 {
		a.ExpiryDays = DefaultAlertesExpiryDays
	}
	if a.SignatureDays <= 0 {
		a.SignatureDays = DefaultAlertesSignatureDays
	}
	return a
}

// DepartementSansConvention counts, for one département, the communes without a local
// convention in force.
type DepartementSansConvention struct {
	Code           string
	Nom            string
	Communes       int
	SansConvention int
}

// ConventionAlertes are the alerts of a scope: conventions expiring soon, conventions waiting
// for signatures too long, and communes with no convention in force, per département.
type ConventionAlertes struct {
	Settings     AlertesSettings
	Expiring     []ConventionRow
	Waiting      []ConventionRow
	Departements []DepartementSansConvention
}

// Counts are the numbers shown on the home page.
func (a ConventionAlertes) Counts() AlertesCounts {
	c := AlertesCounts{Expiring: len(a.Expiring), Waiting: len(a.Waiting)}
	for _, d := range a.Departements {
		c.CommunesSansConvention += d.SansConvention
	}
	return c
}

// AlertesCounts are the alerts' counts.
type AlertesCounts struct {
	Expiring               int
	Waiting                int
	CommunesSansConvention int
}

// Any reports whether some alert is raised.
func (c AlertesCounts) Any() bool { return c.Expiring+c.Waiting > 0 || c.CommunesSansConvention > 0 }

// expiringQuery keeps the signed or in-force conventions whose expiry (after avenants)
// falls between today and today + days.
func expiringQuery(q *gorm.DB, today time.Time, days int) *gorm.DB {
	return q.Where("c.statut IN ? AND c.date_fin >= ? AND c.date_fin <= ?",
		[]string{StatutSignee, StatutEnVigueur}, today, today.AddDate(0, 0, days))
}

// waitingQuery keeps the conventions "à la signature" for more than days.
func (s *Store) waitingQuery(q *gorm.DB, days int) *gorm.DB {
	return q.Where("c.statut = ? AND c.statut_depuis < ?", StatutSignature, s.now().UTC().AddDate(0, 0, -days))
}

// ConventionAlertesOf computes the alerts of the scope. Communes without a convention in
// force are counted for the départements the scope sees whole (académie, IA-DASEN), and for
// the communes of a référent or a circonscription.
func (s *Store) ConventionAlertesOf(ctx context.Context, scope Scope, set AlertesSettings) (ConventionAlertes, error) {
	set = set.normalized()
	out := ConventionAlertes{Settings: set}
	db := s.db.WithContext(ctx)
	today := s.todayDate()
	err := withConventionNames(expiringQuery(conventionsIn(db, scope, false), today, set.ExpiryDays)).
		Order("c.date_fin, c.reference").Scan(&out.Expiring).Error
	if err != nil {
		return out, err
	}
	err = withConventionNames(s.waitingQuery(conventionsIn(db, scope, false), set.SignatureDays)).
		Order("c.statut_depuis, c.reference").Scan(&out.Waiting).Error
	if err != nil {
		return out, err
	}
	out.Departements, err = s.sansConvention(db, scope, today)
	return out, err
}

// ConventionAlertesCounts counts the alerts of the scope, as ConventionAlertesOf(...).Counts()
// without reading the conventions: the home page's notice.
func (s *Store) ConventionAlertesCounts(ctx context.Context, scope Scope, set AlertesSettings) (AlertesCounts, error) {
	set = set.normalized()
	var out AlertesCounts
	db := s.db.WithContext(ctx)
	today := s.todayDate()
	var n int64
	if err := expiringQuery(conventionsIn(db, scope, false), today, set.ExpiryDays).Count(&n).Error; err != nil {
		return out, err
	}
	out.Expiring = int(n)
	if err := s.waitingQuery(conventionsIn(db, scope, false), set.SignatureDays).Count(&n).Error; err != nil {
		return out, err
	}
	out.Waiting = int(n)
	deps, err := s.sansConvention(db, scope, today)
	for _, d := range deps {
		out.CommunesSansConvention += d.SansConvention
	}
	return out, err
}

// sansConvention counts, per département of the scope, its communes and those without a
// local convention in force. Whole départements take their communes from the kept figures
// (chiffres_departements); the covered communes come from the kept communes of the
// conventions in force (conventions_en_vigueur), a small table: nothing reads every commune.
func (s *Store) sansConvention(db *gorm.DB, scope Scope, today time.Time) ([]DepartementSansConvention, error) {
	var out []DepartementSansConvention
	var q *gorm.DB
	if scope.summarized() {
		q = scope.within(db.Table("chiffres_departements AS m"), "m", departementsTerritory, reachRead).
			Where("m.nb_communes > 0").Select("m.departement_code AS code, d.nom AS nom, m.nb_communes AS communes")
	} else {
		q = scope.within(db.Table("communes AS m"), "m", communesTerritory, reachRead).
			Select("m.departement_code AS code, d.nom AS nom, COUNT(*) AS communes").Group("m.departement_code, d.nom")
	}
	err := q.Joins("JOIN departements d ON d.code = m.departement_code").Order("m.departement_code").Scan(&out).Error
	if err != nil || len(out) == 0 {
		return out, err
	}
	var covered []struct {
		Code string
		N    int
	}
	if scope.summarized() {
		q = scope.within(db.Table("conventions_en_vigueur AS v"), "v", departementsTerritory, reachRead)
	} else {
		q = scope.within(db.Table("conventions_en_vigueur AS v").Joins("JOIN communes m ON m.code_insee = v.code_insee"),
			"m", communesTerritory, reachRead)
	}
	err = q.Where(enVigueurToday, today).Select("v.departement_code AS code, COUNT(DISTINCT v.code_insee) AS n").
		Group("v.departement_code").Scan(&covered).Error
	for i := range out {
		out[i].SansConvention = out[i].Communes
		for _, c := range covered {
			if c.Code == out[i].Code {
				out[i].SansConvention -= c.N
			}
		}
	}
	return out, err
}

// CommuneSansConvention is a commune of the scope without a local convention in force.
type CommuneSansConvention struct {
	CodeINSEE       string `gorm:"column:code_insee"`
	Nom             string
	DepartementCode string
	Population      int
	EPCINom         string `gorm:"column:epci_nom"`
}

// ListCommunesSansConvention returns one page of the communes of the scope (of one
// département if given) without a local convention in force, by département and name.
// counts, when given, are the alerts' counts per département of the same scope: the total is
// taken from them instead of being counted again; else it is counted from the kept figures
// (sansConvention), never commune by commune.
func (s *Store) ListCommunesSansConvention(ctx context.Context, scope Scope, departement string, p PageRequest, counts []DepartementSansConvention) (Page[CommuneSansConvention], error) {
	p = p.normalized()
	page := Page[CommuneSansConvention]{Number: p.Number, Size: p.Size}
	db := s.db.WithContext(ctx)
	today := s.todayDate()
	if counts == nil {
		var err error
		if counts, err = s.sansConvention(db, scope, today); err != nil {
			return page, err
		}
	}
	for _, d := range counts {
		if departement == "" || d.Code == departement {
			page.Total += int64(d.SansConvention)
		}
	}
	q := scope.within(db.Table("communes AS m"), "m", communesTerritory, reachRead).Where("NOT "+inForceSQL, today)
	if departement != "" {
		q = q.Where("m.departement_code = ?", dbText(departement))
	}
	err := q.Joins("LEFT JOIN epci e ON e.siren = m.epci_siren").
		Select("m.code_insee, m.nom, m.departement_code, m.population, e.nom AS epci_nom").
		Order("m.departement_code, m.nom_recherche, m.code_insee").Limit(p.Size).Offset(p.offset()).Scan(&page.Items).Error
	return page, err
}
