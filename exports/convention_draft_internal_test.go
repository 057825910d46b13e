package exports

import (
	"testing"

	"github.com/ac-creteil/pilotage/models"
)

// TestDraftNamesCoverPlaceholders: every placeholder has a short name for its "à compléter"
// marker; a placeholder added to the models without one would fall back to its long label.
func TestDraftNamesCoverPlaceholders(t *testing.T) {
	for _, p := range models.ModelePlaceholders {
		if draftNames[p.Value] == "" {
			t.Errorf("{{%s}} sans nom pour « à compléter »", p.Value)
		}
	}
	if len(draftNames) != len(models.ModelePlaceholders) {
		t.Errorf("%d noms pour %d champs", len(draftNames), len(models.ModelePlaceholders))
	}
}
