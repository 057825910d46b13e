package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Default thresholds of the conventions' alerts.
const (
	DefaultExpiryAlertDays    = 90 // conventions expiring within this many days
	DefaultSignatureAlertDays = 60 // conventions "à la signature" for more than this many days
)

// AlertSettings are the thresholds of the alerts, in days (0: the default).
type AlertSettings struct {
	ExpiryDays    int
	SignatureDays int
}

func (a AlertSettings) normalized() AlertSettings {
	if a.ExpiryDays <= 0 {
		a.ExpiryDays = DefaultExpiryAlertDays
	}
	if a.SignatureDays <= 0 {
		a.SignatureDays = DefaultSignatureAlertDays
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

// ConventionAlerts are the alerts of a scope: conventions expiring soon, conventions waiting
// for signatures too long, and communes with no convention in force, per département.
type ConventionAlerts struct {
	Settings     AlertSettings
	Expiring     []ConventionRow
	Waiting      []ConventionRow
	Departements []DepartementSansConvention
}

// Counts are the numbers shown on the home page.
func (a ConventionAlerts) Counts() AlertCounts {
	c := AlertCounts{Expiring: len(a.Expiring), Waiting: len(a.Waiting)}
	for _, d := range a.Departements {
		c.CommunesSansConvention += d.SansConvention
	}
	return c
}

// AlertCounts are the alerts' counts.
type AlertCounts struct {
	Expiring               int
	Waiting                int
	CommunesSansConvention int
}

// Any reports whether some alert is raised.
func (c AlertCounts) Any() bool { return c.Expiring+c.Waiting > 0 || c.CommunesSansConvention > 0 }

// expiringQuery keeps the signed or in-force conventions whose expiry (after avenants)
// falls between today and today + days.
func expiringQuery(q *gorm.DB, today time.Time, days int) *gorm.DB {
	return q.Where("c.statut IN ? AND c.date_fin >= ? AND c.date_fin <= ?",
		[]string{StatutSignee, StatutEnVigueur}, today, today.AddDate(0, 0, days))
}

// ConventionAlertsOf computes the alerts of the scope. Communes without a convention in
// force are counted for the départements the scope sees whole (académie, IA-DASEN), and for
// the communes of a référent or a circonscription.
func (s *Store) ConventionAlertsOf(ctx context.Context, scope Scope, set AlertSettings) (ConventionAlerts, error) {
	set = set.normalized()
	out := ConventionAlerts{Settings: set}
	db := s.db.WithContext(ctx)
	today := s.todayDate()
	err := withConventionNames(expiringQuery(conventionsIn(db, scope, false), today, set.ExpiryDays)).
		Order("c.date_fin, c.reference").Scan(&out.Expiring).Error
	if err != nil {
		return out, err
	}
	err = withConventionNames(conventionsIn(db, scope, false).Where("c.statut = ? AND c.statut_depuis < ?",
		StatutSignature, s.now().UTC().AddDate(0, 0, -set.SignatureDays))).
		Order("c.statut_depuis, c.reference").Scan(&out.Waiting).Error
	if err != nil {
		return out, err
	}
	// Communes per département, then those covered (a small set): two grouped reads
	// rather than a test per commune.
	err = scope.within(db.Table("communes AS m"), "m", communesTerritory, reachRead).Joins("JOIN departements d ON d.code = m.departement_code").
		Select("m.departement_code AS code, d.nom AS nom, COUNT(*) AS communes").
		Group("m.departement_code, d.nom").Order("m.departement_code").Scan(&out.Departements).Error
	if err != nil {
		return out, err
	}
	var covered []struct {
		Code string
		N    int
	}
	err = scope.within(db.Table("communes AS m"), "m", communesTerritory, reachRead).Where(inForceSQL, today).
		Select("m.departement_code AS code, COUNT(*) AS n").Group("m.departement_code").Scan(&covered).Error
	for i := range out.Departements {
		out.Departements[i].SansConvention = out.Departements[i].Communes
		for _, c := range covered {
			if c.Code == out.Departements[i].Code {
				out.Departements[i].SansConvention -= c.N
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
// taken from them instead of being counted again.
func (s *Store) ListCommunesSansConvention(ctx context.Context, scope Scope, departement string, p PageRequest, counts []DepartementSansConvention) (Page[CommuneSansConvention], error) {
	p = p.normalized()
	page := Page[CommuneSansConvention]{Number: p.Number, Size: p.Size}
	q := func() *gorm.DB {
		q := scope.within(s.db.WithContext(ctx).Table("communes AS m"), "m", communesTerritory, reachRead).Where("NOT "+inForceSQL, s.todayDate())
		if departement != "" {
			q = q.Where("m.departement_code = ?", dbText(departement))
		}
		return q
	}
	if counts != nil {
		for _, d := range counts {
			if departement == "" || d.Code == departement {
				page.Total += int64(d.SansConvention)
			}
		}
	} else if err := q().Count(&page.Total).Error; err != nil {
		return page, err
	}
	err := q().Joins("LEFT JOIN epci e ON e.siren = m.epci_siren").
		Select("m.code_insee, m.nom, m.departement_code, m.population, e.nom AS epci_nom").
		Order("m.departement_code, m.nom_recherche, m.code_insee").Limit(p.Size).Offset(p.offset()).Scan(&page.Items).Error
	return page, err
}
