package seeds

import (
	"context"

	"github.com/ac-creteil/pilotage/models"
)

// loadDemoPlan adds the demonstration's plan, once.
func loadDemoPlan(ctx context.Context, store *models.Store, actor models.Actor) error {
	return nil
}
