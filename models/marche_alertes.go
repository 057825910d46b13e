package models

import (
	"context"
	"time"
)

// The alerts of the markets: a deadline for bids within N days, an analysis open for more
// than N days, an awarded lot whose contract (renewals included) ends within N days (its
// renewal or a new call to decide).

// Default thresholds of the markets' alerts, in days.
const (
	DefaultMarcheLimiteDays   = 15
	DefaultMarcheAnalyseDays  = 60
	DefaultMarcheEcheanceDays = 180
	maxMarcheAlertes          = 500
)

// MarcheAlertesSettings are the thresholds of the alerts, in days (0: the default).
type MarcheAlertesSettings struct {
	LimiteDays, AnalyseDays, EcheanceDays int
}

func (a MarcheAlertesSettings) normalized() MarcheAlertesSettings {
	if a.LimiteDays <= 0 {
		a.LimiteDays = DefaultMarcheLimiteDays
	}
	if a.AnalyseDays <= 0 {
		a.AnalyseDays = DefaultMarcheAnalyseDays
	}
	if a.EcheanceDays <= 0 {
		a.EcheanceDays = DefaultMarcheEcheanceDays
	}
	return a
}

// MarcheEcheance is an awarded lot whose contract ends soon.
type MarcheEcheance struct {
	MarcheID int64
	Objet    string
	Lot      MarcheLot
	Fin      time.Time
}

// MarcheAlertes are the markets of the scope that need attention.
type MarcheAlertes struct {
	Settings  MarcheAlertesSettings
	Limites   []Marche // published, deadline for bids within LimiteDays
	Analyses  []Marche // in analysis for more than AnalyseDays
	Echeances []MarcheEcheance
}

// Any reports whether there is an alert.
func (a MarcheAlertes) Any() bool { return len(a.Limites)+len(a.Analyses)+len(a.Echeances) > 0 }

// MarcheAlertesOf computes the alerts of the markets of the scope.
func (s *Store) MarcheAlertesOf(ctx context.Context, scope Scope, set MarcheAlertesSettings) (MarcheAlertes, error) {
	set = set.normalized()
	out := MarcheAlertes{Settings: set}
	db, today := s.db.WithContext(ctx), s.todayDate()
	if err := marchesIn(db, scope).Select("ma.*").Where("ma.statut = 'publie' AND ma.date_limite >= ? AND ma.date_limite <= ?",
		today, today.AddDate(0, 0, set.LimiteDays)).Order("ma.date_limite, ma.id").Limit(maxMarcheAlertes).Scan(&out.Limites).Error; err != nil {
		return out, err
	}
	if err := marchesIn(db, scope).Select("ma.*").Where("ma.statut = 'en_analyse' AND ma.statut_date < ?",
		today.AddDate(0, 0, -set.AnalyseDays)).Order("ma.statut_date, ma.id").Limit(maxMarcheAlertes).Scan(&out.Analyses).Error; err != nil {
		return out, err
	}
	var lots []struct {
		MarcheLot
		Objet string
	}
	// The end depends on a duration in months: it is computed here, on the awarded lots
	// started before the horizon.
	horizon := today.AddDate(0, 0, set.EcheanceDays)
	if err := marchesIn(db, scope).Joins("JOIN marche_lots l ON l.marche_id = ma.id").Select("l.*, ma.objet").
		Where("l.date_debut IS NOT NULL AND l.duree_mois IS NOT NULL AND l.date_debut <= ?", horizon).
		Order("l.date_debut, l.id").Limit(5000).Scan(&lots).Error; err != nil {
		return out, err
	}
	for _, l := range lots {
		if fin := l.FinPrevue(); fin != nil && !fin.Before(today) && !fin.After(horizon) && len(out.Echeances) < maxMarcheAlertes {
			out.Echeances = append(out.Echeances, MarcheEcheance{MarcheID: l.MarcheID, Objet: l.Objet, Lot: l.MarcheLot, Fin: *fin})
		}
	}
	return out, nil
}
