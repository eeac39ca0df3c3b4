package review

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"testing"
)

func csvRows(t *testing.T, b []byte) []row {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
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

// TestPseudonymisedArmsAreThePlainOnes joins the plain and the
// pseudonymised votes tables through the session's pseudonym map: every
// row must give the same person the same arm (the issue found 583 of 1,199
// rows where the arm was drawn again from the pseudonym).
func TestPseudonymisedArmsAreThePlainOnes(t *testing.T) {
	events := researchTrace(t).events
	plain := csvRows(t, export(t, events, "votes", false))
	pseudo := csvRows(t, export(t, events, "votes", true))
	if len(plain) != len(pseudo) || len(plain) == 0 {
		t.Fatalf("%d plain rows, %d pseudonymised", len(plain), len(pseudo))
	}
	names := PseudonymMap(events)
	differ := 0
	for i, p := range plain {
		q := pseudo[i]
		if want := names[p["person"]+"\x00"+p["fingerprint"]]; q["person"] != want || q["event_id"] != p["event_id"] {
			t.Fatalf("row %d: %s is %s in the pseudonymised table, the map says %s", i, p["person"], q["person"], want)
		}
		for _, c := range []string{"blind", "hide_origin", "hide_confidence", "hide_rationale", "standing", "in_force"} {
			if p[c] != q[c] {
				t.Errorf("row %d (%s, %s): %s is %s plain, %s pseudonymised", i, p["event_id"], p["person"], c, p[c], q[c])
			}
		}
		if p["hide_origin"] != p["hide_confidence"] {
			differ++
		}
	}
	if differ == 0 {
		t.Error("every row has origin and confidence in the same arm: the random draw is not exercised")
	}
}

// TestPseudonymsHoldAcrossWithdrawal exports a session before and after a
// second person withdraws: everybody who stayed keeps their pseudonym, and
// the withdrawn one's is not given to anybody.
func TestPseudonymsHoldAcrossWithdrawal(t *testing.T) {
	tr := researchTrace(t)
	before := pseudonymsIn(t, export(t, tr.events, "json", true))
	tr.add("forget-bruno", sys, KindPersonForgotten, Forget{Name: "bruno"})
	after := pseudonymsIn(t, export(t, tr.events, "json", true))
	brunoAlias := PseudonymMap(tr.events)[rBruno.Key()]
	if brunoAlias == "" || !before[brunoAlias] {
		t.Fatalf("bruno's pseudonym %q is not in the first export %v", brunoAlias, before)
	}
	if after[brunoAlias] {
		t.Errorf("%s (bruno, withdrawn) still appears, or was given to someone else: %v", brunoAlias, after)
	}
	for alias := range after {
		if !before[alias] {
			t.Errorf("pseudonym %s appears only after the withdrawal: numbers moved (%v → %v)", alias, before, after)
		}
	}
	for _, who := range []Actor{rAnna, rChloe} {
		alias := PseudonymMap(tr.events)[who.Key()]
		if !before[alias] || !after[alias] {
			t.Errorf("%s is %s, missing before (%v) or after (%v)", who.Name, alias, before, after)
		}
	}
}

// pseudonymsIn lists the people named in an export's votes and trace.
func pseudonymsIn(t *testing.T, b []byte) map[string]bool {
	t.Helper()
	var doc struct {
		Trace []struct {
			Actor Actor `json:"actor"`
		} `json:"trace"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, e := range doc.Trace {
		if e.Actor.Role != System && len(e.Actor.Name) > 1 && e.Actor.Name[0] == 'P' {
			out[e.Actor.Name] = true
		}
	}
	return out
}

// TestVotesInForceAgree counts the votes in force three ways: from the
// JSON's votes[] marked in_force, from the votes table, and from the
// report. They must agree, and decisions never count as votes.
func TestVotesInForceAgree(t *testing.T) {
	tr := researchTrace(t)
	tr.add("again-1", rChloe, KindVoteCast, VoteData{Proposal: "P3", Verdict: Reject, Reason: ReasonTooVague})
	tr.add("again-2", rChloe, KindVoteCast, VoteData{Proposal: "P3", Verdict: Accept})
	events := tr.events
	var doc struct {
		Proposals []struct {
			Votes []struct {
				Standing Standing `json:"standing"`
				Decides  bool     `json:"decides"`
				Actor    Actor    `json:"actor"`
			} `json:"votes"`
		} `json:"proposals"`
	}
	if err := json.Unmarshal(export(t, events, "json", false), &doc); err != nil {
		t.Fatal(err)
	}
	fromJSON, superseded := 0, 0
	for _, p := range doc.Proposals {
		for _, v := range p.Votes {
			if v.Decides {
				t.Errorf("a decision in votes[]: %+v", v)
			}
			switch v.Standing {
			case InForce:
				if v.Actor.Role != Facilitator {
					fromJSON++
				}
			case Superseded:
				superseded++
			default:
				t.Errorf("votes[] holds a vote of standing %q", v.Standing)
			}
		}
	}
	fromTable := 0
	for _, r := range csvRows(t, export(t, events, "votes", false)) {
		if r["row"] == "vote" && r["standing"] == "in_force" && r["role"] != "facilitator" {
			fromTable++
		}
	}
	f, err := ReportTrace(events)
	if err != nil {
		t.Fatal(err)
	}
	if fromJSON == 0 || fromJSON != fromTable || fromJSON != f.Votes {
		t.Errorf("votes in force: %d in the JSON, %d in the table, %d in the report", fromJSON, fromTable, f.Votes)
	}
	if superseded == 0 {
		t.Error("the research session has no superseded vote: the standing is not exercised")
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b         string
		chars, words int
	}{
		{"", "", 0, 0},
		{"abc", "abc", 0, 0},
		{"kitten", "sitting", 3, 1},
		{"Chloé vote", "Chloe vote", 1, 1},
		{"les règles sont votées", "les règles sont votées par tous", 9, 2},
	} {
		if d := EditDistanceOf(c.a, c.b); d.Chars != c.chars || d.Words != c.words {
			t.Errorf("%q → %q: %+v, want %d chars, %d words", c.a, c.b, d, c.chars, c.words)
		}
	}
}
