package models

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Statuses of a convention, in the order of the workflow.
const (
	StatutBrouillon    = "brouillon"
	StatutNegociation  = "negociation"
	StatutDeliberation = "deliberation"
	StatutSignature    = "signature"
	StatutSignee       = "signee"
	StatutEnVigueur    = "en_vigueur"
	StatutEchue        = "echue"
	StatutResiliee     = "resiliee"
)

// ConventionStatuts lists the statuses with their French labels.
var ConventionStatuts = []Choice{
	{StatutBrouillon, "Brouillon"},
	{StatutNegociation, "En négociation"},
	{StatutDeliberation, "Délibération votée"},
	{StatutSignature, "À la signature"},
	{StatutSignee, "Signée"},
	{StatutEnVigueur, "En vigueur"},
	{StatutEchue, "Échue"},
	{StatutResiliee, "Résiliée"},
}

// conventionTransitions are the allowed moves: from a status, the statuses it may go to.
var conventionTransitions = map[string][]string{
	StatutBrouillon:    {StatutNegociation},
	StatutNegociation:  {StatutDeliberation},
	StatutDeliberation: {StatutSignature},
	StatutSignature:    {StatutSignee},
	StatutSignee:       {StatutEnVigueur, StatutResiliee},
	StatutEnVigueur:    {StatutEchue, StatutResiliee},
}

// transitionVerbs are the labels of the buttons that move a convention to a status.
var transitionVerbs = map[string]string{
	StatutNegociation:  "Ouvrir la négociation",
	StatutDeliberation: "Enregistrer la délibération votée",
	StatutSignature:    "Mettre à la signature",
	StatutSignee:       "Déclarer signée",
	StatutEnVigueur:    "Déclarer en vigueur",
	StatutEchue:        "Déclarer échue",
	StatutResiliee:     "Résilier",
}

// NextStatuts are the statuses a convention may move to from its own, with the buttons'
// labels as Label.
func (c Convention) NextStatuts() []Choice {
	var out []Choice
	for _, v := range conventionTransitions[c.Statut] {
		out = append(out, Choice{Value: v, Label: transitionVerbs[v]})
	}
	return out
}

// Live reports whether the convention is in force or on its way to be (not ended).
func (c Convention) Live() bool { return c.Statut != StatutEchue && c.Statut != StatutResiliee }

// ConventionTransition is one move of the workflow, shown on the timeline.
type ConventionTransition struct {
	ID           int64
	ConventionID int64
	De           string
	Vers         string
	DateEffet    *time.Time
	Motif        string
	UserID       *int64
	UserNom      string
	CreatedAt    time.Time
}

// TableName is the convention_transitions table.
func (ConventionTransition) TableName() string { return "convention_transitions" }

// DeLabel and VersLabel are the French labels of the statuses.
func (t ConventionTransition) DeLabel() string   { return LabelOf(ConventionStatuts, t.De) }
func (t ConventionTransition) VersLabel() string { return LabelOf(ConventionStatuts, t.Vers) }

// TransitionInput is what the transition form gives: the target status, the day it takes
// effect (délibération, signature, entry into force, end) and, to terminate, the reason.
type TransitionInput struct {
	Vers  string
	Date  string
	Motif string
}

// transitionDateLabel names the day a transition asks for.
var transitionDateLabel = map[string]string{
	StatutDeliberation: "La date de la délibération",
	StatutSignee:       "La date de signature",
	StatutEnVigueur:    "La date d'entrée en vigueur",
	StatutEchue:        "La date d'échéance",
	StatutResiliee:     "La date de résiliation",
}

// checkTransition applies the rules of the workflow to a move of c (with its parties) and
// returns the columns to write.
func (s *Store) checkTransition(c ConventionRow, in TransitionInput) (map[string]any, *time.Time, error) {
	var errs ValidationError
	vers := strings.TrimSpace(in.Vers)
	if !slices.Contains(ChoiceValues(ConventionStatuts), vers) {
		errs.Add(0, "vers", "Choisissez le statut suivant.")
		return nil, nil, &errs
	}
	if msg := transitionRefused(c, vers); msg != "" {
		errs.Add(0, "vers", msg)
		return nil, nil, &errs
	}
	day := s.transitionDay(c, vers, in.Date, &errs)
	set := s.transitionColumns(c, vers, day, in, &errs)
	if err := errs.OrNil(); err != nil {
		return nil, nil, err
	}
	return set, day, nil
}

// transitionRefused explains why c may not move to vers, empty when it may.
func transitionRefused(c ConventionRow, vers string) string {
	allowed := conventionTransitions[c.Statut]
	if c.ExpiryUnrecorded { // past its expiry: only the passage to "échue" may be recorded
		allowed = []string{StatutEchue}
	}
	if slices.Contains(allowed, vers) {
		return ""
	}
	msg := "Une convention « " + c.StatutLabel() + " » ne peut pas passer à « " + LabelOf(ConventionStatuts, vers) + " »"
	next := c.NextStatuts()
	if len(next) == 0 {
		return msg + " : son statut est définitif."
	}
	labels := make([]string, len(next))
	for i, n := range next {
		labels[i] = "« " + LabelOf(ConventionStatuts, n.Value) + " »"
	}
	return msg + " : elle peut seulement passer à " + strings.Join(labels, " ou ") + "."
}

