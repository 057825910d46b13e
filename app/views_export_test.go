package app

import (
	"sync"
	"testing"

	"github.com/ac-creteil/pilotage/views"
)

// parsedViews parses the templates once per test binary: a parsed template set is only read
// afterwards, and html/template executes it from any number of goroutines. Parsing them
// (and escaping each on its first use) for every test server cost minutes under the race
// detector.
var parsedViews = sync.OnceValues(views.New)

// SharedViews returns the templates parsed once for the whole test binary.
func SharedViews(t testing.TB) *views.Views {
	t.Helper()
	v, err := parsedViews()
	if err != nil {
		t.Fatal(err)
	}
	return v
}
