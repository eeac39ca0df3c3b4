package propose

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMatchQuote(t *testing.T) {
	tests := []struct {
		name, passage, quote string
		level                string
		want                 string // the passage's own text at the match
	}{
		{"exact", "Les règles sont votées en assemblée. Le jardin est ouvert.", "votées en assemblée", QuoteExact, "votées en assemblée"},
		{"exact with guillemets around", "Il a dit que tout le monde vote.", "« tout le monde vote »", QuoteExact, "tout le monde vote"},
		{"exact with ellipsis", "Chaque adhérent donne son avis avant le vote.", "donne son avis…", QuoteExact, "donne son avis"},
		{"case", "Les Règles Sont Votées.", "les règles sont votées", QuoteNormalized, "Les Règles Sont Votées"},
		{"typographic apostrophe in text", "C’est l’assemblée qui décide.", "C'est l'assemblée qui décide", QuoteNormalized, "C’est l’assemblée qui décide"},
		{"typographic apostrophe in quote", "C'est l'assemblée qui décide.", "c’est l’assemblée", QuoteNormalized, "C'est l'assemblée"},
		{"hyphen at a line break", "la gouver-\nnance partagée du lieu", "la gouvernance partagée", QuoteNormalized, "la gouver-\nnance partagée"},
		{"hyphen dropped by the extractor", "l'autogestion du jardin", "l'auto-gestion du jardin", QuoteNormalized, "l'autogestion du jardin"},
		{"line breaks and double spaces", "les personnes\nconcernées  participent", "les personnes concernées participent", QuoteNormalized, "les personnes\nconcernées  participent"},
		{"non-breaking spaces", "prix libre\u00a0: 5\u202f€", "prix libre : 5 €", QuoteNormalized, "prix libre\u00a0: 5\u202f€"},
		{"dashes", "le bureau – élu chaque année – rend compte", "le bureau - élu chaque année - rend compte", QuoteNormalized, "le bureau – élu chaque année – rend compte"},
		{"ligature", "la déﬁnition des règles", "la définition des règles", QuoteNormalized, "la déﬁnition des règles"},
		{"decomposed accent", "une décision collective", "une de\u0301cision collective", QuoteNormalized, "une décision collective"},
		{"fuzzy: a comma dropped", "Les bénévoles transmettent leurs savoirs, puis documentent les réparations en ligne.", "Les bénévoles transmettent leurs savoirs puis documentent les réparations en ligne", QuoteFuzzy, "Les bénévoles transmettent leurs savoirs, puis documentent les réparations en ligne"},
		{"fuzzy: a typo fixed", "La médaition rapide règle les conflits entre voisins.", "La médiation rapide règle les conflits entre voisins", QuoteFuzzy, "La médaition rapide règle les conflits entre voisins"},
		{"none: paraphrase", "Les bénévoles transmettent leurs savoirs aux nouveaux venus.", "Les anciens apprennent leur métier aux jeunes.", QuoteNone, ""},
		{"none: too short to fuzz", "le vote à main levée", "la vite", QuoteNone, ""},
		{"none: empty", "le vote", "  ", QuoteNone, ""},
		{"none: invented", "Le café est offert.", "La mairie reconnaît l'association et prête une salle.", QuoteNone, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := MatchQuote(tc.passage, tc.quote)
			if m.Level != tc.level {
				t.Fatalf("level %q, want %q (%+v)", m.Level, tc.level, m)
			}
			if tc.level == QuoteNone {
				if m.Start != -1 || m.End != -1 {
					t.Fatalf("no match must have offsets -1: %+v", m)
				}
				return
			}
			got := string([]rune(tc.passage)[m.Start:m.End])
			if got != tc.want {
				t.Fatalf("matched %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFuzzyThresholdIsHigh(t *testing.T) {
	passage := "Les personnes concernées par les règles participent à leur élaboration."
	quote := []rune("Les personnes concernées par les règles participent à leur élaboration")
	// Change one rune in five: far beyond one edit in ten.
	for i := 0; i < len(quote); i += 5 {
		quote[i] = 'x'
	}
	if m := MatchQuote(passage, string(quote)); m.Level != QuoteNone {
		t.Fatalf("a quote with 20%% of its letters changed matched: %+v", m)
	}
}

func FuzzMatchQuote(f *testing.F) {
	f.Add("La gouver-\nnance partagée.", "la gouvernance")
	f.Add("C’est l’assemblée qui décide.", "c'est l'assemblée")
	f.Add("Les bénévoles transmettent leurs savoirs.", "Les benevoles transmettent leurs savoirs")
	f.Add("ﬁ\u0301\u00ad-- ", "- ")
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, passage, quote string) {
		if len(passage) > 4000 || len(quote) > 600 {
			return
		}
		m := MatchQuote(passage, quote)
		n := utf8.RuneCountInString(passage)
		switch m.Level {
		case QuoteNone:
			if m.Start != -1 || m.End != -1 {
				t.Fatalf("none with offsets %d:%d", m.Start, m.End)
			}
		case QuoteExact:
			if got := string([]rune(passage)[m.Start:m.End]); utf8.ValidString(passage) && got != cleanQuote(quote) && got != quote {
				t.Fatalf("exact match %q is not the quote %q", got, quote)
			}
		case QuoteNormalized, QuoteFuzzy:
			if m.Start < 0 || m.End > n || m.Start >= m.End {
				t.Fatalf("offsets %d:%d out of 0:%d", m.Start, m.End, n)
			}
		default:
			t.Fatalf("unknown level %q", m.Level)
		}
		quote = strings.ToValidUTF8(quote, "\uFFFD")
		if m.Level == QuoteNormalized {
			a := normalizeMapped(string([]rune(passage)[m.Start:m.End]))
			b := normalizeMapped(cleanQuote(quote))
			if !strings.Contains(string(a.runes), string(b.runes)) {
				t.Fatalf("normalised match %q does not contain %q", string(a.runes), string(b.runes))
			}
		}
	})
}

func TestParseAnswer(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		want string // in the error
	}{
		{`{"quote":"a","statement":"b","relevant":true,"confidence":70}`, true, ""},
		{`{"quote":"","statement":"","relevant":false,"confidence":0}`, true, ""},
		{"```json\n{\"quote\":\"a\",\"statement\":\"b\",\"relevant\":true,\"confidence\":100}\n```", true, ""},
		{`{"quote":"a","statement":"b","relevant":true}`, false, "lacks confidence"},
		{`{"relevant":true}`, false, "lacks quote, statement, confidence"},
		{`{"quote":"a","statement":"b","relevant":true,"confidence":null}`, false, "lacks confidence"},
		// Out of range: Ollama's grammar bounds integers, but a model
		// served without the schema, or an older Revue's, may not.
		{`{"quote":"a","statement":"b","relevant":true,"confidence":150}`, false, "not between 0 and 100"},
		{`{"quote":"a","statement":"b","relevant":true,"confidence":-1}`, false, "not between 0 and 100"},
		// Overflow: what a stand-in of qwen3 answered on the real server.
		{`{"quote":"a","statement":"b","relevant":true,"confidence":-3883883883883883e3883883883883883}`, false, "confidence -3883883883883883e3883883883883883 overflows"},
		{`{"quote":"a","statement":"b","relevant":true,"confidence":1e309}`, false, "overflows"},
		{`{"quote":"a","statement":"b","relevant":true,"confidence":` + strings.Repeat("9", 400) + `}`, false, "overflows"},
		// Strings where numbers or booleans belong, numbers where strings do.
		{`{"quote":"a","statement":"b","relevant":true,"confidence":"80"}`, false, `confidence is "80" where a number`},
		{`{"quote":"a","statement":"b","relevant":true,"confidence":"élevée"}`, false, `where a number`},
		{`{"quote":"a","statement":"b","relevant":true,"confidence":[1]}`, false, `where a number`},
		{`{"quote":"a","statement":"b","relevant":"yes","confidence":50}`, false, `relevant is "yes" where true or false belongs`},
		{`{"quote":12,"statement":"b","relevant":true,"confidence":50}`, false, "quote is 12 where a string belongs"},
		{`{"quote":"a","statement":"","relevant":true,"confidence":50}`, false, "without a statement"},
		{`{"quote":"","statement":"b","relevant":true,"confidence":50}`, false, "without a quote"},
		// Cut answers, as num_predict leaves them.
		{`{"quote": "xxxxxxxxxx", "relevant": tru`, false, "not a JSON object"},
		{`{"quote":"Les règles d'arrosage ont été vot`, false, "not a JSON object"},
		{`{"quote":"a","statement":"b","relevant":true,"confidence":50} and more`, false, "text after"},
		{``, false, "not a JSON object"},
		{`null`, false, "not a JSON object"},
		{`{"quote":"` + strings.Repeat("é", maxQuoteRunes+1) + `","statement":"b","relevant":true,"confidence":50}`, false, "longer than"},
	}
	for _, tc := range tests {
		_, err := ParseAnswer(tc.in)
		if (err == nil) != tc.ok || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("ParseAnswer(%.60q) = %v, want ok=%v %q", tc.in, err, tc.ok, tc.want)
		}
		// Every refusal keeps the raw answer for propose.failed.
		if ae, ok := err.(*AnswerError); err != nil && (!ok || ae.Raw != tc.in) {
			t.Errorf("ParseAnswer(%.60q): error %T does not keep the raw answer", tc.in, err)
		}
	}
}

func FuzzParseAnswer(f *testing.F) {
	f.Add(`{"quote":"a","statement":"b","relevant":true,"confidence":70}`)
	f.Add(`{"quote":"a","statement":"b","relevant":true,"confidence":-3883883883883883e3883883883883883}`)
	f.Add(`{"quote":"","statement":"","relevant":false,"confidence":0}`)
	f.Add("```json\n{}\n```")
	f.Add(`{"confidence":1e309}`)
	f.Add(`{"quote":"a","statement":"b","relevant":true,"confidence":0.5`)
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAnswer(s)
		if err != nil {
			return
		}
		if a.Confidence < 0 || a.Confidence > 1 {
			t.Fatalf("accepted confidence %v", a.Confidence)
		}
		if a.Relevant && (a.Quote == "" || a.Statement == "") {
			t.Fatalf("accepted a relevant answer without evidence: %+v", a)
		}
		if utf8.RuneCountInString(a.Quote) > maxQuoteRunes || utf8.RuneCountInString(a.Statement) > maxStatementRunes {
			t.Fatal("accepted an over-long answer")
		}
	})
}
