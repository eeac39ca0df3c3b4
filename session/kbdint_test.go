package session

import "testing"

func TestASCIIFold(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Le nom « camille » est déjà pris", `Le nom "camille" est deja pris`},
		{"le nom\u00a0«\u202fZoé\u202f»", `le nom "Zoe"`},
		{"Entrée, à l’œil, Zoé…", "Entree, a l'oeil, Zoe..."},
		{"code d'accès : 1\u202f234 — ok", "code d'acces : 1 234 - ok"},
		{"plain ASCII\n", "plain ASCII\n"},
		{"漢字", "??"},
	} {
		if got := asciiFold(c.in); got != c.want {
			t.Errorf("asciiFold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
