package review

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestPseudonymText(t *testing.T) {
	tr := busyTrace(t)
	tr.add("j-am", Actor{Name: "Anne Marie", Role: Participant}, KindParticipantJoin, map[string]string{})
	tr.add("j-an", Actor{Name: "anne", Role: Participant}, KindParticipantJoin, map[string]string{})
	p := newPseudonyms(tr.events, nil)
	// anna P1? Order of first appearance: bruno (j1), chloé, anna, Anne Marie, anne.
	for _, tc := range []struct{ in, want string }{
		{"Bruno a raison", "P1 a raison"},
		{"comme dit CHLOÉ, et chloé aussi", "comme dit P2, et P2 aussi"},
		{"Chloe sans accent n'est pas chloé", "Chloe sans accent n'est pas P2"},
		{"Annabelle et anna", "Annabelle et P3"},
		{"Anne Marie, puis Anne", "P4, puis P5"},
		{"l'avis d'anna.", "l'avis d'P3."},
		{"brunoise", "brunoise"},
		{"", ""},
	} {
		if got := p.text(tc.in); got != tc.want {
			t.Errorf("text(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
	if fileName("/home/anna/pads/jardin.md") != "jardin.md" || fileName(`C:\Users\anna\x.txt`) != "x.txt" || fileName("x.md") != "x.md" {
		t.Error("fileName")
	}
}

// TestPseudonymizeEveryFormat checks that no real name, fingerprint or
// absolute path is left in any pseudonymised format.
func TestPseudonymizeEveryFormat(t *testing.T) {
	tr := busyTrace(t)
	tr.add("k9", bruno, KindCommentAdded, CommentData{Proposal: "P1", Text: "Je suis d'accord avec Anna et chloé."})
	tr.add("v9", bruno, KindVoteCast, VoteData{Proposal: "P2", Verdict: Reject, Reason: ReasonOther, Note: "Bruno pense que non"})
	events := tr.events
	events[1] = withSource(t, events[1], "/home/anna/revue/jardin.md")
	for _, format := range Formats {
		out := export(t, events, format, true)
		if format == "qdpx" {
			out = qdpxText(t, out)
		}
		for _, secret := range []string{"bruno", "Bruno", "chloé", "anna", "Anna", "SHA256:anna", "/home/"} {
			if bytes.Contains(out, []byte(secret)) {
				i := bytes.Index(out, []byte(secret))
				t.Errorf("%s: pseudonymised export still contains %q: …%s…", format, secret, out[max(0, i-60):min(len(out), i+60)])
			}
		}
	}
}

func withSource(t *testing.T, e Event, source string) Event {
	var d Document
	if err := e.Decode(&d); err != nil {
		t.Fatal(err)
	}
	d.Source = source
	n := MustEvent(e.Session, e.ID, e.At, e.Actor, e.Kind, d)
	n.Seq = e.Seq
	if !strings.Contains(string(n.Data), source) {
		t.Fatal("source not set")
	}
	return n
}

func TestForgetEventAndPeopleNamed(t *testing.T) {
	st := replay(t, busyTrace(t).events)
	if got := PeopleNamed(st, "anna"); len(got) != 1 || got[0].Fingerprint != "SHA256:anna" {
		t.Errorf("PeopleNamed(anna) = %v", got)
	}
	if got := PeopleNamed(st, "zoé"); len(got) != 0 {
		t.Errorf("PeopleNamed(zoé) = %v", got)
	}
	tr := busyTrace(t)
	e := ForgetEvent("atelier", "bruno", "", t0.Add(time.Hour))
	e.Seq = int64(len(tr.events) + 1)
	st = replay(t, append(tr.events, e))
	if !st.IsForgotten(bruno) || st.IsForgotten(chloe) || e.Actor.Role != System {
		t.Errorf("forgotten %v", st.Forgotten)
	}
	if e2 := ForgetEvent("atelier", "bruno", "", t0.Add(time.Hour)); e2.ID != e.ID {
		t.Error("the same withdrawal at the same time must have the same id")
	}
}

// TestReplaceSource checks the byte-level rewrite of a document's path
// against decoding and encoding it whole, with a path that JSON escapes.
func TestReplaceSource(t *testing.T) {
	d := Document{ID: docSHA, Title: "T", Source: `/home/anna/<docs> & "x"/pad.md`, SHA256: docSHA, Format: "markdown",
		Passages: []Passage{{ID: "p", Document: docSHA, Index: 1, Text: `"source":"/home/anna/<docs> & \"x\"/pad.md"`, End: 10}}}
	raw, _ := json.Marshal(d)
	got, ok := replaceSource(raw)
	want := d
	want.Source = "pad.md"
	wantRaw, _ := json.Marshal(want)
	if !ok || !bytes.Equal(got, wantRaw) {
		t.Errorf("replaceSource:\n%s\nwant\n%s", got, wantRaw)
	}
	if _, ok := replaceSource(wantRaw); ok {
		t.Error("a file name alone was rewritten")
	}
	spaced := bytes.ReplaceAll(raw, []byte(`"source":`), []byte(`"source": `))
	if got, ok := replaceSource(spaced); !ok || !bytes.Equal(got, wantRaw) {
		t.Errorf("fallback: %s", got)
	}
}
