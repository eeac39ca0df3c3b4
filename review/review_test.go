package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var t0 = time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC)

var (
	sys   = Actor{Name: "revue", Role: System}
	anna  = Actor{Name: "anna", Fingerprint: "SHA256:anna", Role: Facilitator}
	bruno = Actor{Name: "bruno", Fingerprint: "SHA256:bruno", Role: Participant}
	chloe = Actor{Name: "chloé", Role: Participant}
)

const docSHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// trace builds events with increasing sequence numbers and times, as the
// store would.
type trace struct {
	t      *testing.T
	events []Event
}

func (tr *trace) add(id string, a Actor, k Kind, data any) Event {
	tr.t.Helper()
	n := len(tr.events) + 1
	e, err := NewEvent("atelier", id, t0.Add(time.Duration(n)*time.Second), a, k, data)
	if err != nil {
		tr.t.Fatal(err)
	}
	e.Seq = int64(n)
	tr.events = append(tr.events, e)
	return e
}

// sampleTrace is a small session: one document of two passages, two
// criteria, two proposals.
func sampleTrace(t *testing.T) *trace {
	tr := &trace{t: t}
	tr.add("s", sys, KindSessionCreated, SessionCreated{Name: "atelier"})
	tr.add("d1", sys, KindDocumentAdded, Document{ID: docSHA, SHA256: docSHA, Title: "Jardin", Source: "jardin.md", Format: "markdown", Chars: 60,
		Passages: []Passage{
			{ID: "0123456789ab-p1", Document: docSHA, Index: 1, Text: "Les règles sont votées en assemblée.", Start: 0, End: 36, Section: "Règles"},
			{ID: "0123456789ab-p2", Document: docSHA, Index: 2, Text: "Le compost est retourné chaque mois.", Start: 37, End: 73, Section: "Compost"},
		}})
	tr.add("c1", sys, KindCriterionAdded, Criterion{ID: "C1", Title: "Règles choisies ensemble", Description: "Les personnes concernées font les règles."})
	tr.add("c2", sys, KindCriterionAdded, Criterion{ID: "C2", Title: "Surveillance", Description: "Les membres surveillent."})
	tr.add("p1", sys, KindProposalAdded, Proposal{ID: "P1", Document: docSHA, Passage: "0123456789ab-p1", Criterion: "C1",
		Statement: "Le passage illustre le critère car les règles sont votées.", Quote: "votées en assemblée", QuoteStart: 16, QuoteEnd: 35, Confidence: 0.8,
		Origin: Origin{Kind: OriginModel, Name: "qwen3:4b", Provenance: &Provenance{Model: "qwen3:4b", ModelDigest: "sha256:abc", QuoteMatch: "exact", Options: map[string]any{"temperature": 0, "seed": 42}}}})
	tr.add("p2", sys, KindProposalAdded, Proposal{ID: "P2", Document: docSHA, Passage: "0123456789ab-p2", Criterion: "C2",
		Statement: "Le compost est suivi.", Quote: "inventé", QuoteStart: -1, QuoteEnd: -1, Confidence: 0.3, Origin: Origin{Kind: OriginLexical, Name: "lexical"}})
	return tr
}

