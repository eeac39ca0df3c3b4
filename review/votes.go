package review

import (
	"bufio"
	"encoding/csv"
	"strconv"
	"time"
)

// VotesHeader is the header of `--format votes`: one row per vote or
// decision (in force or undone) and one per exposure interval, with the
// conditions that person saw under at that moment — the table a
// statistician opens first. docs/codebook.md describes every column.
var VotesHeader = []string{
	"row", "seq", "event_id", "person", "fingerprint", "role",
	"proposal", "document", "criterion", "origin", "negative",
	"verdict", "reason", "note", "version", "undone", "in_force",
	"at", "from", "to", "duration_ms", "exposure_state", "exposure_end", "following",
	"first_seen", "first_seen_to_vote_ms", "dwell_ms",
	"blind", "hide_origin", "hide_confidence", "hide_rationale",
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// exportVotes writes the votes table, reading the trace in order so that
// the conditions of each row are those in force when it happened.
func exportVotes(w *bufio.Writer, st *State) error {
	// First time each person saw each proposal, from the exposures.
	firstSeen := map[[2]string]time.Time{}
	undone := map[string]bool{}
	for _, e := range st.Events {
		if e.Kind == KindActionUndone {
			var u UndoData
			if e.Decode(&u) == nil {
				undone[u.Target] = true
			}
		}
	}
	// Each person's last vote not undone, per proposal: the one in force.
	last := map[[2]string]string{}
	for _, e := range st.Events {
		switch e.Kind {
		case KindVoteCast, KindDecisionMade:
			var v VoteData
			if !undone[e.ID] && e.Decode(&v) == nil {
				last[[2]string{e.Actor.Key() + "\x00" + string(e.Kind), v.Proposal}] = e.ID
			}
		case KindExposure:
			var x Exposure
			if e.Decode(&x) != nil {
				continue
			}
			k := [2]string{e.Actor.Key(), x.Proposal}
			if f, ok := firstSeen[k]; !ok || x.From.Before(f) {
				firstSeen[k] = x.From
			}
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(VotesHeader); err != nil {
		return err
	}
	cond := &State{}
	b := strconv.FormatBool
	for _, e := range st.Events {
		var row []string
		switch e.Kind {
		case KindConditionsSet:
			var c Conditions
			if e.Decode(&c) == nil {
				cond.Conditions = c
			}
			continue
		case KindVoteCast, KindDecisionMade:
			var v VoteData
			if e.Decode(&v) != nil {
				continue
			}
			p, ok := st.Proposal(v.Proposal)
			if !ok {
				continue
			}
			kind := "vote"
			inForce := last[[2]string{e.Actor.Key() + "\x00" + string(e.Kind), v.Proposal}] == e.ID
			if e.Kind == KindDecisionMade {
				// A decision is in force until a reopening lifts it.
				kind, inForce = "decision", p.Decision != nil && p.Decision.EventID == e.ID
			}
			version := v.Version
			if version == 0 && v.Verdict == Rephrase {
				version = p.version(v.Statement)
			}
			first, toVote := "", ""
			if f, ok := firstSeen[[2]string{e.Actor.Key(), v.Proposal}]; ok {
				first = csvTime(f)
				if !e.At.Before(f) {
					toVote = strconv.FormatInt(e.At.Sub(f).Milliseconds(), 10)
				}
			}
			dwell := ""
			if v.DwellMS > 0 {
				dwell = strconv.FormatInt(v.DwellMS, 10)
			}
			row = []string{kind, strconv.FormatInt(e.Seq, 10), e.ID, cell(e.Actor.Name), cell(e.Actor.Fingerprint), string(e.Actor.Role),
				p.ID, p.Document, p.Criterion, p.Origin.Kind, b(p.Negative),
				string(v.Verdict), v.Reason, cell(v.Note), strconv.Itoa(version), b(undone[e.ID]),
				b(inForce),
				csvTime(e.At), "", "", "", "", "", "",
				first, toVote, dwell}
		case KindExposure:
			var x Exposure
			if e.Decode(&x) != nil {
				continue
			}
			p, ok := st.Proposal(x.Proposal)
			if !ok {
				continue
			}
			row = []string{"exposure", strconv.FormatInt(e.Seq, 10), e.ID, cell(e.Actor.Name), cell(e.Actor.Fingerprint), string(e.Actor.Role),
				p.ID, p.Document, p.Criterion, p.Origin.Kind, b(p.Negative),
				"", "", "", "", "", "",
				csvTime(e.At), csvTime(x.From), csvTime(x.To), strconv.FormatInt(x.To.Sub(x.From).Milliseconds(), 10), x.State, x.End, b(x.Following),
				csvTime(firstSeen[[2]string{e.Actor.Key(), x.Proposal}]), "", ""}
		default:
			continue
		}
		c := cond.ConditionsFor(e.Actor)
		row = append(row, b(c.Blind), b(c.HideOrigin), b(c.HideConfidence), b(c.HideRationale))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
