package cli

import "strconv"

// count writes n followed by its noun, singular or plural as the user's
// language wants it: French puts 0 and 1 in the singular ("0 critère",
// "1 critère", "2 critères"), English only 1 ("0 criteria", "1 criterion").
// The nouns are given as French singular and plural, then English.
func (a *app) count(n int, frOne, frMany, enOne, enMany string) string {
	one := n == 1 || n == -1
	noun := enMany
	switch {
	case a.lang == "fr" && (one || n == 0):
		noun = frOne
	case a.lang == "fr":
		noun = frMany
	case one:
		noun = enOne
	}
	return strconv.Itoa(n) + " " + noun
}
