package cli

import "github.com/coopdescommuns/revue/review"

// count writes n followed by its noun, singular or plural as the user's
// language wants it (review.FormatCount: French puts 0 and 1 in the
// singular, English only 1). The nouns are given as French singular and
// plural, then English.
func (a *app) count(n int, frOne, frMany, enOne, enMany string) string {
	return review.FormatCount(a.lang, n, frOne, frMany, enOne, enMany)
}

// eventCount writes a number of events, as receipts and verify give it.
func (a *app) eventCount(n int64) string {
	return review.FormatCount(a.lang, n, "événement", "événements", "event", "events")
}
