package session_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/store"
)

// The study of issue 8, scripted through real SSH connections: a consent
// text and conditions set before anybody joins (as `revue init --consent`
// does), a facilitator, three participants who agree, one who declines, a
// spectator, blind voting with origin and confidence hidden at random, a
// rephrasing sealed after the reveal, and a withdrawal (as `revue forget`
// does). The export then answers each question of a study with one short
// query. Nothing waits on a clock: every step waits for a screen or for
// the trace.

const studyConsent = "Vos votes servent à une étude ; vous pouvez vous retirer à tout moment."

// waitTrace waits until the stored trace of "jardin" satisfies ok, woken by
// the hub's signals (exposures signal the subscribers that watch all), and
// returns it.
func (w *world) waitTrace(t *testing.T, what string, ok func([]review.Event) bool) []review.Event {
	t.Helper()
	h, err := w.reg.Open(context.Background(), "jardin")
	if err != nil {
		t.Fatal(err)
	}
	sub := h.Subscribe()
	defer sub.Close()
	timer := time.NewTimer(waitLimit)
	defer timer.Stop()
	// Exposures wake no screen (they change nothing on one): the trace is
	// read again at every revision and every few milliseconds.
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		events := w.events(t, "jardin")
		if ok(events) {
			return events
		}
		select {
		case <-sub.C:
		case <-tick.C:
		case <-timer.C:
			t.Fatalf("%v passed before the trace held %s", waitLimit, what)
		}
	}
}

// exposed reports whether every one of people has a closed exposure
// interval on each of proposals in events.
func exposed(events []review.Event, people []string, proposals ...string) bool {
	seen := map[[2]string]bool{}
	// Recorded or derived from the room's moves (review.Exposures).
	for _, r := range review.Exposures(events) {
		seen[[2]string{r.Actor.Name, r.Interval.Proposal}] = true
	}
	for _, who := range people {
		for _, p := range proposals {
			if !seen[[2]string{who, p}] {
				return false
			}
		}
	}
	return true
}

// csvRows reads a CSV export as one map per row, by header.
func csvRows(t *testing.T, b []byte) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("read the CSV export: %v", err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		rows = append(rows, m)
	}
	return rows
}

