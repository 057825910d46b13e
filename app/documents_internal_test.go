package app

import "testing"

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0\u00a0octets", 512: "512\u00a0octets", 1024: "1\u00a0Ko", 2458: "2,4\u00a0Ko", 358400: "350\u00a0Ko",
		1258291: "1,2\u00a0Mo", 10 << 20: "10\u00a0Mo",
	} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, attendu %q", n, got, want)
		}
	}
}

func TestContentDisposition(t *testing.T) {
	for name, want := range map[string]string{
		"rapport.pdf":          `attachment; filename="rapport.pdf"; filename*=UTF-8''rapport.pdf`,
		"Délibération n°3.pdf": `attachment; filename="Deliberation n_3.pdf"; filename*=UTF-8''D%C3%A9lib%C3%A9ration%20n%C2%B03.pdf`,
		`a"b\c%d;e.pdf`:        `attachment; filename="a_b_c_d;e.pdf"; filename*=UTF-8''a%22b%5Cc%25d%3Be.pdf`,
		"日本.pdf":               `attachment; filename="__.pdf"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.pdf`,
	} {
		if got := contentDisposition(name); got != want {
			t.Errorf("contentDisposition(%q) =\n %s\nattendu\n %s", name, got, want)
		}
	}
}
