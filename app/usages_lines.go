package app

import (
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
)

// usageLine is a line of the usage tables, its figures in French ("—" for an unknown count
// or a rate without both terms).
type usageLine struct {
	Label, Href                             string
	Ecoles, Ouvertes                        int64
	Charges, Actives, Connexions, Visiteurs string
	Activation, Activite                    string
}

func newUsageLine(label string, f models.UsageFigures) usageLine {
	return usageLine{Label: label, Ecoles: f.Ecoles, Charges: frCount(f.ComptesCharges), Actives: frCount(f.ComptesActives),
		Connexions: frCount(f.Connexions), Visiteurs: frCount(f.Visiteurs),
		Activation: frRate(f.ActivationRate()), Activite: frRate(f.ActivityRate())}
}

// frCount is a count in French, "—" when unknown.
func frCount(n *int64) string {
	if n == nil {
		return "—"
	}
	return fr.Int(*n)
}

// frRate is a rate in French ("42,5 %"), "—" when there is none.
func frRate(rate float64, ok bool) string {
	if !ok {
		return "—"
	}
	return percent(rate)
}

// usageWatchLine is an école to watch, in French.
type usageWatchLine struct {
	UAI, Nom, Commune, Ouverture, Actives, Rate string
	Eleves                                      int64
}

func newUsageWatchLine(e models.UsageWatchEcole) usageWatchLine {
	return usageWatchLine{UAI: e.UAI, Nom: e.Nom, Commune: e.Commune, Ouverture: e.Ouverture.Label(),
		Actives: frCount(e.ComptesActives), Rate: frRate(e.Rate()), Eleves: e.NbEleves}
}

// frenchMonths are the names of the months.
var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// monthLabel is a month YYYY-MM in French: "novembre 2025".
func monthLabel(m string) string {
	if len(m) != 7 {
		return m
	}
	n, err := strconv.Atoi(m[5:])
	if err != nil || n < 1 || n > 12 {
		return m
	}
	return frenchMonths[n-1] + " " + m[:4]
}
