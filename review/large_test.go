package review

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// largeWords is a French-like vocabulary for generated pads.
var largeWords = strings.Fields(`la le les un une des du de et à au aux en pour par avec sans sur dans
coopérative association commun communs jardin partagé forêt quartier habitants membres groupe réunion
assemblée conseil décision vote consensus règle règles charte budget ressource eau énergie terre outils
atelier local cuisine café bibliothèque école participer décider partager gérer entretenir proposer
chacun ensemble souvent parfois toujours projet idée question conflit médiation confiance transparence
bénévoles financement cotisation dons comptes rapport collectif solidarité entraide gouvernance sanctions`)

// LargeSession generates the events of a session the size of La Myne's
// corpus: pads documents of about size bytes each, one or two passages,
// three criteria, one proposal per passages/props passages with votes by
// five people, a decision on most, and comments. The seed is fixed: the
// same arguments give the same trace. It stands in for `revue init` +
// `revue propose` + a workshop in the export's byte and memory tests.
func LargeSession(name string, pads, size, every int) []Event {
	r := rand.New(rand.NewPCG(7, 11))
	t := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	var events []Event
	add := func(id string, a Actor, k Kind, data any) {
		t = t.Add(time.Second)
		e := MustEvent(name, id, t, a, k, data)
		e.Seq = int64(len(events) + 1)
		events = append(events, e)
	}
	sentence := func() string {
		ws := make([]string, 6+r.IntN(18))
		for i := range ws {
			ws[i] = largeWords[r.IntN(len(largeWords))]
		}
		return strings.Join(ws, " ") + "."
	}
	system := Actor{Name: "revue", Role: System}
	add("session", system, KindSessionCreated, SessionCreated{Name: name})
	var passages []Passage
	for i := range pads {
		id := fmt.Sprintf("%064x", i+1)
		var text strings.Builder
		for text.Len() < size {
			text.WriteString(sentence() + " ")
		}
		runes := []rune(strings.TrimSpace(text.String()))
		cut := len(runes)
		if r.IntN(2) == 0 {
			cut = len(runes) / 2
		}
		d := Document{ID: id, Title: fmt.Sprintf("Pad %d", i), Source: fmt.Sprintf("/home/anna/pads/%d/pad-%05d.md", i%100, i), SHA256: id, Format: "markdown", Chars: len(runes)}
		d.Passages = append(d.Passages, Passage{ID: fmt.Sprintf("%s-p1", id[52:]), Document: id, Index: 1, Text: string(runes[:cut]), Start: 0, End: cut, Section: "Pad"})
		if cut < len(runes) {
			d.Passages = append(d.Passages, Passage{ID: fmt.Sprintf("%s-p2", id[52:]), Document: id, Index: 2, Text: string(runes[cut:]), Start: cut, End: len(runes)})
		}
		passages = append(passages, d.Passages...)
		add("doc-"+id, system, KindDocumentAdded, d)
	}
	for c := 1; c <= 3; c++ {
		add(fmt.Sprintf("criterion-C%d", c), system, KindCriterionAdded, Criterion{ID: fmt.Sprintf("C%d", c), Title: sentence(), Description: sentence()})
	}
	people := []Actor{
		{Name: "anna", Fingerprint: "SHA256:anna", Role: Facilitator},
		{Name: "bruno", Fingerprint: "SHA256:bruno", Role: Participant},
		{Name: "chloé", Role: Participant},
		{Name: "dede", Role: Participant},
		{Name: "émile", Role: Participant},
	}
	verdicts := []Verdict{Accept, Accept, Reject, Rephrase, Skip}
	for i := 0; i < len(passages); i += every {
		pa := passages[i]
		pid := fmt.Sprintf("lex-%d", i)
		words := strings.Fields(pa.Text)
		quote := strings.Join(words[:min(4, len(words))], " ")
		add(pid, system, KindProposalAdded, Proposal{ID: pid, Document: pa.Document, Passage: pa.ID, Criterion: fmt.Sprintf("C%d", 1+i%3),
			Statement: "Le passage illustre le critère : " + sentence(), Quote: quote, QuoteStart: 0, QuoteEnd: len([]rune(quote)),
			Confidence: float64(r.IntN(100)) / 100, Origin: Origin{Kind: OriginLexical, Name: "lexical", Provenance: &Provenance{MatchedTerms: words[:min(3, len(words))]}}})
		for j, p := range people[1:] {
			v := VoteData{Proposal: pid, Verdict: verdicts[r.IntN(len(verdicts))], DwellMS: int64(1000 + r.IntN(20000))}
			switch v.Verdict {
			case Reject:
				v.Reason = Reasons[r.IntN(len(Reasons)-1)]
			case Rephrase:
				v.Statement = "Reformulé : " + sentence()
			}
			add(fmt.Sprintf("%s-v%d", pid, j), p, KindVoteCast, v)
		}
		if r.IntN(4) == 0 {
			add(pid+"-k", people[2], KindCommentAdded, CommentData{Proposal: pid, Text: "Anna et Bruno en ont parlé : " + sentence()})
		}
		if r.IntN(5) != 0 {
			d := VoteData{Proposal: pid, Verdict: []Verdict{Accept, Reject, Rephrase}[r.IntN(3)]}
			switch d.Verdict {
			case Reject:
				d.Reason = ReasonOffTopic
			case Rephrase:
				d.Statement = "Décidé : " + sentence()
			}
			add(pid+"-d", people[0], KindDecisionMade, d)
		}
	}
	add("run-1", system, KindProposeRun, ProposeRun{Mode: "lexical", Started: t, Finished: t.Add(time.Minute), Criteria: 3, Passages: len(passages), Pairs: len(passages) / every})
	return events
}
