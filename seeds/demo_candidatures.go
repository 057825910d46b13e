package seeds

import (
	"context"

	"github.com/ac-creteil/pilotage/models"
)

// loadDemoCandidatures adds the demonstration's candidatures, once.
func loadDemoCandidatures(ctx context.Context, store *models.Store, actor models.Actor) error {
	return nil
}