func replay(t *testing.T, events []Event) *State {
	t.Helper()
	st, err := Replay(events)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestFold(t *testing.T) {
	tests := []struct {
		name     string
		actions  func(tr *trace)
		status   Status
		final    string
		votes    int
		conflict bool
		versions int
		comments int
		tallyAcc int
		tallyRej int
	}{
		{"nothing", func(tr *trace) {}, Pending, "Le passage illustre le critère car les règles sont votées.", 0, false, 1, 0, 0, 0},
		{"participant vote does not decide", func(tr *trace) {
			tr.add("v1", bruno, KindVoteCast, VoteData{Proposal: "P1", Verdict: Accept, DwellMS: 4200})
		}, Pending, "Le passage illustre le critère car les règles sont votées.", 1, false, 1, 0, 1, 0},
		{"facilitator decides", func(tr *trace) {
			tr.add("v1", anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Accept})
		}, Accepted, "Le passage illustre le critère car les règles sont votées.", 1, false, 1, 0, 0, 0}, // a decision is no vote
		{"disagreement is a conflict", func(tr *trace) {
			tr.add("v1", bruno, KindVoteCast, VoteData{Proposal: "P1", Verdict: Accept})
			tr.add("v2", chloe, KindVoteCast, VoteData{Proposal: "P1", Verdict: Reject, Reason: ReasonTooVague})
		}, Pending, "Le passage illustre le critère car les règles sont votées.", 2, true, 1, 0, 1, 1},
		{"a changed mind replaces the earlier vote", func(tr *trace) {
			tr.add("v1", bruno, KindVoteCast, VoteData{Proposal: "P1", Verdict: Reject, Reason: ReasonOffTopic})
			tr.add("v2", chloe, KindVoteCast, VoteData{Proposal: "P1", Verdict: Accept})
			tr.add("v3", bruno, KindVoteCast, VoteData{Proposal: "P1", Verdict: Accept})
		}, Pending, "Le passage illustre le critère car les règles sont votées.", 3, false, 1, 0, 2, 0},
		{"rephrase decided", func(tr *trace) {
			tr.add("v1", anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Rephrase, Statement: "Les règles du jardin sont votées en assemblée."})
		}, Rephrased, "Les règles du jardin sont votées en assemblée.", 1, false, 2, 0, 0, 0},
		{"a participant's rephrasing is a competing wording, not the statement in force", func(tr *trace) {
			tr.add("v1", bruno, KindVoteCast, VoteData{Proposal: "P1", Verdict: Rephrase, Statement: "Règles votées."})
		}, Pending, "Le passage illustre le critère car les règles sont votées.", 1, false, 2, 0, 0, 0},
		// Traces recorded before seals existed undid and replaced
		// decisions: they still replay as they were recorded.
		{"an old trace undoes a decision", func(tr *trace) {
			tr.add("v1", anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Reject, Reason: ReasonOther, Note: "hors champ"})
			tr.add("u1", anna, KindActionUndone, UndoData{Target: "v1"})
		}, Pending, "Le passage illustre le critère car les règles sont votées.", 0, false, 1, 0, 0, 0},
		{"an old trace's undo restores the earlier decision", func(tr *trace) {
			tr.add("v1", anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Accept})
			tr.add("v2", anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Reject, Reason: ReasonOffTopic})
			tr.add("u1", anna, KindActionUndone, UndoData{Target: "v2"})
		}, Accepted, "Le passage illustre le critère car les règles sont votées.", 1, false, 1, 0, 0, 0},
		{"comments", func(tr *trace) {
			tr.add("k1", chloe, KindCommentAdded, CommentData{Proposal: "P1", Text: "Et les enfants ?"})
			tr.add("k2", bruno, KindCommentAdded, CommentData{Proposal: "P1", Text: "Oui."})
			tr.add("u1", bruno, KindActionUndone, UndoData{Target: "k2"})
		}, Pending, "Le passage illustre le critère car les règles sont votées.", 0, false, 1, 1, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := sampleTrace(t)
			tt.actions(tr)
			st := replay(t, tr.events)
			p, ok := st.Proposal("P1")
			if !ok {
				t.Fatal("no P1")
			}
			if p.Status != tt.status || p.Final != tt.final || len(p.Votes) != tt.votes || p.Conflict != tt.conflict ||
				len(p.Versions) != tt.versions || len(p.Comments) != tt.comments {
				t.Errorf("got status %s final %q votes %d conflict %v versions %d comments %d", p.Status, p.Final, len(p.Votes), p.Conflict, len(p.Versions), len(p.Comments))
			}
			tally := p.Tally()
			if tally[Accept] != tt.tallyAcc || tally[Reject] != tt.tallyRej {
				t.Errorf("tally %v", tally)
			}
			if got := len(p.History); got != 1+len(tr.events)-6 {
				t.Errorf("history has %d events, want %d", got, 1+len(tr.events)-6)
			}
		})
	}
}