// transitionDay reads the day of the move to vers; left empty, a signature takes the last
// party's, an entry into force the effective date and an expiry the end date.
func (s *Store) transitionDay(c ConventionRow, vers, date string, errs *ValidationError) *time.Time {
	label, ok := transitionDateLabel[vers]
	if !ok {
		return nil
	}
	raw := strings.TrimSpace(date)
	switch {
	case raw == "" && vers == StatutSignee:
		return lastSignature(c.Parties) // the last party's signature
	case raw == "" && vers == StatutEnVigueur && c.DateEffet != nil:
		return c.DateEffet
	case raw == "" && vers == StatutEchue && c.DateFin != nil:
		return c.DateFin
	}
	d, msg := dateProblem(label, raw, s.now(), vers == StatutDeliberation || vers == StatutSignee)
	if msg != "" {
		errs.Add(0, "date", msg)
		return nil
	}
	return &d
}

// transitionColumns checks what the move to vers requires (signed parties, an effective
// date reached, a motive) and returns the columns to write.
func (s *Store) transitionColumns(c ConventionRow, vers string, day *time.Time, in TransitionInput, errs *ValidationError) map[string]any {
	set := map[string]any{"statut": vers}
	switch vers {
	case StatutDeliberation:
		set["date_deliberation"] = day
	case StatutSignee:
		checkSignedParties(c.Parties, errs)
		set["date_signature"] = day
	case StatutEnVigueur:
		switch {
		case day == nil && errs.OrNil() == nil:
			errs.Add(0, "date", "La date d'entrée en vigueur est obligatoire pour déclarer la convention en vigueur.")
		case day != nil && day.After(s.todayDate()):
			errs.Add(0, "date", "La convention n'entre en vigueur que le "+frDate(day)+
				" : elle ne peut pas être déclarée en vigueur avant cette date (elle reste « Signée » jusque-là).")
		}
		set["date_effet"] = day
	case StatutResiliee:
		motif := strings.TrimSpace(in.Motif)
		if msg := textProblem("Le motif de la résiliation", motif, MaxMotif, true, true); msg != "" {
			errs.Add(0, "motif", msg)
		}
		set["date_resiliation"], set["motif_resiliation"] = day, motif
	}
	return set
}

// checkSignedParties requires at least two parties, each with its signature date.
func checkSignedParties(parties []ConventionParty, errs *ValidationError) {
	var unsigned []string
	for _, p := range parties {
		if !p.Signed() {
			unsigned = append(unsigned, p.OrganisationNom)
		}
	}
	switch {
	case len(parties) < 2:
		errs.Add(0, "vers", "Une convention signée a au moins deux parties : ajoutez les parties et leurs signataires.")
	case len(unsigned) > 0:
		errs.Add(0, "vers", "Pour déclarer la convention signée, renseignez la date de signature de chaque partie (manque : "+
			strings.Join(unsigned, ", ")+").")
	}
}

// lastSignature is the latest signature day of the parties, nil when none signed.
func lastSignature(parties []ConventionParty) *time.Time {
	var last *time.Time
	for _, p := range parties {
		if p.DateSignature != nil && (last == nil || p.DateSignature.After(*last)) {
			last = p.DateSignature
		}
	}
	return last
}

// TransitionConvention moves a convention to another status if the workflow allows it:
// a forbidden move, or a missing signature or date, is a *ValidationError with a French
// explanation. The move is guarded by the status read (not the version): of two users
// signing at once, one moves the convention and the other is told it has moved already.
// The timeline row and the audit event are written in the same transaction.
func (s *Store) TransitionConvention(ctx context.Context, actor Actor, id int64, in TransitionInput) (ConventionRow, error) {
	var row ConventionRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		c, err := s.conventionDetail(tx, actor.Scope, id)
		if err != nil {
			return err
		}
		if !CanWriteConvention(actor, c.Convention) {
			return ErrForbidden
		}
		set, day, err := s.checkTransition(c, in)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		set["statut_depuis"], set["updated_at"], set["version"] = now, now, gorm.Expr("version + 1")
		res := tx.Model(&Convention{}).Where("id = ? AND statut = ? AND archived_at IS NULL", id, c.recordedStatut()).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 { // moved by someone else since it was read
			current, err := s.conventionDetail(tx, actor.Scope, id)
			if err != nil {
				return err
			}
			var errs ValidationError
			errs.Add(0, "vers", "La convention vient de passer au statut « "+current.StatutLabel()+
				" » (changement fait par quelqu'un d'autre) : vérifiez son état avant de continuer.")
			return &errs
		}
		t := ConventionTransition{ConventionID: id, De: c.recordedStatut(), Vers: strings.TrimSpace(in.Vers), DateEffet: day,
			Motif: strings.TrimSpace(in.Motif), UserNom: actor.Name, CreatedAt: now}
		if actor.UserID != 0 {
			t.UserID = &actor.UserID
		}
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
		changes := []Change{{Field: "statut", Label: "Statut", Old: LabelOf(ConventionStatuts, t.De), New: LabelOf(ConventionStatuts, t.Vers)}}
		if day != nil {
			changes = append(changes, Change{Field: "date", Label: "Date", New: frDate(day)})
		}
		if t.Motif != "" {
			changes = append(changes, Change{Field: "motif", Label: "Motif", New: t.Motif})
		}
		if err := s.audit(tx, actor, "transition", "convention", strconv.FormatInt(id, 10), changes); err != nil {
			return err
		}
		if err := refreshConventionsEnVigueur(tx, id); err != nil {
			return err
		}
		row, err = s.conventionDetail(tx, actor.Scope, id)
		return err
	})
	return row, err
}

// conventionTimeline returns the transitions of a convention, oldest first.
func conventionTimeline(tx *gorm.DB, id int64) ([]ConventionTransition, error) {
	var out []ConventionTransition
	err := tx.Where("convention_id = ?", id).Order("created_at, id").Find(&out).Error
	return out, err
}

// isValidation reports whether err is a *ValidationError.
func isValidation(err error) bool {
	var v *ValidationError
	return errors.As(err, &v)
}
