package propose

import (
	"context"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/review"
)

// TestExpand checks what a criterion is searched with: its own words at
// full weight, the people's keywords at full weight, and the thesaurus's
// synonyms at a lower weight, only when two of the criterion's words lead
// to them; each source can be left out.
func TestExpand(t *testing.T) {
	sanctions := review.Criterion{ID: "C5", Title: "Des sanctions graduées",
		Description: "Un manquement appelle d'abord un rappel bienveillant, puis des mesures proportionnées.",
		Keywords:    []string{"avertissement", "exclusion temporaire"}}
	type want struct {
		word, source, from string
		weight             float64
	}
	tests := []struct {
		name   string
		c      review.Criterion
		k      Knowledge
		has    []want
		hasNot []string // words that must not be searched
	}{
		{
			name: "own words at full weight, stems shared by their forms", c: sanctions, k: Knowledge{NoKeywords: true, NoThesaurus: true},
			has:    []want{{"sanctions", SourceCriterion, "", 1}, {"graduées", SourceCriterion, "", 1}, {"manquement", SourceCriterion, "", 1}},
			hasNot: []string{"avertissement", "infraction"},
		},
		{
			name: "keywords at full weight, phrase words each", c: sanctions, k: Knowledge{NoThesaurus: true},
			has: []want{{"avertissement", SourceKeyword, "avertissement", 1}, {"exclusion", SourceKeyword, "exclusion temporaire", 1},
				{"temporaire", SourceKeyword, "exclusion temporaire", 1}},
		},
		{
			name: "keywords left out", c: sanctions, k: Knowledge{NoKeywords: true, NoThesaurus: true},
			hasNot: []string{"avertissement", "exclusion"},
		},
		{
			// Two of the criterion's words lead to "contravention"
			// (sanction and manquement list it): searched, below the own
			// words; "délit" only through manquement: not searched.
			name: "thesaurus synonyms below the criterion's words", c: sanctions, k: Knowledge{NoKeywords: true},
			has:    []want{{"sanctions", SourceCriterion, "", 1}, {"contravention", SourceThesaurus, "sanctions", weightThesaurus}},
			hasNot: []string{"délit"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := expand(tc.c, tc.k)
			for _, w := range tc.has {
				var got *queryTerm
				for i := range e.terms {
					if e.terms[i].word == w.word || (e.terms[i].source == w.source && e.terms[i].term == stem(w.word)) {
						got = &e.terms[i]
						break
					}
				}
				if got == nil {
					t.Errorf("%q is not searched", w.word)
					continue
				}
				if got.source != w.source || got.weight != w.weight || got.from != w.from {
					t.Errorf("%q: %+v, want source %s, weight %v, from %q", w.word, *got, w.source, w.weight, w.from)
				}
			}
			for _, w := range tc.hasNot {
				if _, ok := e.by[stem(w)]; ok {
					t.Errorf("%q is searched", w)
				}
			}
			for _, q := range e.terms {
				switch q.source {
				case SourceThesaurus:
					if q.weight != weightThesaurus || q.from == "" {
						t.Errorf("synonym %+v: want weight %v and the word it stands for", q, weightThesaurus)
					}
				case SourceCriterion, SourceKeyword:
					if q.weight != 1 {
						t.Errorf("own word or keyword %+v below full weight", q)
					}
				}
			}
		})
	}
}

// TestExpandThesaurusNeedsTwoSeeds checks the rule that disambiguates the
// thesaurus: a synonym listed for only one of the criterion's words is not
// searched, one listed for two is, at the thesaurus's weight.
func TestExpandThesaurusNeedsTwoSeeds(t *testing.T) {
	one := expand(review.Criterion{Title: "Désaccord"}, Knowledge{})
	two := expand(review.Criterion{Title: "Désaccord et conflit"}, Knowledge{})
	if len(one.terms) != 1 {
		t.Errorf("one word, %d terms: %+v", len(one.terms), one.terms)
	}
	i, ok := two.by[stem("dispute")]
	if !ok {
		t.Fatalf("dispute (listed for désaccord and for conflit) is not searched: %+v", two.terms)
	}
	if q := two.terms[i]; q.source != SourceThesaurus || q.weight != weightThesaurus {
		t.Errorf("dispute: %+v", q)
	}
}

