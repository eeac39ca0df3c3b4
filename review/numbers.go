package review

import "time"

// FormatFloat, FormatInt, FormatPct, FormatDuration and FormatCoef write
// numbers as `revue report` does (French: 1 234,5 and 42 %; English:
// 1,234.5 and 42%), so that the dossier and the report's page say the
// same figures the same way as the terminal report.
func FormatFloat(lang string, x float64, decimals int) string { return fmtFloat(lang, x, decimals) }

// FormatInt writes a whole number with the language's thousands separator.
func FormatInt(lang string, n int64) string { return fmtInt(lang, n) }

// FormatPct writes n/d as a whole percentage, or a dash when d is zero.
func FormatPct(lang string, n, d int) string { return fmtPct(lang, n, d) }

// FormatDuration writes a duration rounded to the second, in s, min or h.
func FormatDuration(d time.Duration) string { return fmtDur(d) }

// FormatCoef writes an agreement coefficient with its interval and n.
func FormatCoef(lang string, c Coefficient) string { return fmtCoef(lang, c) }

// FormatCount writes n with FormatInt and then its noun, singular or plural
// as the language wants it: French puts 0 and 1 in the singular ("0
// critère", "1 critère", "2 critères"), English only 1 ("0 criteria", "1
// criterion"). The nouns are given as French singular and plural, then
// English; a noun may be a phrase that agrees as a whole ("1 décision en
// vigueur"). Every count a person reads goes through it, so that no
// output says "1 propositions".
func FormatCount[N int | int64](lang string, n N, frOne, frMany, enOne, enMany string) string {
	one := n == 1 || n == -1
	noun := enMany
	switch {
	case lang != "en" && (one || n == 0):
		noun = frOne
	case lang != "en":
		noun = frMany
	case one:
		noun = enOne
	}
	return fmtInt(lang, int64(n)) + " " + noun
}
