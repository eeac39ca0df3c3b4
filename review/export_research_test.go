package review

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The people of the research session: a facilitator, three participants
// (one of whom withdraws), one who declines consent, and a projector.
var (
	rAnna  = Actor{Name: "anna", Fingerprint: "SHA256:annakey", Role: Facilitator}
	rBruno = Actor{Name: "bruno", Fingerprint: "SHA256:brunokey", Role: Participant}
	rChloe = Actor{Name: "chloé", Role: Participant}
	rEmile = Actor{Name: "émile", Fingerprint: "SHA256:emilekey", Role: Participant}
	rDede  = Actor{Name: "dédé", Role: Participant}
	rProj  = Actor{Name: "projecteur", Role: Spectator}
)

const consentText = "Vos votes sont enregistrés pour une étude ; vous pouvez vous retirer."

// researchTrace is a workshop with every kind of event: consent (one
// decline), blind voting with conditions assigned at random, exposures and
// panes, votes on the version seen, rephrasings, a reopened seal, timers,
// the room led, sampled negatives, and a withdrawal (émile). It is built
// from events directly; the session package scripts the same over SSH.
func researchTrace(t *testing.T) *trace {
	tr := sampleTrace(t)
	// sampleTrace gave session, document (2 passages), C1, C2, P1 (model),
	// P2 (lexical). Add a third passage of the document, as init writes
	// those of a big one, then negatives, a second model proposal and a run.
	tr.add("d1-2", sys, KindDocumentPassages, DocumentPassages{Document: docSHA, Passages: []Passage{
		{ID: "0123456789ab-p3", Document: docSHA, Index: 3, Text: "La haie est taillée à l'automne.", Start: 74, End: 106, Section: "Haie"}}})
	tr.add("n1", sys, KindProposalAdded, Proposal{ID: "N1", Document: docSHA, Passage: "0123456789ab-p2", Criterion: "C1",
		Statement: "Le compost n'illustre pas le critère.", Quote: "", QuoteStart: -1, QuoteEnd: -1, Confidence: 0.1, Negative: true,
		Origin: Origin{Kind: OriginModel, Name: "qwen3:4b"}})
	tr.add("n2", sys, KindProposalAdded, Proposal{ID: "N2", Document: docSHA, Passage: "0123456789ab-p1", Criterion: "C2",
		Statement: "Les règles ne disent rien de la surveillance.", QuoteStart: -1, QuoteEnd: -1, Confidence: 0.2, Negative: true,
		Origin: Origin{Kind: OriginModel, Name: "qwen3:4b"}})
	tr.add("p3", sys, KindProposalAdded, Proposal{ID: "P3", Document: docSHA, Passage: "0123456789ab-p2", Criterion: "C2",
		Statement: "Le retournement mensuel du compost est surveillé.", Quote: "chaque mois", QuoteStart: 24, QuoteEnd: 35, Confidence: 0.7,
		Origin: Origin{Kind: OriginModel, Name: "qwen3:4b"}})
	tr.add("run", sys, KindProposeRun, ProposeRun{Mode: "model", Model: "qwen3:4b", Hosts: []string{"localhost"}, Started: t0, Finished: t0.Add(90 * time.Second),
		Criteria: 2, Passages: 2, Pairs: 4, Calls: 4, Proposals: 2, PromptTokens: 3000, OutputTokens: 200, ModelNanos: 6e9, PowerWatts: 30, EnergyWh: 0.75})
	// A criterion with the people's keywords, a frugal run that searched
	// them and a synonym, and its proposal naming what it matched.
	tr.add("c3", sys, KindCriterionAdded, Criterion{ID: "C3", Title: "Sanctions graduées", Description: "D'abord un rappel.",
		Keywords: []string{"avertissement", "rappel à l'ordre"}})
	expanded := []ExpandedTerm{{Word: "avertissement", Source: "keyword", From: "avertissement", Weight: 1},
		{Word: "contravention", Source: "thesaurus", From: "sanctions", Weight: 0.35}}
	tr.add("p4", sys, KindProposalAdded, Proposal{ID: "P4", Document: docSHA, Passage: "0123456789ab-p1", Criterion: "C3",
		Statement: "Le passage parle de « avertissement », un mot-clé du critère.", Quote: "Les règles", QuoteStart: 0, QuoteEnd: 10, Confidence: 0.4,
		Origin: Origin{Kind: OriginLexical, Name: "bm25", Provenance: &Provenance{PromptVersion: "frugal/2", MatchedTerms: []string{"avertissement"},
			Expansions: expanded[:1]}}})
	tr.add("frugal", sys, KindProposeRun, ProposeRun{Mode: "lexical", Started: t0, Finished: t0.Add(time.Second), Criteria: 3, Passages: 2,
		Pairs: 1, Proposals: 1, Knowledge: []string{"criterion", "keyword", "thesaurus"},
		Expansions: []CriterionExpansion{{Criterion: "C3", Terms: expanded}}})
	tr.add("fail", sys, KindProposeFailed, ProposeFailed{Passage: "0123456789ab-p1", Criterion: "C1", Model: "qwen3:4b", Reason: "timeout", Attempts: 2})
	tr.add("judged", sys, KindPairJudged, PairJudged{Key: "k-p2-c1", Passage: "0123456789ab-p2", Criterion: "C1", Relevant: false, Answer: `{"relevant":false}`})

	h := sha256.Sum256([]byte(consentText))
	hash := hex.EncodeToString(h[:])
	tr.add("consent", rAnna, KindConsentSet, ConsentText{Text: consentText})
	tr.add("cond", rAnna, KindConditionsSet, Conditions{Blind: true, Random: &Random{Seed: 42, Factors: []string{FactorOrigin, FactorConfidence}}})
	at := func() time.Time { return t0.Add(time.Duration(len(tr.events)) * time.Second) }
	join := func(id string, a Actor) {
		st, _ := Replay(tr.events)
		c := st.ConditionsFor(a)
		tr.add(id, a, KindParticipantJoin, JoinData{Terminal: "xterm-256color", Lang: "fr", Conditions: &c})
	}
	join("j-anna", rAnna)
	join("j-bruno", rBruno)
	tr.add("ok-bruno", rBruno, KindConsentAnswered, ConsentAnswer{Agreed: true, Hash: hash})
	join("j-chloe", rChloe)
	tr.add("ok-chloe", rChloe, KindConsentAnswered, ConsentAnswer{Agreed: true, Hash: hash})
	join("j-emile", rEmile)
	tr.add("ok-emile", rEmile, KindConsentAnswered, ConsentAnswer{Agreed: true, Hash: hash})
	join("j-dede", rDede)
	tr.add("no-dede", Actor{Name: "dédé", Role: Spectator}, KindConsentAnswered, ConsentAnswer{Agreed: false, Hash: hash})
	tr.add("j-proj", rProj, KindParticipantJoin, JoinData{Terminal: "xterm"})
	tr.add("lead", rAnna, KindRoomLed, RoomData{Follow: false, Proposal: "P1"})
	tr.add("pane-help", rBruno, KindPaneOpened, PaneData{Pane: "help"})

	// Each person sees a proposal for a while, then votes on the version
	// on their screen.
	seen := func(id string, a Actor, pid string, secs int, state, end string) {
		to := at()
		tr.add(id, a, KindExposure, Exposure{Proposal: pid, From: to.Add(-time.Duration(secs) * time.Second), To: to, State: state, End: end})
	}
	vote := func(id string, a Actor, pid string, v Verdict, reason, statement string, version int) {
		tr.add(id, a, KindVoteCast, VoteData{Proposal: pid, Verdict: v, Reason: reason, Statement: statement, Version: version, DwellMS: 4000})
	}
	// P1: everybody sees it; bruno accepts, chloé rephrases, émile rephrases
	// too (his wording will be withdrawn).
	seen("x1", rBruno, "P1", 12, ExposureActive, EndCheckpoint)
	seen("x2", rChloe, "P1", 20, ExposureActive, EndCheckpoint)
	seen("x3", rEmile, "P1", 8, ExposureActive, EndCheckpoint)
	seen("x3i", rEmile, "P1", 60, ExposureIdle, EndActive)
	tr.add("pane-why", rChloe, KindPaneOpened, PaneData{Pane: "why", Proposal: "P1"})
	vote("v1", rBruno, "P1", Accept, "", "", 1)
	vote("v2", rEmile, "P1", Rephrase, "", "Émile dit : les règles sont votées à main levée.", 0)
	vote("v3", rChloe, "P1", Rephrase, "", "Les règles sont votées par tous en assemblée.", 0)
	tr.add("k1", rEmile, KindCommentAdded, CommentData{Proposal: "P1", Text: "Je l'ai vu faire chez Bruno."})
	tr.add("k2", rBruno, KindCommentAdded, CommentData{Proposal: "P1", Text: "D'accord avec Chloé et avec émile."})
	tr.add("reveal", rAnna, KindVotesRevealed, ProposalRef{Proposal: "P1"})
	tr.add("timer", rAnna, KindTimerStarted, TimerData{Proposal: "P1", Seconds: 120})
	tr.add("timer-end", rAnna, KindTimerStopped, TimerStop{Proposal: "P1", Reason: TimerStoppedByHand})
	// Versions: 1 original, 2 émile's, 3 chloé's. Anna first chooses
	// émile's, reopens, then chooses chloé's.
	tr.add("dec1", rAnna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Rephrase, Version: 2})
	tr.add("reopen", rAnna, KindDecisionReopened, ReopenData{Proposal: "P1", Note: "émile préfère l'autre"})
	tr.add("dec1b", rAnna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Rephrase, Version: 3, Outcome: "Adopté après discussion avec Bruno."})
	tr.add("hand-up", rBruno, KindHandRaised, HandData{})
	tr.add("hand-down", rBruno, KindHandLowered, HandData{})
	tr.add("results", rAnna, KindRoomViewed, RoomView{View: ViewResults})
	tr.add("results-off", rAnna, KindRoomViewed, RoomView{View: ViewLink})
	tr.add("agenda", rAnna, KindAgendaSet, AgendaData{End: at().Add(90 * time.Minute), Start: at(), Decided: 1, Order: "picked", Picks: []string{"P2", "P1"}})
	tr.add("move", rAnna, KindRoomMoved, ProposalRef{Proposal: "P2"})
	// P2 (lexical): rejected by both, the facilitator too.
	seen("x4", rBruno, "P2", 5, ExposureActive, EndMoved)
	seen("x5", rChloe, "P2", 9, ExposureActive, EndMoved)
	vote("v4", rBruno, "P2", Reject, ReasonQuoteInexact, "", 1)
	vote("v5", rChloe, "P2", Reject, ReasonOffTopic, "", 1)
	tr.add("dec2", rAnna, KindDecisionMade, VoteData{Proposal: "P2", Verdict: Reject, Reason: ReasonQuoteInexact})
	// N1 (a negative): the group agrees there is no link.
	seen("x6", rBruno, "N1", 7, ExposureActive, EndMoved)
	seen("x7", rChloe, "N1", 6, ExposureActive, EndMoved)
	vote("v6", rBruno, "N1", Reject, ReasonOffTopic, "", 1)
	vote("v7", rChloe, "N1", Reject, ReasonTooVague, "", 1)
	tr.add("dec3", rAnna, KindDecisionMade, VoteData{Proposal: "N1", Verdict: Reject, Reason: ReasonOffTopic})
	// N2 (a negative): the group finds a link the model missed; bruno
	// changes his mind (undo), chloé skips.
	seen("x8", rBruno, "N2", 15, ExposureActive, EndMoved)
	seen("x9", rChloe, "N2", 4, ExposureActive, EndMoved)
	vote("v8", rBruno, "N2", Reject, ReasonWrongCriterion, "", 1)
	tr.add("u8", rBruno, KindActionUndone, UndoData{Target: "v8"})
	vote("v8b", rBruno, "N2", Accept, "", "", 1)
	vote("v9", rChloe, "N2", Skip, "", "", 1)
	tr.add("dec4", rAnna, KindDecisionMade, VoteData{Proposal: "N2", Verdict: Accept})
	// P3 (model): parked, left open; émile votes on it.
	seen("x10", rEmile, "P3", 30, ExposureActive, EndLeft)
	vote("v10", rEmile, "P3", Accept, "", "", 1)
	seen("x11", rBruno, "P3", 3, ExposureActive, EndLeft)
	vote("v11", rBruno, "P3", Reject, ReasonTooVague, "", 1)
	tr.add("park", rAnna, KindProposalParked, ParkData{Proposal: "P3", Parked: true})
	// H1: émile proposes a link of his own, chloé votes on it: it leaves
	// with him.
	tr.add("h1", rEmile, KindProposalAdded, Proposal{ID: "H1", Document: docSHA, Passage: "0123456789ab-p2", Criterion: "C2",
		Statement: "Émile pense que le compost est surveillé.", Quote: "chaque mois", QuoteStart: 24, QuoteEnd: 35, Confidence: 1,
		Origin: Origin{Kind: OriginHuman, Name: "émile"}})
	vote("v12", rChloe, "H1", Accept, "", "", 1)
	// The room follows anna: chloé's screen follows it from P1, and anna's
	// move to N1 ends that interval (derived, not recorded); then chloé
	// opens a pane and her interval no longer follows.
	tr.add("lead2", rAnna, KindRoomLed, RoomData{Follow: true, Proposal: "P1"})
	rideFrom := at()
	tr.add("ride-chloe", rChloe, KindExposureFollowing, ExposureFollowing{Proposal: "P1", From: rideFrom, State: ExposureActive, Follows: true})
	tr.add("move-n1", rAnna, KindRoomMoved, ProposalRef{Proposal: "N1"})
	tr.add("ride-off", rChloe, KindExposureFollowing, ExposureFollowing{Proposal: "N1", From: at(), State: ExposureActive})
	tr.add("l-emile", rEmile, KindParticipantLeft, JoinData{Terminal: "xterm-256color"})
	tr.add("l-bruno", rBruno, KindParticipantLeft, JoinData{Terminal: "xterm-256color"})
	tr.add("forget", sys, KindPersonForgotten, Forget{Name: "émile"})
	_ = rDede
	return tr
}

