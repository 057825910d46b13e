package app

import (
	"github.com/ac-creteil/pilotage/models"
)

// pager is the pagination under a list.
type pager struct {
	Number, Pages int
	First, Prev   string
	Next, Last    string
	Links         []pageLink
	From, To      int
	Total         int
}

type pageLink struct {
	Number  int
	Href    string
	Current bool
}

// cursorReach is how far from the current page a link carries a cursor: the numbered
// links around it (a page further on skips whole pages from the cursor's row, which costs
// what it skips). The first page, and pages further away ("Dernière page"), are linked by
// their number alone: the list reads them from its start or its end.
const cursorReach = 2

func newPager[T any](u listURL, p models.Page[T]) pager {
	pg := pager{Number: p.Number, Pages: p.Pages(), Total: int(p.Total)}
	if p.Total > 0 {
		pg.From = (p.Number-1)*p.Size + 1
		pg.To = min(pg.From+len(p.Items)-1, int(p.Total))
	}
	link := func(n int) string {
		switch {
		case n == 1:
		case n > p.Number && n-p.Number <= cursorReach && p.Next != "":
			return u.page(n, afterParam, p.Next)
		case n < p.Number && p.Number-n <= cursorReach && p.Prev != "":
			return u.page(n, beforeParam, p.Prev)
		}
		return u.page(n, "", "")
	}
	if p.Number > 1 {
		pg.First, pg.Prev = link(1), link(min(p.Number-1, pg.Pages))
	}
	if p.Number < pg.Pages {
		pg.Next, pg.Last = link(p.Number+1), link(pg.Pages)
	}
	for n := max(1, p.Number-cursorReach); n <= min(pg.Pages, p.Number+cursorReach); n++ {
		pg.Links = append(pg.Links, pageLink{Number: n, Href: link(n), Current: n == p.Number})
	}
	return pg
}
