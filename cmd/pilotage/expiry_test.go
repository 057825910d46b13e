package main

import (
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
)

// TestNextExpiryRun: the daily run of the conventions' expiry is the next 00:05 in Paris,
// winter and summer time, and never now itself.
func TestNextExpiryRun(t *testing.T) {
	paris := fr.Paris()
	for _, c := range []struct{ now, want time.Time }{
		{time.Date(2026, 12, 6, 12, 52, 0, 0, time.UTC), time.Date(2026, 12, 7, 0, 5, 0, 0, paris)},
		{time.Date(2026, 12, 6, 23, 2, 0, 0, time.UTC), time.Date(2026, 12, 7, 0, 5, 0, 0, paris)},  // 00:02 in Paris
		{time.Date(2026, 12, 6, 23, 5, 0, 0, time.UTC), time.Date(2026, 12, 8, 0, 5, 0, 0, paris)},  // 00:05 exactly
		{time.Date(2026, 7, 1, 21, 30, 0, 0, time.UTC), time.Date(2026, 7, 2, 0, 5, 0, 0, paris)},   // 23:30 in summer
		{time.Date(2026, 3, 28, 22, 30, 0, 0, time.UTC), time.Date(2026, 3, 29, 0, 5, 0, 0, paris)}, // the night of the change
		{time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC), time.Date(2026, 3, 30, 0, 5, 0, 0, paris)}, // 00:30 on the 29th: the next day, in summer time
	} {
		if got := nextExpiryRun(c.now); !got.Equal(c.want) {
			t.Errorf("après %v : %v, attendu %v", c.now, got, c.want)
		}
	}
}
