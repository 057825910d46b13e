package models

import (
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
)

// What a référent communal may do on a financing plan. The lines of a plan are not per
// commune: on a plan of one commune they are that commune's, on a plan of several communes
// they are shared (split by the key). So a référent enters the actual amounts, and adds the
// lines of the current and next school years, on the plan of their own commune only; a
// shared plan's amounts are entered by the pilotes and the IA-DASEN (CanSetActualAmounts).
// Whoever writes the plan adds lines of any year.

// Shared reports whether the plan is shared between several communes (its lines are then
// not any one commune's).
func (f FinancementRow) Shared() bool { return len(f.CommuneCodes) > 1 }

// SharedNotice says on a shared plan's page who enters its actual amounts, "" otherwise.
func (f FinancementRow) SharedNotice() string {
	if !f.Shared() {
		return ""
	}
	return "Ce plan est partagé entre " + strconv.Itoa(len(f.CommuneCodes)) +
		" communes : seuls les pilotes et l'IA-DASEN en saisissent les montants réalisés."
}

// SchoolYearOf is the school year of a day, by its first year: 2026 (2026-2027) from
// 1 September 2026 to 31 August 2027.
func SchoolYearOf(t time.Time) int {
	if t.Month() >= time.September {
		return t.Year()
	}
	return t.Year() - 1
}

// SchoolYear is the current school year (Paris time).
func (s *Store) SchoolYear() int { return SchoolYearOf(s.now().In(fr.Paris())) }

// LineYears are the years the line form offers the actor on the plan with these lines:
// whoever writes the plan, from its first year (MinFinancementAnnee without lines) to three
// years after the next school year (or its last year, if later); a référent who enters its
// actual amounts, the current and the next school years; nobody else, none.
func (s *Store) LineYears(actor Actor, f FinancementRow, lines []FinancementLigne) []int {
	cur := s.SchoolYear()
	if !CanWriteFinancement(actor, f.Financement) {
		if CanSetActualAmounts(actor, f) {
			return []int{cur, cur + 1}
		}
		return nil
	}
	first, last := MinFinancementAnnee, cur+4
	for i, l := range lines {
		if i == 0 || l.Annee < first {
			first = l.Annee
		}
		last = max(last, l.Annee)
	}
	first = min(first, cur)
	out := make([]int, 0, last-first+1)
	for y := first; y <= last; y++ {
		out = append(out, y)
	}
	return out
}

// mayAddLine checks a line the actor adds to a plan they do not write: only a référent who
// enters the plan's actual amounts, for the current or the next school year.
func (s *Store) mayAddLine(actor Actor, f FinancementRow, l FinancementLigne) error {
	if !CanSetActualAmounts(actor, f) {
		return ErrForbidden
	}
	if cur := s.SchoolYear(); l.Annee != cur && l.Annee != cur+1 {
		var errs ValidationError
		errs.Add(0, "annee", "Vous pouvez ajouter une ligne de l'année "+AnneeLabel(cur, "scolaire")+" ou "+
			AnneeLabel(cur+1, "scolaire")+" : les autres années sont saisies par les pilotes et l'IA-DASEN.")
		return &errs
	}
	return nil
}
