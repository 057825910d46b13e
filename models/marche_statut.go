package models

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"
)

// StatutMarcheInput is the transition form: the new status and its date (JJ/MM/AAAA,
// today when empty).
type StatutMarcheInput struct {
	Statut string
	Date   string
}

// ChangeMarcheStatut moves the market to a new status along the allowed transitions
// (en préparation → publié → en analyse → attribué | infructueux | sans suite), dated and
// attributed to the actor, in one audited transaction. Publishing sets the publication
// date when the market had none; "attribué" asks for at least one awarded lot.
func (s *Store) ChangeMarcheStatut(ctx context.Context, actor Actor, id int64, version int, in StatutMarcheInput) (MarcheRow, error) {
	return marcheEdit(actor).apply(ctx, s, actor, id, version, func(tx *gorm.DB, before MarcheRow) (map[string]any, error) {
		var errs ValidationError
		date := s.todayDate()
		if d := optionalDay(&errs, "date", "La date du changement de statut", in.Date); d != nil {
			date = *d
		}
		if !slices.Contains(marcheTransitions[before.Statut], in.Statut) {
			errs.Add(0, "statut", "Un marché « "+before.StatutLabel()+" » ne peut pas passer à « "+
				LabelOf(MarcheStatuts, in.Statut)+" ».")
		}
		if in.Statut == "attribue" && !anyAwarded(before.Lots) {
			errs.Add(0, "statut", "Attribuez au moins un lot avant de déclarer le marché attribué.")
		}
		if err := errs.OrNil(); err != nil {
			return nil, err
		}
		set := map[string]any{"statut": in.Statut, "statut_date": date}
		if in.Statut == "publie" && before.DatePublication == nil {
			set["date_publication"] = date
		}
		return set, s.recordTransition(tx, actor, id, before.Statut, in.Statut, date)
	}, nil)
}

// recordTransition writes one line of the market's history of status.
func (s *Store) recordTransition(tx *gorm.DB, actor Actor, id int64, from, to string, date time.Time) error {
	return tx.Create(&MarcheTransition{MarcheID: id, De: from, Vers: to, DateEffet: date, Par: actor.Name,
		CreatedAt: s.now().UTC()}).Error
}

func anyAwarded(lots []LotRow) bool {
	return slices.ContainsFunc(lots, func(l LotRow) bool { return l.Attribue() })
}

// AnyAwarded reports whether a lot of the market is awarded.
func AnyAwarded(m MarcheRow) bool { return anyAwarded(m.Lots) }

// DeLabel is the French label of the status left.
func (t MarcheTransition) DeLabel() string { return LabelOf(MarcheStatuts, t.De) }

// VersLabel is the French label of the status reached.
func (t MarcheTransition) VersLabel() string { return LabelOf(MarcheStatuts, t.Vers) }
