package dossier

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/coopdescommuns/revue/review"
)

// The people of the test workshop. Bruno and Chloé consent to be named;
// Dede never answers the consent text; Émile votes, writes the wording the
// facilitator chooses, and then withdraws.
var (
	anna  = review.Actor{Name: "Anna", Fingerprint: "SHA256:annakey", Role: review.Facilitator}
	bruno = review.Actor{Name: "Bruno", Fingerprint: "SHA256:brunokey", Role: review.Participant}
	chloe = review.Actor{Name: "Chloé", Role: review.Participant}
	dede  = review.Actor{Name: "Dede", Role: review.Participant}
	emile = review.Actor{Name: "Émile", Role: review.Participant}
	sys   = review.Actor{Name: "revue", Role: review.System}
)

// names are every person's name and fingerprint: none may appear in a
// dossier without --names, and only the consenting ones with it.
var names = []string{"Anna", "Bruno", "Chloé", "Dede", "Émile", "annakey", "brunokey"}

// kept and their quotes: what every format must hold.
var (
	keptStatements = []string{
		"Les habitants décident ensemble des règles du jardin.",
		"Chaque membre du jardin a une voix dans l'assemblée.",             // Chloé's rewording of p2
		"La charte dit qui entretient quoi, & les <outils> sont partagés.", // created by Bruno
		"L'assemblée vote le budget de l'eau.",                             // a negative the group kept
	}
	keptQuotes = []string{
		"les habitants votent les règles",
		"chaque membre a une voix",
		"la charte répartit l'entretien",
		"l'assemblée vote le budget",
	}
	rejectedStatement = "Le café du quartier illustre la gouvernance."
	pendingStatement  = "Le budget est public."
	emileWording      = "Les règles viennent de ceux qui jardinent."
)

