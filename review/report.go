package review

import (
	"slices"
	"time"
)

// Figures are the numbers `revue report` shows of a session: how far the
// group got, how much people agreed, how much of the AI they kept, how long
// they thought, and what the computing cost.
type Figures struct {
	Proposals, Pending, Accepted, Rejected, Rephrased int
	Conflicts                                         int
	// Agreement is the share of voter pairs that agree, over the proposals
	// with at least two non-skip votes in force (pairwise percent agreement).
	Agreement   float64
	AgreedPairs int
	VoterPairs  int
	// ByOrigin counts decided proposals and kept ones (accepted or
	// rephrased) per origin kind: how much of the AI the group took up.
	ByOrigin  map[string]OriginFigures
	Reasons   map[string]int // rejection reasons of the decisions
	People    int            // distinct people who voted, decided or commented
	Votes     int
	Comments  int
	DwellP50  time.Duration // median time on screen before a vote
	DwellP90  time.Duration
	Duration  time.Duration // from the first to the last human action
	Runs      int
	Calls     int
	Tokens    int64
	ModelTime time.Duration
	EnergyWh  float64
	Failures  int
}

// OriginFigures counts the decisions on proposals of one origin.
type OriginFigures struct {
	Proposals, Decided, Kept, Rephrased int
}

// Report computes the figures of a session.
func Report(st *State) Figures {
	f := Figures{ByOrigin: map[string]OriginFigures{}, Reasons: map[string]int{}}
	people := map[string]bool{}
	var dwell []int64
	var first, last time.Time
	for _, p := range st.Proposals {
		f.Proposals++
		o := f.ByOrigin[p.Origin.Kind]
		o.Proposals++
		switch p.Status {
		case Pending:
			f.Pending++
		case Accepted:
			f.Accepted++
			o.Decided++
			o.Kept++
		case Rejected:
			f.Rejected++
			o.Decided++
			if p.Decision != nil {
				f.Reasons[p.Decision.Reason]++
			}
		case Rephrased:
			f.Rephrased++
			o.Decided++
			o.Kept++
			o.Rephrased++
		}
		f.ByOrigin[p.Origin.Kind] = o
		if p.Conflict {
			f.Conflicts++
		}
		var cur []Vote
		for _, v := range p.Current() {
			if v.Verdict != Skip {
				cur = append(cur, v)
			}
		}
		for i := range cur {
			for j := i + 1; j < len(cur); j++ {
				f.VoterPairs++
				if cur[i].Verdict == cur[j].Verdict {
					f.AgreedPairs++
				}
			}
		}
		for _, v := range p.Votes {
			f.Votes++
			people[v.Actor.Key()] = true
			if v.DwellMS > 0 {
				dwell = append(dwell, v.DwellMS)
			}
			first, last = span(first, last, v.At)
		}
		for _, c := range p.Comments {
			f.Comments++
			people[c.Actor.Key()] = true
			first, last = span(first, last, c.At)
		}
	}
	if f.VoterPairs > 0 {
		f.Agreement = float64(f.AgreedPairs) / float64(f.VoterPairs)
	}
	f.People = len(people)
	if !first.IsZero() {
		f.Duration = last.Sub(first)
	}
	if len(dwell) > 0 {
		slices.Sort(dwell)
		f.DwellP50 = time.Duration(dwell[len(dwell)/2]) * time.Millisecond
		f.DwellP90 = time.Duration(dwell[len(dwell)*9/10]) * time.Millisecond
	}
	f.Runs = len(st.Runs)
	var prompt, output, nanos int64
	f.Calls, prompt, output, nanos, f.EnergyWh = st.Compute()
	f.Tokens = prompt + output
	f.ModelTime = time.Duration(nanos)
	f.Failures = len(st.Failures)
	return f
}

func span(first, last, at time.Time) (time.Time, time.Time) {
	if first.IsZero() || at.Before(first) {
		first = at
	}
	if at.After(last) {
		last = at
	}
	return first, last
}
