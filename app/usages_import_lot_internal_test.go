package app

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ac-creteil/pilotage/seeds"
)

// TestUsageLot carries a file through the hidden field unchanged, and refuses a lot that is
// not one or that would inflate beyond the largest file (a gzip bomb).
func TestUsageLot(t *testing.T) {
	file := []byte("\uFEFF\"Établissement\";\"UAI\"\n\"D&#39;ESTIENNE\";\"0930388S\"\n")
	lot, err := encodeUsageLot(file)
	if err != nil {
		t.Fatal(err)
	}
	if back, err := decodeUsageLot(lot); err != nil || !bytes.Equal(back, file) {
		t.Fatalf("aller-retour : %q %v", back, err)
	}
	bomb, err := encodeUsageLot(make([]byte, seeds.MaxUsagesFileSize+1))
	if err != nil {
		t.Fatal(err)
	}
	for name, l := range map[string]string{"bombe": bomb, "vide": "", "pas base64": "%%%", "pas gzip": "YWJj"} {
		if _, err := decodeUsageLot(l); !errors.Is(err, errUsageLot) {
			t.Fatalf("%s : %v", name, err)
		}
	}
}