// workshop builds the events of a small session: accepted, rephrased,
// rejected and created links, sampled negatives, a pending link, a
// consent text, and a withdrawal.
func workshop() []review.Event {
	t := time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC)
	var events []review.Event
	add := func(id string, a review.Actor, k review.Kind, data any) {
		t = t.Add(time.Minute)
		e := review.MustEvent("atelier", id, t, a, k, data)
		e.Seq = int64(len(events) + 1)
		e.Hash = fmt.Sprintf("%064x", e.Seq*7919)
		events = append(events, e)
	}
	add("s", sys, review.KindSessionCreated, review.SessionCreated{Name: "atelier", Language: "fr"})
	docs := []review.Document{
		{ID: "d1", Title: "Rapport jardins 2019", Source: "/home/anna/rapports/jardins-2019.pdf", Format: "pdf",
			Passages: []review.Passage{
				{ID: "d1-1", Document: "d1", Index: 1, Text: "Dans ce quartier, les habitants votent les règles du jardin une fois par an.", Page: 3},
				{ID: "d1-2", Document: "d1", Index: 2, Text: "Au jardin, chaque membre a une voix et le café est ouvert le samedi.", Page: 7},
			}},
		{ID: "d2", Title: "Pad de l'assemblée", Source: "https://pad.lamyne.org/p/assemblee-2021", Format: "html",
			Passages: []review.Passage{
				{ID: "d2-1", Document: "d2", Index: 1, Text: "Extrait : la charte répartit l'entretien, et l'assemblée vote le budget de l'eau.", Section: "Décisions"},
			}},
		{ID: "d3", Title: "Notes sans lien", Source: "C:\\Users\\anna\\notes.md", Format: "markdown",
			Passages: []review.Passage{{ID: "d3-1", Document: "d3", Index: 1, Text: "Rien à voir."}}},
	}
	for _, d := range docs {
		add("doc-"+d.ID, sys, review.KindDocumentAdded, d)
	}
	add("c1", sys, review.KindCriterionAdded, review.Criterion{ID: "C1", Title: "Les règles sont faites par les personnes concernées", Description: "Les personnes affectées par les règles participent à leur élaboration."})
	add("c2", sys, review.KindCriterionAdded, review.Criterion{ID: "C2", Title: "Les ressources sont partagées", Description: "Les outils et l'entretien sont répartis."})
	add("c3", sys, review.KindCriterionAdded, review.Criterion{ID: "C3", Title: "Les conflits trouvent une médiation", Description: "Un moyen peu coûteux de régler les conflits existe."})
	add("run", sys, review.KindProposeRun, review.ProposeRun{Mode: "model", Model: "qwen3:4b", ModelDigest: "sha256:abc123", OllamaVersion: "0.17.1",
		Started: t, Finished: t.Add(2 * time.Minute), Pairs: 9, Calls: 9, PromptTokens: 9000, OutputTokens: 900, ModelNanos: int64(90 * time.Second),
		EnergyWh: 0.75, PowerWatts: 15, EnergySource: "estimate", EnergyFormula: "15 W × 1 × 3 min"})
	model := func(id, pa, doc, crit, stmt, quote string, start int, negative bool) {
		pv := &review.Provenance{Model: "qwen3:4b", ModelDigest: "sha256:abc123", PromptVersion: "judge/3"}
		end := start + len([]rune(quote))
		if start < 0 {
			end = -1
		}
		add(id, sys, review.KindProposalAdded, review.Proposal{ID: id, Document: doc, Passage: pa, Criterion: crit, Statement: stmt,
			Quote: quote, QuoteStart: start, QuoteEnd: end, Confidence: 0.8, Negative: negative,
			Origin: review.Origin{Kind: review.OriginModel, Name: "qwen3:4b", Provenance: pv}})
	}
	model("p1", "d1-1", "d1", "C1", keptStatements[0], keptQuotes[0], 17, false)
	model("p2", "d1-2", "d1", "C1", "Les membres votent.", keptQuotes[1], 10, false)
	model("p3", "d1-2", "d1", "C2", rejectedStatement, "le café est ouvert", 41, false)
	model("p5", "d2-1", "d2", "C2", keptStatements[3], keptQuotes[3], 45, true)
	model("p6", "d2-1", "d2", "C3", "Une médiation existe.", "rien", -1, true)
	model("p7", "d2-1", "d2", "C1", pendingStatement, "le budget", 60, false)
	model("p8", "d1-1", "d1", "C2", "Les habitants gèrent le jardin.", keptQuotes[0], 17, false)
	consent := "J'accepte d'être nommé dans le dossier."
	sum := sha256.Sum256([]byte(consent))
	add("consent", anna, review.KindConsentSet, review.ConsentText{Text: consent})
	for _, a := range []review.Actor{bruno, chloe, emile} {
		add("join-"+a.Name, a, review.KindParticipantJoin, review.JoinData{Terminal: "xterm"})
		add("ok-"+a.Name, a, review.KindConsentAnswered, review.ConsentAnswer{Agreed: true, Hash: hex.EncodeToString(sum[:])})
	}
	add("join-Dede", dede, review.KindParticipantJoin, review.JoinData{Terminal: "xterm"})
	vote := func(id string, a review.Actor, kind review.Kind, v review.VoteData) { add(id, a, kind, v) }
	// What Bruno and Chloé saw before voting on p1 and p2.
	for _, a := range []review.Actor{bruno, chloe} {
		for _, pid := range []string{"p1", "p2"} {
			add("seen-"+a.Name+pid, a, review.KindExposure, review.Exposure{Proposal: pid, From: t, To: t.Add(40 * time.Second),
				State: review.ExposureActive, End: review.EndMoved, Following: true})
		}
	}
	// p1: accepted as proposed, 2 for and 1 against.
	vote("p1-b", bruno, review.KindVoteCast, review.VoteData{Proposal: "p1", Verdict: review.Accept})
	vote("p1-c", chloe, review.KindVoteCast, review.VoteData{Proposal: "p1", Verdict: review.Accept})
	vote("p1-d", dede, review.KindVoteCast, review.VoteData{Proposal: "p1", Verdict: review.Reject, Reason: review.ReasonTooVague})
	vote("p1-seal", anna, review.KindDecisionMade, review.VoteData{Proposal: "p1", Verdict: review.Accept, Outcome: "Bruno et Dede en reparleront : la règle est claire."})
	// p2: Chloé rewords, the facilitator chooses her wording.
	vote("p2-c", chloe, review.KindVoteCast, review.VoteData{Proposal: "p2", Verdict: review.Rephrase, Statement: keptStatements[1]})
	vote("p2-b", bruno, review.KindVoteCast, review.VoteData{Proposal: "p2", Verdict: review.Accept})
	vote("p2-seal", anna, review.KindDecisionMade, review.VoteData{Proposal: "p2", Verdict: review.Rephrase, Version: 2})
	// p3: rejected.
	vote("p3-d", dede, review.KindVoteCast, review.VoteData{Proposal: "p3", Verdict: review.Reject, Reason: review.ReasonOffTopic})
	vote("p3-seal", anna, review.KindDecisionMade, review.VoteData{Proposal: "p3", Verdict: review.Reject, Reason: review.ReasonOffTopic})
	// p4: created by Bruno, accepted.
	add("p4", bruno, review.KindProposalAdded, review.Proposal{ID: "p4", Document: "d2", Passage: "d2-1", Criterion: "C2",
		Statement: keptStatements[2], Quote: keptQuotes[2], QuoteStart: 10, QuoteEnd: 10 + len([]rune(keptQuotes[2])), Confidence: 1,
		Origin: review.Origin{Kind: review.OriginHuman, Name: "Bruno"}})
	vote("p4-c", chloe, review.KindVoteCast, review.VoteData{Proposal: "p4", Verdict: review.Accept})
	vote("p4-seal", anna, review.KindDecisionMade, review.VoteData{Proposal: "p4", Verdict: review.Accept})
	// p5: a negative the group kept; p6: a negative it rejected.
	vote("p5-seal", anna, review.KindDecisionMade, review.VoteData{Proposal: "p5", Verdict: review.Accept})
	vote("p6-seal", anna, review.KindDecisionMade, review.VoteData{Proposal: "p6", Verdict: review.Reject, Reason: review.ReasonOther, Note: "aucune médiation"})
	// p8: Émile's wording is chosen, then Émile withdraws: the link is
	// open again, and nothing of theirs remains.
	vote("p8-e", emile, review.KindVoteCast, review.VoteData{Proposal: "p8", Verdict: review.Rephrase, Statement: emileWording})
	vote("p8-seal", anna, review.KindDecisionMade, review.VoteData{Proposal: "p8", Verdict: review.Rephrase, Version: 2, Outcome: "Émile a raison."})
	add("c-e", emile, review.KindCommentAdded, review.CommentData{Proposal: "p1", Text: "Je suis Émile."})
	add("forget", sys, review.KindPersonForgotten, review.Forget{Name: "Émile"})
	return events
}
