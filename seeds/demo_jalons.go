package seeds

import (
	"context"

	"github.com/ac-creteil/pilotage/models"
)

// loadDemoJalons adds the demonstration's jalons, once.
func loadDemoJalons(ctx context.Context, store *models.Store, actor models.Actor) error {
	return nil
}
