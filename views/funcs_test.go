package views

import "testing"

func TestNumber(t *testing.T) {
	cases := map[int]string{0: "0", 7: "7", 999: "999", 1000: "1\u202f000", 496814: "496\u202f814",
		4599353: "4\u202f599\u202f353", -12500: "-12\u202f500"}
	for n, want := range cases {
		if got := Number(n); got != want {
			t.Errorf("Number(%d) = %q, attendu %q", n, got, want)
		}
	}
}

func TestPlural(t *testing.T) {
	cases := []struct {
		n    int
		want string
	}{{0, "0 école"}, {1, "1 école"}, {2, "2 écoles"}, {2642, "2\u202f642 écoles"}}
	for _, c := range cases {
		if got := Plural(c.n, "école", "écoles"); got != c.want {
			t.Errorf("Plural(%d) = %q, attendu %q", c.n, got, c.want)
		}
	}
}

func TestTemplatesParse(t *testing.T) {
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"home", "communes/list", "communes/show", "ecoles/list", "ecoles/show",
		"epci/list", "epci/show", "departements/list", "departements/show", "errors/error", "sources"} {
		if !v.Has(page) {
			t.Errorf("gabarit %s absent", page)
		}
	}
}