// TestResearchTraceHasEveryKind keeps the research session complete: the
// schema test validates the data of every kind through it.
func TestResearchTraceHasEveryKind(t *testing.T) {
	kinds := map[Kind]bool{}
	for _, e := range researchTrace(t).events {
		kinds[e.Kind] = true
	}
	for _, k := range Kinds {
		if !kinds[k] {
			t.Errorf("no %s event in the research session", k)
		}
	}
	if _, err := Replay(researchTrace(t).events); err != nil {
		t.Fatal(err)
	}
}

// The researcher's questions, each answered by a one-line query on an
// export of the research session (the JSON document or the votes table),
// as a statistician would write it. The helpers below are the query
// language: rows of the votes table as maps, filtered by column values.

type row = map[string]string

func votesRows(t *testing.T, events []Event) []row {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(export(t, events, "votes", false))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []row
	for _, r := range recs[1:] {
		m := row{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// where keeps the rows whose columns have the given values (col, value, ...).
func where(rows []row, kv ...string) []row {
	var out []row
next:
	for _, r := range rows {
		for i := 0; i+1 < len(kv); i += 2 {
			if r[kv[i]] != kv[i+1] {
				continue next
			}
		}
		out = append(out, r)
	}
	return out
}

// distinct counts the distinct values of some columns.
func distinct(rows []row, cols ...string) int {
	seen := map[string]bool{}
	for _, r := range rows {
		k := ""
		for _, c := range cols {
			k += r[c] + "\x00"
		}
		seen[k] = true
	}
	return len(seen)
}

func countBy(rows []row, col string) map[string]int {
	out := map[string]int{}
	for _, r := range rows {
		out[r[col]]++
	}
	return out
}

func medianCol(rows []row, col string) float64 {
	var xs []float64
	for _, r := range rows {
		if v, err := strconv.ParseFloat(r[col], 64); err == nil {
			xs = append(xs, v)
		}
	}
	return Quantile(xs, 0.5)
}

// levenshtein is the edit distance in runes.
func levenshtein(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur := make([]int, len(y)+1)
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(y)]
}

func TestResearchQuestions(t *testing.T) {
	events := researchTrace(t).events
	rows := votesRows(t, events)
	votes := where(rows, "row", "vote", "in_force", "true")
	seen := where(rows, "row", "exposure")
	// The participants' exposures only: the facilitator's screen is on
	// their own line, never in a denominator.
	seen = slices.DeleteFunc(seen, func(r row) bool { return r["role"] == "facilitator" })
	var doc struct {
		Proposals []struct {
			ID       string `json:"id"`
			Origin   Origin `json:"origin"`
			Negative bool   `json:"negative"`
			Status   Status `json:"status"`
			Versions []struct {
				Statement string `json:"statement"`
				Author    Actor  `json:"author"`
			} `json:"versions"`
		} `json:"proposals"`
		Withdrawals []Withdrawal `json:"withdrawals"`
	}
	if err := json.Unmarshal(export(t, events, "json", false), &doc); err != nil {
		t.Fatal(err)
	}
	f, err := ReportTrace(events)
	if err != nil {
		t.Fatal(err)
	}

	// Acceptance per person, per criterion and per origin, with the
	// proposals seen as denominators.
	bruno := [2]int{len(where(votes, "person", "bruno", "verdict", "accept")), distinct(where(seen, "person", "bruno"), "proposal")}
	if bruno != [2]int{2, 5} {
		t.Errorf("bruno accepted %d of the %d proposals he saw; want 2 of 5", bruno[0], bruno[1])
	}
	c1 := [2]int{len(where(votes, "criterion", "C1", "verdict", "accept")), distinct(where(seen, "criterion", "C1"), "person", "proposal")}
	if c1 != [2]int{1, 4} || f.ByCriterion[0].AcceptVotes != c1[0] || f.ByCriterion[0].SeenPairs != c1[1] {
		t.Errorf("C1: %d accept votes over %d views (report %+v)", c1[0], c1[1], f.ByCriterion[0])
	}
	// The model's links and its sampled negatives are two rows.
	model := [2]int{len(where(votes, "origin", "model", "negative", "false", "verdict", "accept")), distinct(where(seen, "origin", "model", "negative", "false"), "person", "proposal")}
	if model != [2]int{1, 3} || f.ByOrigin[OriginModel].AcceptVotes != model[0] || f.ByOrigin[OriginModel].SeenPairs != model[1] {
		t.Errorf("model: %d accept votes over %d views (report %+v)", model[0], model[1], f.ByOrigin[OriginModel])
	}
	neg := [2]int{len(where(votes, "origin", "model", "negative", "true", "verdict", "accept")), distinct(where(seen, "origin", "model", "negative", "true"), "person", "proposal")}
	if n := f.Negatives[OriginModel]; neg[1] == 0 || n.AcceptVotes != neg[0] || n.SeenPairs != neg[1] || n.Negatives != 2 || n.Proposals != 2 {
		t.Errorf("model's negatives: %d accept votes over %d views (report %+v)", neg[0], neg[1], n)
	}
	// Reasons counted.
	if reasons := countBy(where(votes, "verdict", "reject"), "reason"); reasons[ReasonOffTopic] != 2 || reasons[ReasonTooVague] != 2 || reasons[ReasonQuoteInexact] != 1 || reasons[ReasonWrongCriterion] != 0 {
		t.Errorf("reasons %v (bruno's undone wrong_criterion must not count)", reasons)
	}
	// Median time from first seen to vote.
	if m := medianCol(where(votes, "person", "bruno", "standing", "in_force"), "first_seen_to_vote_ms"); msDuration(m) != f.Persons[0].MedianToVote || m <= 0 {
		t.Errorf("bruno's median first-seen-to-vote %g ms; report %v", m, f.Persons[0].MedianToVote)
	}
	// Edit distance of rewordings from the AI's text.
	for _, p := range doc.Proposals {
		for _, v := range p.Versions[1:] {
			if d := levenshtein(p.Versions[0].Statement, v.Statement); p.ID == "P1" && d != levenshtein("Le passage illustre le critère car les règles sont votées.", "Les règles sont votées par tous en assemblée.") {
				t.Errorf("P1 reworded by %d edits", d)
			}
		}
	}
	// Alpha and kappa, recomputed from the votes table.
	var data Ratings
	people := []string{"bruno", "chloé"}
	for _, pid := range []string{"P1", "P2", "P3", "N1", "N2"} {
		unit := make([]string, len(people))
		for i, who := range people {
			if v := where(votes, "proposal", pid, "person", who); len(v) == 1 && v[0]["verdict"] != "skip" {
				unit[i] = v[0]["verdict"]
			}
		}
		data = append(data, unit)
	}
	if a, _, _ := KrippendorffAlpha(data); !near(a, f.Reliability.Alpha.Value, 1e-12) || !f.Reliability.Alpha.Defined {
		t.Errorf("alpha from the table %.4f, report %+v", a, f.Reliability.Alpha)
	}
	if k, _, _ := FleissKappa(data); !near(k, f.Reliability.Fleiss.Value, 1e-12) {
		t.Errorf("kappa from the table %.4f, report %+v", k, f.Reliability.Fleiss)
	}
	// Human against AI, negatives included: the model's links and "no
	// link" answers against the group's outcome.
	table := map[[2]bool]int{}
	for _, p := range doc.Proposals {
		if p.Origin.Kind == OriginModel && p.Status != Pending {
			table[[2]bool{!p.Negative, p.Status != Rejected}]++
		}
	}
	h := f.HumanAI[0]
	if !maps.Equal(table, map[[2]bool]int{{true, true}: 1, {false, false}: 1, {false, true}: 1}) || h.BothLink != 1 || h.NeitherLink != 1 || h.GroupOnly != 1 || h.MachineOnly != 0 {
		t.Errorf("machine × group %v, report %+v", table, h)
	}
	// Conditions per vote: blind for everybody, origin and confidence
	// hidden at random, each vote saying which.
	st := replay(t, events)
	for _, v := range where(rows, "row", "vote") {
		a := Actor{Name: v["person"], Fingerprint: v["fingerprint"]}
		c := st.ConditionsFor(a)
		if v["blind"] != "true" || v["hide_origin"] != strconv.FormatBool(c.HideOrigin) || v["hide_confidence"] != strconv.FormatBool(c.HideConfidence) {
			t.Errorf("vote %s: conditions %s %s %s; want %+v", v["event_id"], v["blind"], v["hide_origin"], v["hide_confidence"], c)
		}
	}
	// The withdrawal is counted, never named.
	if len(doc.Withdrawals) != 1 || doc.Withdrawals[0].Person != "W1" || doc.Withdrawals[0].Removed[KindVoteCast] != 3 || doc.Withdrawals[0].Removed[KindCommentAdded] == 0 {
		t.Errorf("withdrawals %+v", doc.Withdrawals)
	}
}

// TestNothingOfTheWithdrawn checks every format, plain and pseudonymised,
// for anything of émile: his name (any case), his key, his words, his
// proposal and the wording the facilitator first chose of his.
func TestNothingOfTheWithdrawn(t *testing.T) {
	for _, pseudo := range []bool{false, true} {
		for _, format := range Formats {
			out := export(t, researchTrace(t).events, format, pseudo)
			if format == "qdpx" {
				out = qdpxText(t, out)
			}
			low := strings.ToLower(string(out))
			for _, secret := range []string{"émile", "emilekey", "chez bruno", "main levée", "émile pense", `"h1"`} {
				if i := strings.Index(low, secret); i >= 0 {
					t.Errorf("%s (pseudonymized %v) still holds %q: …%s…", format, pseudo, secret, low[max(0, i-80):min(len(low), i+80)])
				}
			}
		}
	}
	// What stays of others is whole: bruno's comment names émile, but it is
	// bruno's text; it is kept, émile's name in it replaced when
	// pseudonymised only.
	if out := string(export(t, researchTrace(t).events, "json", false)); !strings.Contains(out, "D'accord avec Chloé") {
		t.Error("bruno's comment went with émile")
	}
}

// TestCodebookNamesEveryKind keeps docs/codebook.md in step with the
// trace: every kind of event is described in the French and the English
// half, and so is every column of the votes table.
func TestCodebookNamesEveryKind(t *testing.T) {
	b, err := os.ReadFile("../docs/codebook.md")
	if err != nil {
		t.Fatal(err)
	}
	fr, en, ok := strings.Cut(string(b), "## English")
	if !ok {
		t.Fatal("the codebook has no English half")
	}
	for _, half := range []string{fr, en} {
		for _, k := range Kinds {
			if !strings.Contains(half, "`"+string(k)+"`") {
				t.Errorf("the codebook does not describe %s in one of its halves", k)
			}
		}
		for _, c := range VotesHeader[1:] {
			if !strings.Contains(half, "`"+c+"`") {
				t.Errorf("the codebook does not describe the votes column %s in one of its halves", c)
			}
		}
	}
}

// TestWithdrawRenumbers checks what a withdrawal does to the link émile
// reworded: the facilitator's first seal chose his wording (version 2), so
// it goes, with its reopening; the second chose chloé's (version 3), which
// is version 2 once his is gone.
func TestWithdrawRenumbers(t *testing.T) {
	kept, w := Withdraw(slices.Clone(researchTrace(t).events))
	st := replay(t, kept)
	p, _ := st.Proposal("P1")
	if p.Status != Rephrased || p.FinalVersion != 2 || p.Final != "Les règles sont votées par tous en assemblée." || p.FinalAuthor != rChloe || len(p.Versions) != 2 || len(p.Decisions) != 1 || p.Reopened != 0 {
		t.Errorf("P1 after the withdrawal: %s v%d %q by %v, %d versions, %d decisions, %d reopened", p.Status, p.FinalVersion, p.Final, p.FinalAuthor, len(p.Versions), len(p.Decisions), p.Reopened)
	}
	if _, ok := st.Proposal("H1"); ok {
		t.Error("émile's own proposal is still there")
	}
	for _, e := range kept {
		if e.Actor.Name == "émile" {
			t.Errorf("event %s of émile kept", e.ID)
		}
		if e.ID == "dec1" || e.ID == "reopen" || e.ID == "v12" {
			t.Errorf("event %s rests on émile and was kept", e.ID)
		}
	}
	want := map[Kind]int{KindVoteCast: 3, KindCommentAdded: 1, KindExposure: 3, KindProposalAdded: 1, KindDecisionMade: 1, KindDecisionReopened: 1,
		KindParticipantJoin: 1, KindParticipantLeft: 1, KindConsentAnswered: 1}
	if len(w) != 1 || !maps.Equal(w[0].Removed, want) {
		t.Errorf("removed %v; want %v", w, want)
	}
	// A withdrawn facilitator's settings stay, under the placeholder.
	tr := researchTrace(t)
	tr.add("forget-2", sys, KindPersonForgotten, Forget{Name: "anna", Fingerprint: "SHA256:annakey"})
	kept, _ = Withdraw(slices.Clone(tr.events))
	st = replay(t, kept)
	if st.Conditions.Random == nil || st.Consent.Text == "" {
		t.Errorf("the session's settings went with the facilitator: %+v", st.Conditions)
	}
	for _, e := range kept {
		if e.Actor.Name == "anna" || strings.Contains(string(e.Data), "anna") {
			t.Errorf("event %s still names anna", e.ID)
		}
	}
	if p, _ := st.Proposal("P1"); p.Status != Pending {
		t.Errorf("P1's seals were anna's: it should be open again, is %s", p.Status)
	}
	// Pseudonymised, the placeholders stay placeholders: W2 is no person.
	out := string(export(t, tr.events, "json", true))
	if !strings.Contains(out, `"name": "W2"`) || strings.Contains(out, "anna") || strings.Contains(out, "émile") {
		t.Errorf("the withdrawn facilitator's settings are not under W2, or a name is left")
	}
}

// TestSchemaChecksEachKindsData makes sure the schema's per-kind data
// rules bite: an exposure without its start, a vote with an unknown
// verdict, and a kind nobody knows are refused.
func TestSchemaChecksEachKindsData(t *testing.T) {
	f, err := os.Open("../schema/revue.export.v3.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("v2.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("v2.json")
	if err != nil {
		t.Fatal(err)
	}
	base := export(t, researchTrace(t).events, "json", false)
	for _, tc := range []struct{ name, from, to string }{
		{"exposure without from", `"data": {
        "proposal": "P1",
        "from"`, `"data": {
        "proposal": "P1",
        "fro"`},
		{"unknown verdict", `"verdict": "accept"`, `"verdict": "maybe"`},
		{"unknown kind", `"kind": "pane.opened"`, `"kind": "pane.closed"`},
		{"unknown order of work", `"order": "picked"`, `"order": "random"`},
		{"unknown view of the room", `"view": "results"`, `"view": "slides"`},
		{"unknown source of an expansion", `"source": "thesaurus"`, `"source": "wordnet"`},
		{"keywords not a list", `"keywords": [`, `"keywords": "avertissement", "x": [`},
	} {
		if !bytes.Contains(base, []byte(tc.from)) {
			t.Fatalf("%s: %q is not in the export", tc.name, tc.from)
		}
		bad := bytes.Replace(base, []byte(tc.from), []byte(tc.to), 1)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("%s: the schema accepted it", tc.name)
		}
	}
}