func TestApplyRefuses(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		data any
		id   string
		want string
	}{
		{"unknown proposal", KindVoteCast, VoteData{Proposal: "nope", Verdict: Accept}, "x", `no proposal "nope"`},
		{"reject without reason", KindVoteCast, VoteData{Proposal: "P1", Verdict: Reject}, "x", "rejection reason"},
		{"other without text", KindVoteCast, VoteData{Proposal: "P1", Verdict: Reject, Reason: ReasonOther}, "x", "needs its text"},
		{"rephrase without statement", KindDecisionMade, VoteData{Proposal: "P1", Verdict: Rephrase}, "x", "new statement"},
		{"skip cannot decide", KindDecisionMade, VoteData{Proposal: "P1", Verdict: Skip}, "x", "decides nothing"},
		{"unknown verdict", KindVoteCast, VoteData{Proposal: "P1", Verdict: "maybe"}, "x", "unknown verdict"},
		{"empty comment", KindCommentAdded, CommentData{Proposal: "P1"}, "x", "empty comment"},
		{"undo nothing", KindActionUndone, UndoData{Target: "p1"}, "x", "nothing to undo"},
		{"duplicate id", KindVoteCast, VoteData{Proposal: "P1", Verdict: Accept}, "p1", "already recorded"},
		{"proposal on unknown passage", KindProposalAdded, Proposal{ID: "P9", Document: docSHA, Passage: "zz", Criterion: "C1", Statement: "s"}, "x", `no passage "zz"`},
		{"proposal on unknown criterion", KindProposalAdded, Proposal{ID: "P9", Document: docSHA, Passage: "0123456789ab-p1", Criterion: "C9", Statement: "s"}, "x", `no criterion "C9"`},
		{"confidence out of range", KindProposalAdded, Proposal{ID: "P9", Document: docSHA, Passage: "0123456789ab-p1", Criterion: "C1", Statement: "s", Confidence: 1.5}, "x", "not between 0 and 1"},
		{"unknown kind", "vote.maybe", nil, "x", "unknown kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := replay(t, sampleTrace(t).events)
			before := len(st.Events)
			e := MustEvent("atelier", tt.id, t0, bruno, tt.kind, tt.data)
			if err := st.Check(e); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Check = %v, want an error containing %q", err, tt.want)
			}
			if err := st.Apply(e); err == nil {
				t.Fatal("Apply accepted what Check refused")
			}
			if len(st.Events) != before {
				t.Fatal("a refused event changed the state")
			}
		})
	}
}

func TestUndoOnlyOwnLastAction(t *testing.T) {
	tr := sampleTrace(t)
	tr.add("v1", bruno, KindVoteCast, VoteData{Proposal: "P1", Verdict: Accept})
	tr.add("v2", chloe, KindVoteCast, VoteData{Proposal: "P2", Verdict: Accept})
	tr.add("v3", bruno, KindVoteCast, VoteData{Proposal: "P2", Verdict: Reject, Reason: ReasonTooVague})
	st := replay(t, tr.events)
	if got := st.LastUndoable(bruno); got != "v3" {
		t.Fatalf("bruno's last = %q", got)
	}
	if got := st.LastUndoable(chloe); got != "v2" {
		t.Fatalf("chloé's last = %q", got)
	}
	if got := st.LastUndoable(anna); got != "" {
		t.Fatalf("anna has done nothing, got %q", got)
	}
	if err := st.Apply(MustEvent("atelier", "u1", t0, bruno, KindActionUndone, UndoData{Target: "v3"})); err != nil {
		t.Fatal(err)
	}
	if got := st.LastUndoable(bruno); got != "v1" {
		t.Fatalf("after one undo bruno's last = %q, want v1", got)
	}
	if err := st.Apply(MustEvent("atelier", "u2", t0, bruno, KindActionUndone, UndoData{Target: "v3"})); err == nil {
		t.Fatal("undoing twice was accepted")
	}
}

func TestSnapshotDoesNotMove(t *testing.T) {
	st := replay(t, sampleTrace(t).events)
	snap := st.Snapshot()
	if err := st.Apply(MustEvent("atelier", "v1", t0, anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Accept})); err != nil {
		t.Fatal(err)
	}
	old, _ := snap.Proposal("P1")
	now, _ := st.Proposal("P1")
	if old.Status != Pending || now.Status != Accepted {
		t.Fatalf("snapshot %s, state %s", old.Status, now.Status)
	}
	if len(snap.Events) == len(st.Events) {
		t.Fatal("snapshot trace grew")
	}
}

