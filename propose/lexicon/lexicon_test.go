package lexicon

import (
	"slices"
	"testing"
)

// TestSynonyms checks that the embedded thesaurus unpacks and answers by
// stem: "sanction" (stem sanction) lists amende, and a stem it does not
// know gives nothing.
func TestSynonyms(t *testing.T) {
	if n := Size(); n < 10000 {
		t.Fatalf("the thesaurus knows %d stems, want over 10,000", n)
	}
	if s := Synonyms("sanction"); !slices.Contains(s, "amende") {
		t.Errorf("sanction: %v, want amende among them", s)
	}
	if s := Synonyms("zzzz"); s != nil {
		t.Errorf("an unknown stem: %v", s)
	}
}

// BenchmarkLoad measures unpacking the thesaurus, paid once per process
// by a frugal run.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		load()
	}
	b.ReportMetric(float64(len(thesFR)), "gz_bytes")
}
