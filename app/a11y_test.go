package app_test

import (
	"strconv"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// checkPageRules checks the W3C and RGAA basics every page must pass: language, landmarks,
// one h1 and no skipped heading level, unique ids, a label for every field, captions and
// header cells on every table.
func checkPageRules(t *testing.T, url string, d *goquery.Document) {
	t.Helper()
	if lang, _ := d.Find("html").Attr("lang"); lang != "fr" {
		t.Errorf("%s : lang=%q", url, lang)
	}
	for _, landmark := range []string{"header[role=banner]", "main#contenu", "footer[role=contentinfo]", "nav#menu-principal"} {
		if d.Find(landmark).Length() != 1 {
			t.Errorf("%s : repère %s absent ou multiple", url, landmark)
		}
	}
	if n := d.Find("h1").Length(); n != 1 {
		t.Errorf("%s : %d titres h1", url, n)
	}
	level := 0
	d.Find("main h1, main h2, main h3, main h4, main h5, main h6").Each(func(_ int, h *goquery.Selection) {
		l, _ := strconv.Atoi(goquery.NodeName(h)[1:])
		if l > level+1 {
			t.Errorf("%s : titre %s après h%d (niveau sauté)", url, goquery.NodeName(h), level)
		}
		level = l
	})
	ids := map[string]bool{}
	d.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		if ids[id] {
			t.Errorf("%s : id %q en double", url, id)
		}
		ids[id] = true
	})
	d.Find("input:not([type=hidden]), select, textarea").Each(func(_ int, f *goquery.Selection) {
		id, _ := f.Attr("id")
		if id == "" || d.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("%s : champ %q sans étiquette", url, id)
		}
	})
	d.Find("table").Each(func(_ int, tbl *goquery.Selection) {
		if tbl.Find("caption").Length() != 1 {
			t.Errorf("%s : tableau sans légende (caption)", url)
		}
		if tbl.Find("thead th[scope=col]").Length() == 0 {
			t.Errorf("%s : tableau sans en-têtes de colonnes", url)
		}
	})
}
