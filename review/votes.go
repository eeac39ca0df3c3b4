package review

import (
	"bufio"
	"encoding/csv"
	"strconv"
	"time"
)

// VotesHeader is the header of `--format votes`: one row per vote or
// decision (in force, superseded or undone: standing says which) and one
// per exposure interval, with the conditions that person saw under at that
// moment — the table a statistician opens first. docs/codebook.md
// describes every column.
var VotesHeader = []string{
	"row", "seq", "event_id", "person", "fingerprint", "role",
	"proposal", "document", "criterion", "origin", "negative",
	"verdict", "reason", "note", "version", "undone", "in_force", "standing", "edit_chars", "edit_words",
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

// exportVotes writes the votes table, reading the trace in order. The
// standing of each vote and the conditions of each row come from study,
// which read them from the people themselves: a pseudonymised table gives
// everybody the arm they really had.
func exportVotes(w *bufio.Writer, st *State, study *Study) error {
	// Every exposure interval, recorded or derived from the room's moves
	// (Exposures), and the first time each person saw each proposal.
	exposures := Exposures(st.Events)
	firstSeen := map[[2]string]time.Time{}
	for _, r := range exposures {
		k := [2]string{r.Actor.Key(), r.Interval.Proposal}
		if f, ok := firstSeen[k]; !ok || r.Interval.From.Before(f) {
			firstSeen[k] = r.Interval.From
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(VotesHeader); err != nil {
		return err
	}
	b := strconv.FormatBool
	for _, e := range st.Events {
		var row []string
		blind := false
		switch e.Kind {
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
			if e.Kind == KindDecisionMade {
				kind = "decision"
			} else {
				blind = study.Blind(e.Seq)
			}
			standing := study.Standing(e.ID)
			version := v.Version
			if version == 0 && v.Verdict == Rephrase {
				version = p.version(v.Statement)
			}
			editChars, editWords := "", ""
			if v.Verdict == Rephrase {
				statement := v.Statement
				if statement == "" && version > 0 && version <= len(p.Versions) {
					statement = p.Versions[version-1].Statement
				}
				d := EditDistanceOf(p.Statement, statement)
				editChars, editWords = strconv.Itoa(d.Chars), strconv.Itoa(d.Words)
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
				string(v.Verdict), v.Reason, cell(v.Note), strconv.Itoa(version), b(standing == Undone),
				b(standing == InForce), string(standing), editChars, editWords,
				csvTime(e.At), "", "", "", "", "", "",
				first, toVote, dwell}
		default:
			// The exposure intervals of this event: its own, or those
			// this move of the room ended.
			for ; len(exposures) > 0 && exposures[0].event == e.ID; exposures = exposures[1:] {
				r := exposures[0]
				x := r.Interval
				p, ok := st.Proposal(x.Proposal)
				if !ok {
					continue
				}
				c := study.ExposureConditions(r)
				row = []string{"exposure", strconv.FormatInt(r.Seq, 10), r.EventID, cell(r.Actor.Name), cell(r.Actor.Fingerprint), string(r.Actor.Role),
					p.ID, p.Document, p.Criterion, p.Origin.Kind, b(p.Negative),
					"", "", "", "", "", "", "", "", "",
					csvTime(r.At), csvTime(x.From), csvTime(x.To), strconv.FormatInt(x.To.Sub(x.From).Milliseconds(), 10), x.State, x.End, b(x.Following),
					csvTime(firstSeen[[2]string{r.Actor.Key(), x.Proposal}]), "", "",
					b(c.Blind && !study.Facilitator(r.Actor)), b(c.HideOrigin), b(c.HideConfidence), b(c.HideRationale)}
				if err := cw.Write(row); err != nil {
					return err
				}
			}
			continue
		}
		c := study.ConditionsAt(e.Seq)
		row = append(row, b(blind), b(c.HideOrigin), b(c.HideConfidence), b(c.HideRationale))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
