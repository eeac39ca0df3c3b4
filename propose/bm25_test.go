package propose

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/review"
)

func TestTermsFrench(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"elision l'", "l'assemblée", []string{"assembl"}},
		{"elision d' typographic", "d’autogestion", []string{"autogest"}},
		{"elision qu'", "qu'elles décident", []string{"decident"}},
		{"elision jusqu'", "jusqu'aujourd'hui", []string{"aujourdhui"}},
		{"stop words", "le la les de des et à pour dans avec une", nil},
		{"stemming plural", "règle règles", []string{"regl", "regl"}},
		{"stemming verb forms", "décider décidé décision", []string{"decid", "decid", "decis"}},
		{"stemming nouns", "participation participations participer", []string{"particip", "particip", "particip"}},
		{"accents folded", "regles règles", []string{"regl", "regl"}},
		{"hyphen splits", "auto-organisation", []string{"auto", "organis"}},
		{"ligature", "déﬁnition", []string{"definit"}},
		{"case", "GOUVERNANCE Gouvernance", []string{"gouvern", "gouvern"}},
		{"numbers kept", "en 2024", []string{"2024"}},
		{"one letter dropped", "a b c", nil},
	}
	for _, tc := range tests {
		if got := Terms(tc.text); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Terms(%q) = %q, want %q", tc.name, tc.text, got, tc.want)
		}
	}
}

func TestSearchFrench(t *testing.T) {
	passages := []review.Passage{
		{ID: "p0", Text: "Le café est offert et les gâteaux sont faits maison."},
		{ID: "p1", Text: "L'assemblée a voté les règles d'arrosage après un débat."},
		{ID: "p2", Text: "Les regles de la cabane sont affichees a l'entree."}, // no accents, a pad
		{ID: "p3", Text: "Décider ensemble : chacun participe à l’élaboration des règles."},
		{ID: "p4", Text: "de la et le les des pour dans avec"},
	}
	ix := NewIndex(passages)
	hits := ix.Search("Décider ensemble des règles", 10)
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	if len(ids) != 3 || ids[0] != "p3" {
		t.Fatalf("hits %v, want p3 first then the two other passages about rules", ids)
	}
	if !strings.Contains(strings.Join(ids, " "), "p2") {
		t.Fatal("a pad typed without accents was not found")
	}
	for i, h := range hits {
		if h.Rank != i+1 || (i > 0 && h.Score > hits[i-1].Score) {
			t.Fatalf("ranks or order wrong: %+v", hits)
		}
	}
	if !reflect.DeepEqual(hits[0].Terms, []string{"decid", "ensembl", "regl"}) && !reflect.DeepEqual(hits[0].Terms, []string{"ensembl", "decid", "regl"}) {
		t.Fatalf("matched terms %v", hits[0].Terms)
	}
	if got := ix.Search("le la les", 5); got != nil {
		t.Fatalf("a query of stop words found %v", got)
	}
	if got := ix.Search("règles", 1); len(got) != 1 {
		t.Fatalf("k not respected: %d hits", len(got))
	}
}

func TestSearchDeterministicTies(t *testing.T) {
	var ps []review.Passage
	for i := range 20 {
		ps = append(ps, review.Passage{ID: fmt.Sprint(i), Text: "même texte sur la médiation"})
	}
	ix := NewIndex(ps)
	a, b := ix.Search("médiation", 5), ix.Search("médiation", 5)
	if !reflect.DeepEqual(a, b) || a[0].ID != "0" || a[4].ID != "4" {
		t.Fatalf("ties not broken by position: %v", a)
	}
}