// pick keeps the rows whose columns have the values given in pairs.
func pick(rows []map[string]string, pairs ...string) []map[string]string {
	var out []map[string]string
	for _, r := range rows {
		ok := true
		for i := 0; i < len(pairs); i += 2 {
			ok = ok && r[pairs[i]] == pairs[i+1]
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

// editDistance is the Levenshtein distance between two texts, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

func TestStudyScriptedOverSSH(t *testing.T) {
	w := newWorld(t, "", "jardin")
	sys := review.Actor{Name: "revue", Role: review.System}
	at := time.Date(2026, 11, 29, 9, 30, 0, 0, time.UTC)
	cond := review.Conditions{Blind: true, Random: &review.Random{Seed: 7, Factors: []string{review.FactorOrigin, review.FactorConfidence}}}
	if _, err := w.store.Append(context.Background(),
		review.MustEvent("jardin", "consent-study", at, sys, review.KindConsentSet, review.ConsentText{Text: studyConsent}),
		review.MustEvent("jardin", "conditions-study", at, sys, review.KindConditionsSet, cond),
	); err != nil {
		t.Fatal(err)
	}

	fac := newKey(t)
	cfg := tuiConfig(w)
	cfg.Facilitators = writeKeys(t, fac.AuthorizedKey())
	srv := serve(t, cfg)
	anouk := dial(t, srv, clientConfig(srv, "anouk", gossh.PublicKeys(fac.Signer())), termOpts{command: "jardin"})
	anouk.waitText("anouk", "│ 1/3")
	join := func(name, command string) *term {
		return dial(t, srv, clientConfig(srv, name, passcode(new(int), "")), termOpts{command: command})
	}
	agreeing := []string{"bruno", "chloe", "dorothee"}
	people := map[string]*term{}
	for _, name := range agreeing {
		tm := join(name, "jardin")
		tm.waitText("Before we start: your consent", "Vos votes servent")
		tm.press("a")
		tm.waitText("Thank you: your agreement is recorded.", "│ 1/3")
		people[name] = tm
	}
	zelie := join("zelie", "jardin")
	zelie.waitText("Before we start: your consent")
	zelie.press("n")
	zelie.waitText("You declined")
	projo := join("projecteur", "jardin --watch")
	projo.waitText("link 1 of 3") // a spectator's screen is the wall

	// L1, blind: bruno accepts, chloe rejects as too vague, dorothee
	// rephrases.
	bruno, chloe, dorothee := people["bruno"], people["chloe"], people["dorothee"]
	bruno.press("a")
	bruno.waitText("Vote recorded: accept.")
	chloe.press("r")
	chloe.waitText("Why reject this link?")
	chloe.press("3\r") // too vague
	chloe.waitText("Vote recorded: reject.")
	dorothee.press("e")
	dorothee.waitText("Rephrase the link")
	dorothee.press(" Tout le jardin.\x13") // ctrl+s saves
	dorothee.waitText("Vote recorded: rephrase.")
	anouk.waitText("bruno ✓", "chloe ✗")
	// Blind: until the reveal, a participant's terminal never received
	// another's verdict.
	for _, leak := range []string{"chloe ✗", "too vague"} {
		if bytes.Contains(bruno.rawBytes(), []byte(leak)) {
			t.Errorf("bruno's terminal received %q before the reveal", leak)
		}
	}
	anouk.press("R")
	bruno.waitText("chloe ✗", "anouk (facilitator) revealed this link's votes.")
	anouk.waitText("version 2 · dorothee")
	anouk.press("v")
	anouk.waitText("Seal a wording")
	anouk.press("\r")
	anouk.waitText("Link sealed with the version 2 · dorothee.")
	anouk.press("j")
	for _, tm := range []*term{bruno, chloe, dorothee} {
		tm.waitText("│ 2/3")
	}
	// Who declined watches the wall, as the spectator does.
	zelie.waitText("link 2 of 3")
	projo.waitText("link 2 of 3")
	// L2: everybody who agreed accepts; then help covers the link, which
	// closes every exposure interval of L2.
	for _, tm := range []*term{bruno, chloe, dorothee} {
		tm.press("a")
	}
	anouk.waitText("bruno ✓", "chloe ✓", "dorothee ✓")
	for _, tm := range []*term{bruno, chloe, dorothee} {
		tm.press("?")
		tm.waitText("Your choices are votes")
	}
	w.waitTrace(t, "the exposures of L1 and L2", func(events []review.Event) bool {
		return exposed(events, agreeing, "L1", "L2")
	})

	exportOf := func(events []review.Event, format string, pseudo bool) []byte {
		var b bytes.Buffer
		if err := review.Export(&b, events, format, pseudo); err != nil {
			t.Fatalf("export %s (pseudonymised %v): %v", format, pseudo, err)
		}
		return b.Bytes()
	}
	// The pseudonymised votes table before anybody withdraws.
	pseudoBefore := csvRows(t, exportOf(w.events(t, "jardin"), "votes", true))

	// chloe leaves: her last screen gives the session's receipt, which the
	// stored trace verifies against, her departure included.
	chloe.press("q")
	chloe.waitEnd()
	m := regexp.MustCompile(`Session receipt: ([0-9A-F-]{19}), (\d+) events`).FindStringSubmatch(chloe.stderrText())
	if m == nil {
		t.Fatalf("chloe's last screen has no receipt: %q", chloe.stderrText())
	}
	n, _ := strconv.ParseInt(m[2], 10, 64)
	left := w.events(t, "jardin")
	if last := left[len(left)-1]; last.Kind != review.KindParticipantLeft || last.Actor.Name != "chloe" || last.Seq != n || review.ReceiptCode("jardin", n, last.Hash) != m[1] {
		t.Fatalf("receipt %s/%d; the trace ends with %s by %s (seq %d)", m[1], n, last.Kind, last.Actor.Name, last.Seq)
	}
	if f, err := w.store.Check(context.Background(), "jardin", store.Anchor{Session: "jardin", Code: m[1], Seq: n}, nil); err != nil || len(f) != 0 {
		t.Fatalf("the trace against chloe's receipt: %v %v", f, err)
	}

	// bruno withdraws, as `revue forget jardin --person bruno` records it.
	if _, err := w.store.Append(context.Background(), review.ForgetEvent("jardin", "bruno", "", time.Now())); err != nil {
		t.Fatal(err)
	}
	events := w.events(t, "jardin")
	export := func(format string, pseudo bool) []byte { return exportOf(events, format, pseudo) }
	rows := csvRows(t, export("votes", false))
	votes := pick(rows, "row", "vote", "in_force", "true")
	seen := pick(rows, "row", "exposure")
	var doc struct {
		Session struct {
			Conditions review.Conditions `json:"conditions"`
			Consent    struct {
				Answers []struct {
					Person review.Actor `json:"person"`
					Agreed bool         `json:"agreed"`
				} `json:"answers"`
			} `json:"consent"`
		} `json:"session"`
		Proposals []struct {
			ID       string `json:"id"`
			Final    string `json:"final_statement"`
			Versions []struct {
				Statement string `json:"statement"`
			} `json:"versions"`
		} `json:"proposals"`
		Withdrawals []review.Withdrawal `json:"withdrawals"`
	}
	if err := json.Unmarshal(export("json", false), &doc); err != nil {
		t.Fatal(err)
	}

	// Acceptance per person, with the proposals they saw as denominators.
	for _, who := range []string{"chloe", "dorothee"} {
		var props []string
		for _, r := range pick(seen, "person", who) {
			props = append(props, r["proposal"])
		}
		slices.Sort(props)
		got := [2]int{len(pick(votes, "person", who, "verdict", "accept")), len(slices.Compact(props))}
		if got != [2]int{1, 2} {
			t.Errorf("%s accepted %d of the %d proposals seen; want 1 of 2", who, got[0], got[1])
		}
	}
	// Reasons counted.
	reasons := map[string]int{}
	for _, r := range pick(votes, "verdict", "reject") {
		reasons[r["reason"]]++
	}
	if len(reasons) != 1 || reasons[review.ReasonTooVague] != 1 {
		t.Errorf("rejection reasons %v, want chloe's one too_vague", reasons)
	}
	// The time from first seen to vote, median per person who voted.
	for _, who := range []string{"chloe", "dorothee"} {
		var ms []int
		for _, r := range pick(votes, "person", who) {
			n, err := strconv.Atoi(r["first_seen_to_vote_ms"])
			if err != nil {
				t.Fatalf("%s's vote on %s has no first-seen-to-vote time: %q", who, r["proposal"], r["first_seen_to_vote_ms"])
			}
			ms = append(ms, n)
		}
		slices.Sort(ms)
		if len(ms) != 2 || ms[len(ms)/2] < 0 {
			t.Errorf("%s's first-seen-to-vote times %v", who, ms)
		}
	}
	// The rewording's edit distance from the AI's text, and the seal
	// chose it.
	for _, p := range doc.Proposals {
		if p.ID != "L1" {
			continue
		}
		if len(p.Versions) != 2 || editDistance(p.Versions[0].Statement, p.Versions[1].Statement) != len([]rune(" Tout le jardin.")) || p.Final != p.Versions[1].Statement {
			t.Errorf("L1's versions %+v, final %q", p.Versions, p.Final)
		}
	}
	// The conditions of each vote are in its row: blind, and the arms
	// drawn for that person.
	st, err := review.Replay(events)
	if err != nil {
		t.Fatal(err)
	}
	arms := map[string]bool{}
	for _, r := range append(pick(rows, "row", "vote"), pick(rows, "row", "decision")...) {
		c := st.ConditionsFor(review.Actor{Name: r["person"], Fingerprint: r["fingerprint"]})
		got := r["blind"] + r["hide_origin"] + r["hide_confidence"]
		// Every participant's vote here was cast before its link's
		// reveal: blind. The facilitator's seal never is.
		blind := r["row"] == "vote" && r["role"] != "facilitator"
		if want := strconv.FormatBool(blind) + strconv.FormatBool(c.HideOrigin) + strconv.FormatBool(c.HideConfidence); got != want {
			t.Errorf("%s's %s on %s: conditions %s, want %s", r["person"], r["row"], r["proposal"], got, want)
		}
		arms[r["hide_origin"]+r["hide_confidence"]] = true
	}
	// The pseudonymised votes table gives everybody the arm the plain one
	// does, joined through the session's pseudonym map (held here, in no
	// export).
	names := review.PseudonymMap(events)
	pseudoRows := csvRows(t, export("votes", true))
	if len(pseudoRows) != len(rows) {
		t.Fatalf("%d rows pseudonymised, %d plain", len(pseudoRows), len(rows))
	}
	for i, r := range rows {
		q := pseudoRows[i]
		alias := names[r["person"]+"\x00"+r["fingerprint"]]
		if alias == "" || q["person"] != alias || q["event_id"] != r["event_id"] {
			t.Fatalf("row %d: %s is %q pseudonymised, the map says %q", i, r["person"], q["person"], alias)
		}
		for _, c := range []string{"blind", "hide_origin", "hide_confidence", "hide_rationale", "standing"} {
			if q[c] != r[c] {
				t.Errorf("row %d (%s's %s on %s): %s %s plain, %s pseudonymised", i, r["person"], r["row"], r["proposal"], c, r[c], q[c])
			}
		}
	}
	// Pseudonyms before and after bruno's withdrawal are the same for
	// everybody who stayed, and bruno's is given to nobody.
	before := map[string]string{} // event → pseudonym
	for _, r := range pseudoBefore {
		before[r["event_id"]] = r["person"]
	}
	for _, q := range pseudoRows {
		if p, ok := before[q["event_id"]]; !ok || p != q["person"] {
			t.Errorf("event %s: %q before the withdrawal, %q after", q["event_id"], p, q["person"])
		}
		if q["person"] == names["bruno\x00"] {
			t.Errorf("bruno's pseudonym %s names someone after his withdrawal", q["person"])
		}
	}
	// Votes in force counted three ways: votes[] in the JSON, the votes
	// table, the report.
	var full struct {
		Proposals []struct {
			Votes []struct {
				Standing review.Standing `json:"standing"`
				Actor    review.Actor    `json:"actor"`
			} `json:"votes"`
		} `json:"proposals"`
	}
	if err := json.Unmarshal(export("json", false), &full); err != nil {
		t.Fatal(err)
	}
	inForce := 0
	for _, p := range full.Proposals {
		for _, v := range p.Votes {
			if v.Standing == review.InForce && v.Actor.Role != review.Facilitator {
				inForce++
			}
		}
	}
	fromTable := 0
	for _, r := range votes {
		if r["role"] != "facilitator" {
			fromTable++
		}
	}
	f, err := review.ReportTrace(events)
	if err != nil {
		t.Fatal(err)
	}
	if inForce == 0 || inForce != fromTable || inForce != f.Votes {
		t.Errorf("votes in force: %d in votes[], %d in the votes table, %d in the report", inForce, fromTable, f.Votes)
	}
	if c := doc.Session.Conditions; !c.Blind || c.Random == nil || c.Random.Seed != 7 {
		t.Errorf("the session's conditions %+v", c)
	}
	// With seed 7, chloe and dorothee share an arm; the facilitator's
	// depends on her key, new at each run: the equality above is the check.
	t.Logf("arms drawn among the votes and decisions: %d", len(arms))
	// The decliner and the spectator left nothing but their coming: no
	// vote, no exposure; the decliner's answer is kept.
	for _, who := range []string{"zelie", "projecteur"} {
		if r := pick(rows, "person", who); len(r) != 0 {
			t.Errorf("%s has %d rows in the votes table", who, len(r))
		}
	}
	var answers []string
	for _, a := range doc.Session.Consent.Answers {
		answers = append(answers, a.Person.Name+"="+strconv.FormatBool(a.Agreed))
	}
	if strings.Join(answers, " ") != "chloe=true dorothee=true zelie=false" {
		t.Errorf("consent answers %v", answers)
	}
	// The withdrawal is counted, never named; nothing of bruno in any
	// format, and no real name or key in a pseudonymised one.
	if len(doc.Withdrawals) != 1 || doc.Withdrawals[0].Person != "W1" || doc.Withdrawals[0].Removed[review.KindVoteCast] != 2 {
		t.Errorf("withdrawals %+v", doc.Withdrawals)
	}
	fp := ""
	for _, e := range events {
		if e.Actor.Name == "anouk" && e.Actor.Fingerprint != "" {
			fp = e.Actor.Fingerprint
		}
	}
	if fp == "" {
		t.Fatal("the facilitator's key is not in the trace")
	}
	for _, format := range []string{"json", "votes", "csv", "jsonl", "annotations"} {
		for _, pseudo := range []bool{false, true} {
			out := strings.ToLower(string(export(format, pseudo)))
			if !pseudo && !strings.Contains(out, "anouk") {
				t.Errorf("%s does not name anouk, who sealed L1: the search below would prove nothing", format)
			}
			secrets := []string{"bruno"}
			if pseudo {
				secrets = append(secrets, "anouk", "chloe", "dorothee", "zelie", "projecteur", strings.ToLower(fp))
			}
			for _, s := range secrets {
				if i := strings.Index(out, s); i >= 0 {
					t.Errorf("%s (pseudonymised %v) holds %q: …%s…", format, pseudo, s, out[max(0, i-60):min(len(out), i+60)])
				}
			}
		}
	}
}
