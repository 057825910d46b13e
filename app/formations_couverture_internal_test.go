package app

import (
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// TestCoverageGroupsPage: 250 groups make three pages of 100, 100 and 50; a page past the
// end shows the last, a page before the first the first.
func TestCoverageGroupsPage(t *testing.T) {
	rows := make([]models.FormationCoverageRow, 250)
	for i := range rows {
		rows[i].Code = strconv.Itoa(i)
	}
	for _, c := range []struct {
		query      string
		number, n  int
		first, pgs int
	}{{"", 1, 100, 0, 3}, {"page=2", 2, 100, 100, 3}, {"page=3", 3, 50, 200, 3}, {"page=9", 3, 50, 200, 3}, {"page=-1", 1, 100, 0, 3}} {
		ctx := echo.New().NewContext(httptest.NewRequest("GET", "/formations/couverture?"+c.query, nil), httptest.NewRecorder())
		p := groupsPage(ctx, rows)
		if p.Number != c.number || len(p.Items) != c.n || p.Items[0].Code != strconv.Itoa(c.first) || p.Pages() != c.pgs || p.Total != 250 {
			t.Errorf("%q : page %d, %d lignes dès %s, %d pages", c.query, p.Number, len(p.Items), p.Items[0].Code, p.Pages())
		}
	}
}
