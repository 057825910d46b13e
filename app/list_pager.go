package app

import (
	"strconv"

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

func newPager[T any](u listURL, p models.Page[T]) pager {
	pg := pager{Number: p.Number, Pages: p.Pages(), Total: int(p.Total)}
	if p.Total > 0 {
		pg.From = (p.Number-1)*p.Size + 1
		pg.To = min(pg.From+len(p.Items)-1, int(p.Total))
	}
	link := func(n int) string { return u.with("page", strconv.Itoa(n)) }
	if p.Number > 1 {
		pg.First, pg.Prev = link(1), link(min(p.Number-1, pg.Pages))
	}
	if p.Number < pg.Pages {
		pg.Next, pg.Last = link(p.Number+1), link(pg.Pages)
	}
	for n := max(1, p.Number-2); n <= min(pg.Pages, p.Number+2); n++ {
		pg.Links = append(pg.Links, pageLink{Number: n, Href: link(n), Current: n == p.Number})
	}
	return pg
}