func TestFrugal(t *testing.T) {
	// The session's language decides, not the locale of whoever runs
	// propose: run("fr") is a French session proposed from an English
	// locale, and the reverse.
	run := func(lang string) (*trace, review.ProposeRun) {
		tr := &trace{st: newStateLang(t, testDocs, testCriteria, lang)}
		var p pauses
		cfg := testConfig(&p, "http://127.0.0.1:1") // never contacted
		cfg.Frugal, cfg.Lang = true, map[string]string{"fr": "en", "en": "fr"}[lang]
		r, err := Run(context.Background(), tr.st.Snapshot(), cfg, tr.sink, nil)
		if err != nil {
			t.Fatal(err)
		}
		return tr, r
	}
	a, ra := run("fr")
	b, _ := run("fr")
	if len(a.st.Proposals) == 0 {
		t.Fatal("no lexical proposal")
	}
	if ra.Mode != review.OriginLexical || ra.Calls != 0 || ra.Model != "" || ra.Proposals != len(a.st.Proposals) {
		t.Fatalf("run %+v", ra)
	}
	for i, p := range a.st.Proposals {
		if !reflect.DeepEqual(p.Proposal, b.st.Proposals[i].Proposal) {
			t.Fatalf("frugal is not deterministic:\n%+v\n%+v", p.Proposal, b.st.Proposals[i].Proposal)
		}
		pa, _ := a.st.Passage(p.Passage)
		if string([]rune(pa.Text)[p.QuoteStart:p.QuoteEnd]) != p.Quote || p.Quote == "" {
			t.Fatalf("quote %q not at %d:%d of %q", p.Quote, p.QuoteStart, p.QuoteEnd, pa.Text)
		}
		if !strings.HasPrefix(p.Statement, "Le passage (§") {
			t.Fatalf("statement %q", p.Statement)
		}
		pv := p.Origin.Provenance
		if p.Origin.Kind != review.OriginLexical || pv.QuoteMatch != QuoteExact || len(pv.MatchedTerms) < frugalMinTerms || pv.Retrieval.LexicalRank == 0 {
			t.Fatalf("origin %+v %+v", p.Origin, pv)
		}
		for _, w := range pv.MatchedTerms {
			if !strings.Contains(strings.ToLower(pa.Text), w) {
				t.Fatalf("matched term %q is not a word of the passage", w)
			}
		}
	}
	// The C3 passage about the vote is proposed, with its sentence about
	// giving one's opinion before the vote (avis, vote: two criterion terms).
	p, ok := proposalFor(a.st, "C3", "jardin-0")
	if !ok || !strings.Contains(p.Quote, "Chaque adhérent a pu donner son avis avant le vote.") {
		t.Fatalf("C3 proposal %+v", p)
	}
	// A rerun proposes nothing new.
	var pz pauses
	cfg := testConfig(&pz)
	cfg.Frugal = true
	r2, err := Run(context.Background(), a.st.Snapshot(), cfg, a.sink, nil)
	if err != nil || r2.Proposals != 0 || r2.Skipped != ra.Proposals {
		t.Fatalf("rerun: %+v %v", r2, err)
	}
	en, _ := run("en")
	if !strings.HasPrefix(en.st.Proposals[0].Statement, "The passage (§") {
		t.Fatalf("English statement %q", en.st.Proposals[0].Statement)
	}
	// No two lexical statements read the same.
	seen := map[string]string{}
	for _, p := range a.st.Proposals {
		if other, dup := seen[p.Statement]; dup {
			t.Errorf("%s and %s both read %q", other, p.ID, p.Statement)
		}
		seen[p.Statement] = p.ID
	}
}

func TestSessionLanguage(t *testing.T) {
	for _, tc := range []struct{ session, fallback, want string }{
		{"", "en", "fr"}, {"fr", "en", "fr"}, {"en", "fr", "en"},
	} {
		st := newStateLang(t, testDocs, testCriteria, tc.session)
		if got := SessionLanguage(st, tc.fallback); got != tc.want {
			t.Errorf("session %q, fallback %q: %q, want %q", tc.session, tc.fallback, got, tc.want)
		}
	}
	if got := SessionLanguage(review.NewState(), "en"); got != "en" {
		t.Errorf("a state without session.created: %q, want the fallback", got)
	}
}

func TestFrugalStatementWithoutSection(t *testing.T) {
	p := &review.Passage{Text: "Un conflit entre voisins a été réglé par une médiation rapide."}
	found := []foundTerm{{queryTerm: queryTerm{word: "conflit", source: SourceCriterion}}, {queryTerm: queryTerm{word: "médiation", source: SourceCriterion}}}
	got := frugalStatement("fr", found, p)
	if got != "Le passage («\u00a0Un conflit entre voisins a été…\u00a0») parle de «\u00a0conflit\u00a0» et «\u00a0médiation\u00a0», des mots du critère." {
		t.Fatalf("statement %q", got)
	}
	// In English, English quotation marks around the first words too.
	if got := frugalStatement("en", found, p); got != "The passage (“Un conflit entre voisins a été…”) speaks of “conflit” and “médiation”, words of the criterion." {
		t.Fatalf("English statement %q", got)
	}
}

func TestFrugalConfidenceMonotone(t *testing.T) {
	prev := -1.0
	for s := 0.0; s < 200; s += 0.25 {
		c := frugalConfidence(s)
		if c < prev || c < 0 || c > 1 {
			t.Fatalf("confidence(%v) = %v after %v", s, c, prev)
		}
		prev = c
	}
}

func TestBestQuoteWindow(t *testing.T) {
	ix := NewIndex([]review.Passage{{ID: "x", Text: "médiation conflits"}, {ID: "y", Text: "autre chose"}})
	long := strings.Repeat("bla ", 120) + "la médiation règle les conflits vite " + strings.Repeat("bla ", 120)
	sp, words := ix.bestQuote(long, []string{"mediat", "conflit"})
	q := long[sp.start:sp.end]
	if len([]rune(q)) > frugalQuoteRunes || !strings.Contains(q, "médiation règle les conflits") {
		t.Fatalf("window %q", q)
	}
	if !reflect.DeepEqual(words, []string{"médiation", "conflits"}) {
		t.Fatalf("words %v", words)
	}
}