func TestAuthorize(t *testing.T) {
	tests := []struct {
		role Role
		kind Kind
		ok   bool
	}{
		{Facilitator, KindDecisionMade, true},
		{Participant, KindDecisionMade, false},
		{Participant, KindVoteCast, true},
		{Participant, KindProposalAdded, true},
		{Participant, KindDocumentAdded, false},
		{Spectator, KindVoteCast, false},
		{Spectator, KindCommentAdded, false},
		{Spectator, KindParticipantJoin, true},
		{"", KindVoteCast, false},
	}
	for _, tt := range tests {
		if err := Authorize(tt.role, tt.kind); (err == nil) != tt.ok {
			t.Errorf("Authorize(%q, %s) = %v, want ok=%v", tt.role, tt.kind, err, tt.ok)
		}
	}
}

func TestWordDiff(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"a b c", "a b c", "a b c"},
		{"le jardin est ouvert", "le jardin partagé est ouvert", "le jardin {+partagé+} est ouvert"},
		{"les règles sont votées", "les règles sont discutées puis votées", "les règles sont {+discutées puis+} votées"},
		{"un deux trois", "un quatre trois", "un [-deux-] {+quatre+} trois"},
		{"", "nouveau", "{+nouveau+}"},
		{"ancien", "", "[-ancien-]"},
	}
	for _, tt := range tests {
		if got := WordDiff(tt.a, tt.b); got != tt.want {
			t.Errorf("WordDiff(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

// busyTrace adds a little of everything a live session produces.
func busyTrace(t *testing.T) *trace {
	tr := sampleTrace(t)
	tr.add("j1", bruno, KindParticipantJoin, map[string]string{"terminal": "ssh"})
	tr.add("v1", bruno, KindVoteCast, VoteData{Proposal: "P1", Verdict: Accept, DwellMS: 5300})
	tr.add("v2", chloe, KindVoteCast, VoteData{Proposal: "P1", Verdict: Rephrase, Statement: "Les règles sont votées par tous en assemblée."})
	tr.add("v3", anna, KindDecisionMade, VoteData{Proposal: "P1", Verdict: Rephrase, Statement: "Les règles sont votées par tous en assemblée."})
	tr.add("k1", chloe, KindCommentAdded, CommentData{Proposal: "P2", Text: "La citation n'est pas dans le texte."})
	tr.add("v4", anna, KindDecisionMade, VoteData{Proposal: "P2", Verdict: Reject, Reason: ReasonQuoteInexact})
	tr.add("h1", chloe, KindProposalAdded, Proposal{ID: "H1", Document: docSHA, Passage: "0123456789ab-p2", Criterion: "C2",
		Statement: "Le compost est surveillé chaque mois.", Quote: "chaque mois", QuoteStart: 24, QuoteEnd: 35, Confidence: 1,
		Origin: Origin{Kind: OriginHuman, Name: "chloé"}})
	tr.add("v5", anna, KindDecisionMade, VoteData{Proposal: "H1", Verdict: Accept})
	tr.add("r1", sys, KindProposeRun, ProposeRun{Mode: "model", Model: "qwen3:4b", Started: t0, Finished: t0.Add(time.Minute), Pairs: 4, Calls: 5, PromptTokens: 4000, OutputTokens: 300, ModelNanos: 9e9, EnergyWh: 0.25})
	tr.add("l1", bruno, KindParticipantLeft, map[string]string{"terminal": "ssh"})
	return tr
}

func export(t *testing.T, events []Event, format string, pseudo bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Export(&buf, events, format, pseudo); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestExportReplayExport checks the invariant researchers rely on: the trace
// in an export is enough to rebuild the very same export.
func TestExportReplayExport(t *testing.T) {
	events := busyTrace(t).events
	for _, format := range Formats {
		first := export(t, events, format, false)
		if again := export(t, events, format, false); !bytes.Equal(first, again) {
			t.Fatalf("%s: two exports differ", format)
		}
	}
	first := export(t, events, "json", false)
	var doc struct {
		Trace []Event `json:"trace"`
	}
	if err := json.Unmarshal(first, &doc); err != nil {
		t.Fatal(err)
	}
	for i := range doc.Trace {
		doc.Trace[i].Session = "atelier"
	}
	if second := export(t, doc.Trace, "json", false); !bytes.Equal(first, second) {
		t.Fatalf("export → replay → export differs:\n%s\n---\n%s", first, second)
	}
}

func TestExportJSONContent(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(export(t, busyTrace(t).events, "json", false), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["format"] != ExportFormat {
		t.Fatalf("format = %v", doc["format"])
	}
	props := doc["proposals"].([]any)
	want := map[string]string{"P1": "rephrased", "P2": "rejected", "H1": "accepted"}
	for _, p := range props {
		p := p.(map[string]any)
		if want[p["id"].(string)] != p["status"] {
			t.Errorf("%s: status %v", p["id"], p["status"])
		}
		if p["id"] == "P1" {
			if p["final_statement"] != "Les règles sont votées par tous en assemblée." {
				t.Errorf("final %v", p["final_statement"])
			}
			versions := p["versions"].([]any)
			// The facilitator adopting chloé's wording adds no version of its own.
			if len(versions) != 2 || !strings.Contains(versions[1].(map[string]any)["diff"].(string), "{+Les+} règles sont") {
				t.Errorf("versions %v", versions)
			}
		}
	}
	if n := len(doc["trace"].([]any)); n != len(busyTrace(t).events) {
		t.Errorf("trace has %d events", n)
	}
	if c := doc["compute"].(map[string]any); c["calls"].(float64) != 5 {
		t.Errorf("compute %v", c)
	}
}

func TestExportMatchesSchema(t *testing.T) {
	f, err := os.Open("../schema/revue.export.v3.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("revue.export.v3.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("revue.export.v3.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		events []Event
		pseudo bool
	}{
		{"empty session", sampleTrace(t).events[:1], false},
		{"busy session", busyTrace(t).events, false},
		{"pseudonymized", busyTrace(t).events, true},
		{"every kind of event", researchTrace(t).events, false},
		{"every kind, pseudonymized", researchTrace(t).events, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(export(t, tc.events, "json", tc.pseudo)))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(inst); err != nil {
				t.Fatalf("export does not match the schema: %v", err)
			}
		})
	}
	// The schema must be able to say no.
	bad := map[string]any{"format": "revue.export/v0"}
	if err := sch.Validate(bad); err == nil {
		t.Fatal("schema accepted a wrong format")
	}
}

func TestPseudonymize(t *testing.T) {
	out := export(t, busyTrace(t).events, "json", true)
	for _, secret := range []string{"bruno", "chloé", "anna", "SHA256:anna"} {
		if bytes.Contains(out, []byte(secret)) {
			t.Errorf("pseudonymized export still contains %q", secret)
		}
	}
	if !bytes.Contains(out, []byte(`"name": "P1"`)) || !bytes.Contains(out, []byte(`"name": "P3"`)) {
		t.Errorf("pseudonyms missing")
	}
	// Stable: the same trace gives the same pseudonyms.
	if !bytes.Equal(out, export(t, busyTrace(t).events, "json", true)) {
		t.Error("pseudonyms are not stable")
	}
}

func TestExportCSVAndJSONL(t *testing.T) {
	events := busyTrace(t).events
	csvOut := string(export(t, events, "csv", false))
	lines := strings.Split(strings.TrimSpace(csvOut), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "id,document_id,document_title") {
		t.Fatalf("csv:\n%s", csvOut)
	}
	if !strings.Contains(lines[2], "rejected,anna,quote_inexact") {
		t.Errorf("P2 row: %s", lines[2])
	}
	jsonl := strings.Split(strings.TrimSpace(string(export(t, events, "jsonl", false))), "\n")
	if len(jsonl) != len(events) {
		t.Fatalf("jsonl has %d lines for %d events", len(jsonl), len(events))
	}
	for i, l := range jsonl {
		var e Event
		if err := json.Unmarshal([]byte(l), &e); err != nil || e.Seq != int64(i+1) {
			t.Fatalf("line %d: %v %v", i, e.Seq, err)
		}
	}
}

func TestExportUnknownFormat(t *testing.T) {
	err := Export(&bytes.Buffer{}, sampleTrace(t).events, "xml", false)
	if err == nil || !strings.Contains(err.Error(), `"xml"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestReplayRefusesBrokenTrace(t *testing.T) {
	events := sampleTrace(t).events
	_, err := Replay(events[1:])
	if err == nil || !strings.Contains(err.Error(), "not been created") {
		t.Fatalf("err = %v", err)
	}
	if _, err := Replay(append(events, events[4])); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("duplicate: %v", err)
	}
}

// BenchmarkReplay folds a trace of 100,000 events (10,000 proposals and
// 90,000 votes, decisions and comments).
func BenchmarkReplay(b *testing.B) {
	tr := sampleTrace(&testing.T{})
	tr.t = nil
	add := func(id string, a Actor, k Kind, data any) {
		n := len(tr.events) + 1
		e := MustEvent("atelier", id, t0, a, k, data)
		e.Seq = int64(n)
		tr.events = append(tr.events, e)
	}
	for len(tr.events) < 100_000 {
		i := len(tr.events)
		pid := fmt.Sprintf("B%d", i)
		add(pid, sys, KindProposalAdded, Proposal{ID: pid, Document: docSHA, Passage: "0123456789ab-p1", Criterion: "C1", Statement: "s", Confidence: 0.5, Origin: Origin{Kind: OriginLexical, Name: "lexical"}})
		for j := 0; j < 8; j++ {
			add(fmt.Sprintf("%s-v%d", pid, j), Actor{Name: fmt.Sprint("p", j), Role: Participant}, KindVoteCast, VoteData{Proposal: pid, Verdict: Accept})
		}
		add(pid+"-d", anna, KindDecisionMade, VoteData{Proposal: pid, Verdict: Accept})
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Replay(tr.events); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(tr.events)), "events/op")
}

func TestReport(t *testing.T) {
	tr := busyTrace(t)
	tr.add("v6", bruno, KindVoteCast, VoteData{Proposal: "P2", Verdict: Accept, DwellMS: 1000})
	f := Report(replay(t, tr.events))
	if f.Proposals != 3 || f.Accepted != 1 || f.Rejected != 1 || f.Rephrased != 1 || f.Pending != 0 {
		t.Errorf("statuses %+v", f)
	}
	// P1: bruno accept, chloé rephrase → 1 pair, 0 agreeing; anna's
	// rephrasing is her decision, never a vote. P2: bruno alone.
	if f.VoterPairs != 1 || f.AgreedPairs != 0 || f.Votes != 3 || f.Decisions != 3 {
		t.Errorf("agreement %d/%d = %v", f.AgreedPairs, f.VoterPairs, f.Agreement)
	}
	if o := f.ByOrigin[OriginModel]; o.Decided != 1 || o.Kept != 1 || o.Rephrased != 1 {
		t.Errorf("model origin %+v", o)
	}
	if o := f.ByOrigin[OriginLexical]; o.Decided != 1 || o.Kept != 0 {
		t.Errorf("lexical origin %+v", o)
	}
	if f.Reasons[ReasonQuoteInexact] != 1 || f.People != 3 || f.Comments != 1 || f.Calls != 5 || f.Tokens != 4300 {
		t.Errorf("figures %+v", f)
	}
	// R: median(c(5300, 1000)) = 3150.
	if f.DwellP50 != 3150*time.Millisecond || f.DwellN != 2 {
		t.Errorf("dwell p50 %v", f.DwellP50)
	}
}

func TestCSVGuardsFormulas(t *testing.T) {
	tr := sampleTrace(t)
	tr.add("h1", chloe, KindProposalAdded, Proposal{ID: "H1", Document: docSHA, Passage: "0123456789ab-p1", Criterion: "C1",
		Statement: `=HYPERLINK("http://evil","clic")`, Confidence: 1, QuoteStart: -1, QuoteEnd: -1, Origin: Origin{Kind: OriginHuman, Name: "@chloé"}})
	out := string(export(t, tr.events, "csv", false))
	if !strings.Contains(out, `'=HYPERLINK(`) || !strings.Contains(out, ",'@chloé,") {
		t.Fatalf("formula not guarded:\n%s", out)
	}
	if cell("Le jardin") != "Le jardin" || cell("") != "" || cell("-1") != "'-1" {
		t.Error("cell changed plain text")
	}
}
