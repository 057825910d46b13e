package main

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
)

// The daily run of `pilotage serve` that records as échue the conventions past their expiry
// (models.Store.ExpireConventions): once at start, then every day just after midnight,
// Paris time. Pages never wait for it: every read already treats such a convention as
// échue; the run writes the passage on the timeline and in the audit log.

// expiryRunAt is the time of day (Paris) of the daily run: just after the day changes.
const expiryRunAt = 5 * time.Minute

// expireConventions runs one pass and logs what it recorded; a failure is logged, not
// fatal (the next day's run, or the next start, tries again).
func expireConventions(ctx context.Context, store *models.Store, log *slog.Logger) {
	refs, err := store.ExpireConventions(ctx)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("conventions échues : enregistrement impossible", slog.String("erreur", err.Error()))
		}
		return
	}
	if len(refs) > 0 {
		log.Info("conventions échues enregistrées", slog.Int("nombre", len(refs)), slog.String("references", strings.Join(refs, ", ")))
	}
}

// startConventionExpiry runs a first pass now, then one every day until ctx ends.
func startConventionExpiry(ctx context.Context, store *models.Store, log *slog.Logger) {
	expireConventions(ctx, store, log)
	go func() {
		for {
			wait := time.Until(nextExpiryRun(time.Now()))
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
				expireConventions(ctx, store, log)
			}
		}
	}()
}

// nextExpiryRun is the first daily run strictly after now: the next 00:05 in Paris.
func nextExpiryRun(now time.Time) time.Time {
	local := now.In(fr.Paris())
	next := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, local.Location()).Add(expiryRunAt)
	if !next.After(local) {
		next = time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, local.Location()).Add(expiryRunAt)
	}
	return next
}