// TestQuoteChoice checks that the quote is the sentence holding the most
// weight of the criterion's terms, joined with a neighbour that brings
// others, exact in its passage.
func TestQuoteChoice(t *testing.T) {
	want := map[string]float64{stem("avertissement"): 2, stem("médiation"): 1.5, stem("exclusion"): 1, stem("jardin"): 0.2}
	tests := []struct {
		name, text, quote string
	}{
		{"not the first full sentence", "Le jardin ouvre à huit heures et ferme le soir avec la cabane. Un avertissement écrit précède toute médiation. Les graines sont gratuites pour tous les membres du quartier.",
			"Un avertissement écrit précède toute médiation."},
		{"two sentences when the second brings other terms", "Le jardin ouvre tôt le matin et ferme tard le soir pour tous. Un premier avertissement est envoyé par courriel aux personnes. Puis vient l'exclusion pour un mois entier du jardin. Les graines sont gratuites.",
			"Un premier avertissement est envoyé par courriel aux personnes. Puis vient l'exclusion pour un mois entier du jardin."},
		{"a short heading weighs less", "Avertissement\nNous parlons longuement des avertissements et de la médiation avec chacun.",
			"Nous parlons longuement des avertissements et de la médiation avec chacun."},
		{"a line of a list is a sentence", "- arrosage le soir\n- un avertissement puis une médiation avec le bureau\n- compost au fond",
			"un avertissement puis une médiation avec le bureau"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var toks []token
			analyze(tc.text, func(tk token) { toks = append(toks, tk) })
			sp := quoteSpan(tc.text, toks, want)
			got := tc.text[sp.start:sp.end]
			if got != tc.quote {
				t.Errorf("quote %q, want %q", got, tc.quote)
			}
			if !strings.Contains(tc.text, got) {
				t.Errorf("quote %q is not in its passage", got)
			}
		})
	}
}

// A small corpus written for "Décider ensemble des règles": three short
// notes that speak of it without any of its words, as a facilitator's did.
var (
	rulesNotes = []doc{
		{id: "ag", title: "AG du jardin", passages: []string{
			"Compte rendu de l'assemblée générale du 12 mars. Chaque adhérent a voté la charte d'arrosage après un tour de parole. La proposition de Karim a été amendée puis adoptée par consensus.",
		}},
		{id: "fablab", title: "Soirée du fablab", passages: []string{
			"Les usagers ont réécrit le fonctionnement des machines pendant trois soirées ouvertes. Un questionnaire a permis aux absents de donner leur avis sur chaque proposition avant le vote.",
		}},
		{id: "repair", title: "Repair café", passages: []string{
			"Les outils sont rangés dans la cabane. Le café est offert aux visiteurs, et la prochaine permanence aura lieu samedi.",
		}},
	}
	rulesCriteria = []review.Criterion{
		{ID: "C3", Title: "Décider ensemble des règles", Description: "Les personnes concernées par les règles participent à leur élaboration et peuvent les faire évoluer."},
		{ID: "C9", Title: "Ouvrir et transmettre les savoirs", Description: "Les savoir-faire et les outils sont partagés et transmis aux nouvelles personnes."},
	}
)

