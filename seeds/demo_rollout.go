package seeds

import (
	"context"

	"github.com/ac-creteil/pilotage/models"
)

// loadDemoRollout adds the demonstration's rollout: the plan (solutions, waves and the
// deployments of the écoles), the milestones and a baseline of the plan, and the campaign
// of pilot candidatures, then the calls for tender (seeds/demo_marches.go), in that order
// (each builds on the one before).
func loadDemoRollout(ctx context.Context, store *models.Store, actor models.Actor) error {
	for _, load := range []func(context.Context, *models.Store, models.Actor) error{loadDemoPlan, loadDemoJalons, loadDemoCandidatures, loadDemoMarches} {
		if err := load(ctx, store, actor); err != nil {
			return err
		}
	}
	return nil
}