// TestKeywordsGiveProposals checks that a criterion that got no lexical
// proposal gets some once the facilitator gives keywords, that a rerun with
// them proposes only what is new, and that the run records them.
func TestKeywordsGiveProposals(t *testing.T) {
	tr := &trace{st: newState(t, rulesNotes, rulesCriteria)}
	var p pauses
	cfg := testConfig(&p)
	cfg.Frugal = true
	if _, err := Run(context.Background(), tr.st.Snapshot(), cfg, tr.sink, nil); err != nil {
		t.Fatal(err)
	}
	count := func() (n int) {
		for _, p := range tr.st.Proposals {
			if p.Criterion == "C3" {
				n++
			}
		}
		return n
	}
	if n := count(); n != 0 {
		t.Fatalf("without keywords, %d proposals for C3: the corpus no longer tests what it should", n)
	}
	before := len(tr.st.Proposals)
	cfg.Keywords = map[string][]string{"C3": {"assemblée générale", "vote", "avis", "proposition", "consensus"}}
	run, err := Run(context.Background(), tr.st.Snapshot(), cfg, tr.sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 2 {
		t.Errorf("with keywords, %d proposals for C3, want 2 (the general meeting and the fablab's evenings)", n)
	}
	if run.Skipped != before || run.Proposals != len(tr.st.Proposals)-before {
		t.Errorf("rerun: %d skipped (want %d), %d proposed (%d new in the state)", run.Skipped, before, run.Proposals, len(tr.st.Proposals)-before)
	}
	var rec *review.CriterionExpansion
	for i := range run.Expansions {
		if run.Expansions[i].Criterion == "C3" {
			rec = &run.Expansions[i]
		}
	}
	if rec == nil || !hasExpanded(rec.Terms, "consensus", SourceKeyword) {
		t.Errorf("the run does not record C3's keywords: %+v", run.Expansions)
	}
	for _, p := range tr.st.Proposals {
		if p.Criterion != "C3" {
			continue
		}
		pv := p.Origin.Provenance
		if pv.PromptVersion != FrugalVersion || len(pv.Expansions) == 0 {
			t.Errorf("%s: provenance %+v, want the keywords it matched", p.ID, pv)
		}
		if !strings.Contains(p.Statement, "des mots-clés du critère") && !strings.Contains(p.Statement, "un mot-clé du critère") {
			t.Errorf("%s: statement %q does not say it matched keywords", p.ID, p.Statement)
		}
	}
	// A third run with the same keywords proposes nothing.
	again, err := Run(context.Background(), tr.st.Snapshot(), cfg, tr.sink, nil)
	if err != nil || again.Proposals != 0 {
		t.Errorf("third run: %+v, %v", again, err)
	}
}

func hasExpanded(ts []review.ExpandedTerm, word, source string) bool {
	for _, t := range ts {
		if t.Word == word && t.Source == source {
			return true
		}
	}
	return false
}

// TestFrugalStatementSays checks the plain words of a lexical statement,
// in French and English: the criterion's words, the keywords and the
// synonyms with the word each stands for, and where.
func TestFrugalStatementSays(t *testing.T) {
	own := func(w string) foundTerm { return foundTerm{queryTerm: queryTerm{word: w, source: SourceCriterion}} }
	kw := func(w string) foundTerm { return foundTerm{queryTerm: queryTerm{word: w, source: SourceKeyword}} }
	syn := func(w, from string) foundTerm {
		return foundTerm{queryTerm: queryTerm{word: w, source: SourceThesaurus, from: from}}
	}
	p := &review.Passage{Section: "3. Les retards", Text: "…"}
	tests := []struct {
		lang  string
		found []foundTerm
		want  string
	}{
		{"fr", []foundTerm{own("sanctions")}, "Le passage (3. Les retards) parle de «\u00a0sanctions\u00a0», un mot du critère."},
		{"fr", []foundTerm{own("rappel"), kw("avertissement"), kw("médiation"), syn("amende", "sanctions"), syn("pénalité", "sanctions")},
			"Le passage (3. Les retards) parle de «\u00a0rappel\u00a0», un mot du critère\u00a0; de «\u00a0avertissement\u00a0» et «\u00a0médiation\u00a0», des mots-clés du critère\u00a0; de «\u00a0amende\u00a0» et «\u00a0pénalité\u00a0», proches de «\u00a0sanctions\u00a0»."},
		{"en", []foundTerm{own("rappel"), kw("avertissement"), syn("amende", "sanctions")},
			"The passage (3. Les retards) speaks of “rappel”, a word of the criterion; of “avertissement”, a keyword of the criterion; of “amende”, close to “sanctions”."},
		{"en", []foundTerm{own("vote"), own("avis"), own("règles")}, "The passage (3. Les retards) speaks of “vote”, “avis” and “règles”, words of the criterion."},
	}
	for _, tc := range tests {
		if got := frugalStatement(tc.lang, tc.found, p); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.lang, got, tc.want)
		}
	}
}

// TestSynonymsAloneAreNotEnough checks that a passage matching a criterion
// only through synonyms, however many, is not proposed: the rule that
// anchors a proposal in the criterion's own words or keywords.
func TestSynonymsAloneAreNotEnough(t *testing.T) {
	c := review.Criterion{ID: "C6", Title: "Désaccord et conflit"}
	e := expand(c, Knowledge{})
	var syns []string
	for _, q := range e.terms {
		if q.source == SourceThesaurus {
			syns = append(syns, q.word)
		}
	}
	if len(syns) < 8 {
		t.Fatalf("too few synonyms to test with: %v", syns)
	}
	passages := []review.Passage{
		{ID: "a", Document: "A", Text: strings.Join(syns[:8], " ")},
		{ID: "b", Document: "B", Text: "Un désaccord est né. " + strings.Join(syns[:4], " ")},
		{ID: "c", Document: "C", Text: "Le café est offert."},
	}
	ix := NewIndex(passages)
	picks := frugalSelect(ix, []*expansion{e}, 1, 10)[0]
	if len(picks) != 1 || picks[0].ID != "b" {
		t.Errorf("picks %+v, want only b (the only one with a word of the criterion)", picks)
	}
}
