package review

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
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
	// Sampled negatives are not among them: they are in Negatives, by the
	// origin that answered "no link".
	ByOrigin  map[string]OriginFigures
	Negatives map[string]OriginFigures
	Reasons   map[string]int // rejection reasons of the decisions
	People    int            // distinct people who voted, decided or commented
	// Votes counts the participants' votes in force (Study.Counts);
	// Decisions the facilitator's seals in force. They are never added up.
	Votes     int
	Decisions int
	Comments  int
	// DwellP50 is the median (R's median()) of the time on screen before
	// each vote in force, DwellP90 its 90th percentile (R's quantile(),
	// type 7); DwellN is how many votes they rest on, 0 when undefined.
	DwellP50  time.Duration
	DwellP90  time.Duration
	DwellN    int
	Duration  time.Duration // from the first to the last human action
	Runs      int
	Calls     int
	Tokens    int64
	ModelTime time.Duration
	EnergyWh  float64
	Failures  int

	Session   string
	Documents int
	Criteria  int
	// Energy says how EnergyWh was obtained: measured from the machine's
	// power counter (Linux powercap/RAPL) by every run, or estimated from
	// an assumed power, the hosts and the wall time.
	Energy EnergyFigures

	// Research figures (issue 8): what each person saw and did, per
	// criterion, agreement coefficients and the machine against the group.
	Persons      []PersonFigures
	ByCriterion  []CriterionFigures
	Reliability  AgreementFigures   // the whole session
	PerCriterion []AgreementFigures // one per criterion, in the criteria's order
	HumanAI      []HumanAI          // one per machine origin present (model, lexical)
	Withdrawn    int                // people who withdrew: left out of every figure
}

// EnergyFigures tells a measured energy from an estimate.
type EnergyFigures struct {
	Measured  bool     // every run read a power counter
	Partly    bool     // some runs did, others estimated
	Sources   []string // the counters read ("rapl:…")
	Formulas  []string // the estimates' formulas, as the runs recorded them or rebuilt
	Estimated float64  // the Wh that were estimated rather than measured
}

// FormulasIn gives the estimates' formulas in lang (EnergyFormulaIn).
func (e EnergyFigures) FormulasIn(lang string) []string {
	out := make([]string, len(e.Formulas))
	for i, f := range e.Formulas {
		out[i] = EnergyFormulaIn(lang, f)
	}
	return out
}

// energyFormulaRE reads the formula propose records in the trace, in
// English so that a trace reads the same whoever ran it: "30 W × 2
// machines × wall time (h)", or "machine(s)" in traces written before
// its plural agreed with its number.
var energyFormulaRE = regexp.MustCompile(`^(.*) W × (\d+) machine(?:\(s\)|s)? × wall time \(h\)$`)

// EnergyFormulaIn gives one formula propose recorded in lang, its machines
// counted in words that agree with their number (never "machine(s)"). A
// formula of another shape is left as recorded, but for its French words.
func EnergyFormulaIn(lang, f string) string {
	m := energyFormulaRE.FindStringSubmatch(f)
	if m == nil {
		if lang == "fr" {
			return strings.ReplaceAll(f, "wall time (h)", "durée (h)")
		}
		return f
	}
	n, err := strconv.Atoi(m[2])
	if err != nil {
		return f
	}
	machines := FormatCount(lang, n, "machine", "machines", "machine", "machines")
	if lang == "fr" {
		return m[1] + " W × " + machines + " × durée (h)"
	}
	return m[1] + " W × " + machines + " × wall time (h)"
}

// PersonFigures are one person's figures. Seen counts the proposals that
// were on their screen at least once (an exposure interval), the
// denominator of their rates; the verdicts are their vote in force on each
// proposal. A facilitator has their own line (Role), with the seals in
// force they made (Decided); their exposures and votes are in no
// participants' denominator.
type PersonFigures struct {
	Person    string
	Role      Role
	Seen      int
	ActiveMS  int64 // time proposals were on their screen while they were active
	Voted     int   // proposals with a vote in force (skips included)
	Accepted  int
	Rejected  int
	Rephrased int
	Skipped   int
	Decided   int
	// MedianToVote is the median (R's median(): the mean of the two middle
	// values for an even count), over the proposals they voted on after
	// seeing them, of the time from first seen to their vote in force;
	// ToVoteN is how many proposals it rests on, 0 when it is undefined.
	MedianToVote time.Duration
	ToVoteN      int
}

// CriterionFigures are the outcomes of one criterion's proposals and what
// people did with them, with the person × proposal pairs seen as the
// denominator of the votes.
type CriterionFigures struct {
	Criterion                                         string
	Proposals, Pending, Accepted, Rejected, Rephrased int
	SeenPairs, Votes, AcceptVotes                     int
}

// OriginFigures counts the decisions on proposals of one origin (or on
// the negatives it answered). The seen pairs and votes are the
// participants' only.
type OriginFigures struct {
	Proposals, Decided, Kept, Rephrased int
	Negatives                           int // sampled "no link" answers among Proposals (in Figures.Negatives only)
	SeenPairs, Votes, AcceptVotes       int // as in CriterionFigures
}

// ReportTrace computes the figures of a session from its trace as stored,
// after leaving out what withdrawals remove (Withdraw), so that `revue
// report` counts exactly what the exports contain. The events are not
// changed.
func ReportTrace(events []Event) (Figures, error) {
	return ReportTraceWith(events, ReportOptions{})
}

// ReportOptions change what ReportTraceWith shows.
type ReportOptions struct {
	// Pseudonymize names people by the pseudonyms the exports give them
	// (P1, P2... by first appearance in the whole trace, see Export).
	Pseudonymize bool
}

// ReportTraceWith is ReportTrace with options.
func ReportTraceWith(events []Event, o ReportOptions) (Figures, error) {
	kept, withdrawals := Withdraw(slices.Clone(events))
	if o.Pseudonymize {
		placeholders := map[string]bool{}
		for _, w := range withdrawals {
			placeholders[w.Person] = true
		}
		// The state replayed from the pseudonymised trace is only counted,
		// never asked for anybody's arm: the figures need no conditions.
		kept = pseudonymizeInPlace(kept, true, placeholders, events)
	}
	st, err := Replay(kept)
	if err != nil {
		return Figures{}, err
	}
	f := Report(st)
	f.Withdrawn = len(st.Forgotten)
	return f, nil
}

// Report computes the figures of a session as its state is. A withdrawn
// person's own votes and comments are left out, but not what rests on
// them (a link they proposed, a decision that chose their wording):
// ReportTrace leaves those out too.
func Report(st *State) Figures {
	f := Figures{ByOrigin: map[string]OriginFigures{}, Negatives: map[string]OriginFigures{}, Reasons: map[string]int{}}
	study := NewStudy(st.Events, st.IsForgotten)
	people := map[string]bool{}
	var dwell []float64
	var first, last time.Time
	for _, p := range st.Proposals {
		f.Proposals++
		byOrigin := f.ByOrigin
		if p.Negative {
			byOrigin = f.Negatives
		}
		o := byOrigin[p.Origin.Kind]
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
		byOrigin[p.Origin.Kind] = o
		if p.Conflict {
			f.Conflicts++
		}
		var cur []Vote
		for _, v := range p.Votes {
			if study.Counts(v) && v.Verdict != Skip {
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
			if st.IsForgotten(v.Actor) {
				continue
			}
			people[v.Actor.Key()] = true
			first, last = span(first, last, v.At)
			if v.Decides && study.Standing(v.EventID) == InForce {
				f.Decisions++
			}
			if !study.Counts(v) {
				continue
			}
			f.Votes++
			if v.DwellMS > 0 {
				dwell = append(dwell, float64(v.DwellMS))
			}
		}
		for _, c := range p.Comments {
			if st.IsForgotten(c.Actor) {
				continue
			}
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
		f.DwellN = len(dwell)
		f.DwellP50 = msDuration(Quantile(dwell, 0.5))
		f.DwellP90 = msDuration(Quantile(dwell, 0.9))
	}
	f.Runs = len(st.Runs)
	var prompt, output, nanos int64
	f.Calls, prompt, output, nanos, f.EnergyWh = st.Compute()
	f.Tokens = prompt + output
	f.ModelTime = time.Duration(nanos)
	f.Failures = len(st.Failures)
	f.Session, f.Documents, f.Criteria = st.Name, len(st.Documents), len(st.Criteria)
	f.Energy = energyOf(st)
	research(st, study, &f)
	return f
}

func msDuration(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }

func span(first, last, at time.Time) (time.Time, time.Time) {
	if first.IsZero() || at.Before(first) {
		first = at
	}
	if at.After(last) {
		last = at
	}
	return first, last
}

// research adds the figures of issue 8 to f: per person, per criterion, per
// origin, the agreement coefficients and the machine against the group.
// Forgotten people are left out of all of them (only their number stays).
func research(st *State, study *Study, f *Figures) {
	keep := func(a Actor) bool { return a.Role != System && !st.IsForgotten(a) }
	f.Withdrawn = len(st.Forgotten)
	type pair = [2]string // person key, proposal
	firstSeen := map[pair]time.Time{}
	persons := map[string]*PersonFigures{}
	var order []string
	person := func(a Actor) *PersonFigures {
		k := a.Key()
		p, ok := persons[k]
		if !ok {
			p = &PersonFigures{Person: a.Name, Role: a.Role}
			persons[k] = p
			order = append(order, k)
		}
		if a.Role == Facilitator {
			p.Role = Facilitator // a facilitator may also have joined as something else
		}
		return p
	}
	for _, r := range Exposures(st.Events) {
		if !keep(r.Actor) {
			continue
		}
		x := r.Interval
		pf := person(r.Actor)
		k := pair{r.Actor.Key(), x.Proposal}
		if t, ok := firstSeen[k]; !ok || x.From.Before(t) {
			if !ok {
				pf.Seen++
			}
			firstSeen[k] = x.From
		}
		if x.State == ExposureActive {
			pf.ActiveMS += x.To.Sub(x.From).Milliseconds()
		}
	}
	// The participants' exposures only: a facilitator's screen is no
	// participant's view, and their line is their own.
	seenBy := func(pid string) int {
		n := 0
		for _, k := range order {
			if _, ok := firstSeen[pair{k, pid}]; ok && persons[k].Role != Facilitator {
				n++
			}
		}
		return n
	}
	toVote := map[string][]float64{}
	byCrit := map[string]*CriterionFigures{}
	for _, c := range st.Criteria {
		byCrit[c.ID] = &CriterionFigures{Criterion: c.ID}
	}
	for _, p := range st.Proposals {
		cf := byCrit[p.Criterion]
		if cf == nil {
			cf = &CriterionFigures{Criterion: p.Criterion}
			byCrit[p.Criterion] = cf
		}
		cf.Proposals++
		switch p.Status {
		case Pending:
			cf.Pending++
		case Accepted:
			cf.Accepted++
		case Rejected:
			cf.Rejected++
		case Rephrased:
			cf.Rephrased++
		}
		seen := seenBy(p.ID)
		cf.SeenPairs += seen
		byOrigin := f.ByOrigin
		if p.Negative {
			byOrigin = f.Negatives
		}
		o := byOrigin[p.Origin.Kind]
		o.SeenPairs += seen
		if p.Negative {
			o.Negatives++
		}
		for _, v := range p.Votes {
			if !keep(v.Actor) || study.Standing(v.EventID) != InForce {
				continue
			}
			pf := person(v.Actor)
			if v.Decides {
				pf.Decided++
				continue
			}
			// A person's line holds their votes by the one rule
			// (Study.Counts), so that the lines add up to the total: a
			// facilitator's own skip is no vote, and a vote cast as a
			// participant by someone who later led still is one.
			if !study.Counts(v) {
				continue
			}
			pf.Voted++
			cf.Votes++
			o.Votes++
			// The time to vote is to the vote in force: an earlier one
			// the person changed is not what they settled on.
			if t, ok := firstSeen[pair{v.Actor.Key(), p.ID}]; ok && !v.At.Before(t) {
				toVote[v.Actor.Key()] = append(toVote[v.Actor.Key()], float64(v.At.Sub(t))/float64(time.Millisecond))
			}
			switch v.Verdict {
			case Accept:
				pf.Accepted++
				cf.AcceptVotes++
				o.AcceptVotes++
			case Reject:
				pf.Rejected++
			case Rephrase:
				pf.Rephrased++
			case Skip:
				pf.Skipped++
			}
		}
		byOrigin[p.Origin.Kind] = o
	}
	for _, k := range order {
		pf := persons[k]
		if d := toVote[k]; len(d) > 0 {
			pf.MedianToVote, pf.ToVoteN = msDuration(Quantile(d, 0.5)), len(d)
		}
		f.Persons = append(f.Persons, *pf)
	}
	for _, c := range st.Criteria {
		f.ByCriterion = append(f.ByCriterion, *byCrit[c.ID])
		var props []*ProposalState
		for _, p := range st.Proposals {
			if p.Criterion == c.ID {
				props = append(props, p)
			}
		}
		f.PerCriterion = append(f.PerCriterion, agreementOf(st, props, keep, c.ID))
	}
	f.Reliability = agreementOf(st, st.Proposals, keep, "")
	for _, origin := range []string{OriginModel, OriginLexical} {
		_, links := f.ByOrigin[origin]
		if _, negatives := f.Negatives[origin]; links || negatives {
			f.HumanAI = append(f.HumanAI, HumanVersusAI(st.Proposals, origin))
		}
	}
}

// Quantile is R's quantile(x, p) of its default type 7: the order
// statistics interpolated linearly at (n−1)p; for p = 0.5 it is R's
// median(), the mean of the two middle values for an even count. x must
// not be empty.
func Quantile(x []float64, p float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	h := float64(len(s)-1) * p
	lo := int(h)
	if lo+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
}

// energyOf reads how each run's energy was obtained. The runs' records
// are read from the trace, so that fields a newer `propose` writes
// (energy_source, energy_formula) are read whatever this build knows.
func energyOf(st *State) EnergyFigures {
	var ef EnergyFigures
	measured, runs := 0, 0
	for _, e := range st.Events {
		if e.Kind != KindProposeRun {
			continue
		}
		var r struct {
			Mode          string    `json:"mode"`
			Hosts         []string  `json:"hosts"`
			Started       time.Time `json:"started"`
			Finished      time.Time `json:"finished"`
			PowerWatts    float64   `json:"power_watts"`
			EnergyWh      float64   `json:"energy_wh"`
			EnergySource  string    `json:"energy_source"`
			EnergyFormula string    `json:"energy_formula"`
		}
		if e.Decode(&r) != nil {
			continue
		}
		runs++
		if strings.HasPrefix(r.EnergySource, "rapl") {
			measured++
			if !slices.Contains(ef.Sources, r.EnergySource) {
				ef.Sources = append(ef.Sources, r.EnergySource)
			}
			continue
		}
		ef.Estimated += r.EnergyWh
		formula := r.EnergyFormula
		if formula == "" && r.Mode == "model" {
			formula = fmt.Sprintf("%g W × %d × %s", r.PowerWatts, max(1, len(r.Hosts)), fmtDur(r.Finished.Sub(r.Started)))
		}
		if formula != "" && !slices.Contains(ef.Formulas, formula) {
			ef.Formulas = append(ef.Formulas, formula)
		}
	}
	ef.Measured = runs > 0 && measured == runs
	ef.Partly = measured > 0 && measured < runs
	return ef
}

// Number formatting. French writes 1 234,5 (a narrow no-break space
// between thousands, a decimal comma) and 42 % (a narrow no-break space
// before the sign); English writes 1,234.5 and 42%.
const nnbsp = "\u202f"

func fmtFloat(lang string, x float64, decimals int) string {
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	sep, dot := ",", "."
	if lang != "en" {
		sep, dot = nnbsp, ","
	}
	var b strings.Builder
	if neg {
		b.WriteString("−")
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(dot + frac)
	}
	return b.String()
}

func fmtInt(lang string, n int64) string { return fmtFloat(lang, float64(n), 0) }

func fmtPct(lang string, n, d int) string {
	if d == 0 {
		return undefined(lang)
	}
	v := fmtFloat(lang, 100*float64(n)/float64(d), 0)
	if lang == "en" {
		return v + "%"
	}
	return v + nnbsp + "%"
}

// undefined is what every format says of a statistic the data cannot
// give (a rate over nothing, a median of nothing): never 0, never a dash.
func undefined(lang string) string {
	if lang == "en" {
		return "undefined"
	}
	return "non défini"
}

// fmtSeconds writes a duration in seconds with one decimal: 12,5 s.
func fmtSeconds(lang string, d time.Duration) string {
	return fmtFloat(lang, d.Seconds(), 1) + "\u00a0s"
}

func fmtDur(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d\u00a0s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d\u00a0min %02d\u00a0s", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%d\u00a0h %02d\u00a0min", int(d.Hours()), int(d.Minutes())%60)
}

// fmtCoef writes a coefficient with its interval: 0,743 [0,612 ; 0,861]
// in French (the semicolon, since the comma is the decimal sign), 0.743
// [0.612, 0.861] in English.
func fmtCoef(lang string, c Coefficient) string {
	t := func(fr, en string) string {
		if lang == "en" {
			return en
		}
		return fr
	}
	if !c.Defined {
		return t("non défini", "undefined") + fmt.Sprintf(" (n = %d)", c.N)
	}
	s := fmtFloat(lang, c.Value, 3)
	if c.CI {
		s += " [" + fmtFloat(lang, c.Lo, 3) + t(" ; ", ", ") + fmtFloat(lang, c.Hi, 3) + "]"
	}
	return s + fmt.Sprintf(" (n = %d)", c.N)
}

// WriteReport writes the figures of `revue report` in French (lang "fr",
// the default) or English ("en"), in aligned columns.
func WriteReport(w io.Writer, f Figures, lang string) error {
	t := func(fr, en string) string {
		if lang == "en" {
			return en
		}
		return fr
	}
	n := func(x int) string { return fmtInt(lang, int64(x)) }
	c := func(x int, frOne, frMany, enOne, enMany string) string {
		return FormatCount(lang, x, frOne, frMany, enOne, enMany)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	line := func(label, format string, args ...any) { fmt.Fprintf(tw, label+"\t"+format+"\n", args...) }
	decided := f.Accepted + f.Rejected + f.Rephrased
	line(t("Session", "Session"), "%s", f.Session)
	line(t("Corpus", "Corpus"), "%s, %s", c(f.Documents, "document", "documents", "document", "documents"), c(f.Criteria, "critère", "critères", "criterion", "criteria"))
	line(t("Avancement", "Progress"), "%s / %s (%s)", n(decided), n(f.Proposals), fmtPct(lang, decided, f.Proposals))
	line("  "+t("acceptées", "accepted"), "%s", n(f.Accepted))
	line("  "+t("reformulées", "rephrased"), "%s", n(f.Rephrased))
	line("  "+t("rejetées", "rejected"), "%s", n(f.Rejected))
	line("  "+t("en attente", "pending"), "%s", n(f.Pending))
	line(t("Accord brut entre personnes", "Raw agreement between people"), "%s (%s/%s), %s", fmtPct(lang, f.AgreedPairs, f.VoterPairs),
		n(f.AgreedPairs), c(f.VoterPairs, "paire de votes", "paires de votes", "vote pair", "vote pairs"),
		c(f.Conflicts, "désaccord en cours", "désaccords en cours", "open disagreement", "open disagreements"))
	r := f.Reliability
	line(t("Alpha de Krippendorff (nominal)", "Krippendorff's alpha (nominal)"), "%s", fmtCoef(lang, r.Alpha))
	line(t("Kappa de Fleiss", "Fleiss' kappa"), "%s", fmtCoef(lang, r.Fleiss))
	line("", "%s, %s%s", c(r.Units, "proposition notée par au moins deux personnes", "propositions notées par au moins deux personnes",
		"proposal rated by at least two people", "proposals rated by at least two people"), c(r.Raters, "personne", "personnes", "person", "people"),
		t(" ; intervalles à 95 % : bootstrap sur les propositions (1 000 tirages, graine fixe)", "; 95% intervals: bootstrap over proposals (1,000 draws, fixed seed)"))
	for _, c := range f.PerCriterion {
		line("  "+t("critère ", "criterion ")+c.Criterion, "alpha %s, kappa %s", fmtCoef(lang, c.Alpha), fmtCoef(lang, c.Fleiss))
	}
	for _, pk := range r.Pairs {
		line("  Cohen "+pk.A+" × "+pk.B, "%s", fmtCoef(lang, pk.Kappa))
	}
	for _, h := range f.HumanAI {
		line(t("Machine contre groupe, ", "Machine against group, ")+h.Origin, "%s %s, kappa %s", t("accord", "agreement"), fmtCoef(lang, h.Agreement), fmtCoef(lang, h.Kappa))
		line("", "%s %s ; %s %s", t("liens gardés parmi ceux proposés", "links kept among those proposed"), fmtCoef(lang, h.Kept),
			t("liens trouvés parmi les « pas de lien » échantillonnés", "links found among the sampled \"no link\""), fmtCoef(lang, h.Missed))
	}
	for _, k := range []string{OriginModel, OriginLexical, OriginHuman, OriginExample} {
		for _, neg := range []bool{false, true} {
			o, ok := f.ByOrigin[k]
			label := t("Origine ", "Origin ") + k
			if neg {
				o, ok = f.Negatives[k]
				label = t("Négatifs de ", "Negatives of ") + k
			}
			if !ok {
				continue
			}
			line(label, "%s, %s, %s %s (%s)%s%s / %s",
				c(o.Proposals, "proposée", "proposées", "proposed", "proposed"), c(o.Decided, "décidée", "décidées", "decided", "decided"),
				fmtPct(lang, o.Kept, o.Decided), t("gardées", "kept"), c(o.Rephrased, "reformulée", "reformulées", "rephrased", "rephrased"), t(" ; ", "; "),
				c(o.AcceptVotes, "vote « accepter »", "votes « accepter »", "accept vote", "accept votes"),
				c(o.SeenPairs, "vue (participant·es)", "vues (participant·es)", "view (participants)", "views (participants)"))
		}
	}
	for _, cr := range f.ByCriterion {
		line(t("Critère ", "Criterion ")+cr.Criterion, "%s"+t(" : ", ": ")+"%s, %s, %s, %s"+t(" ; ", "; ")+"%s / %s",
			c(cr.Proposals, "proposition", "propositions", "proposal", "proposals"), c(cr.Accepted, "acceptée", "acceptées", "accepted", "accepted"),
			c(cr.Rephrased, "reformulée", "reformulées", "rephrased", "rephrased"), c(cr.Rejected, "rejetée", "rejetées", "rejected", "rejected"),
			c(cr.Pending, "en attente", "en attente", "pending", "pending"),
			c(cr.AcceptVotes, "vote « accepter »", "votes « accepter »", "accept vote", "accept votes"), c(cr.SeenPairs, "vue", "vues", "view", "views"))
	}
	for _, reason := range Reasons {
		if k := f.Reasons[reason]; k > 0 {
			line(t("Rejet : ", "Rejected: ")+reason, "%s", n(k))
		}
	}
	line(t("Participation", "Participation"), "%s, %s, %s, %s", c(f.People, "personne", "personnes", "person", "people"),
		c(f.Votes, "vote en vigueur des participant·es", "votes en vigueur des participant·es", "participant vote in force", "participant votes in force"),
		c(f.Decisions, "décision en vigueur", "décisions en vigueur", "decision in force", "decisions in force"),
		c(f.Comments, "commentaire", "commentaires", "comment", "comments"))
	for _, p := range f.Persons {
		med := undefined(lang)
		if p.ToVoteN > 0 {
			med = fmtSeconds(lang, p.MedianToVote) + fmt.Sprintf(" (n = %d)", p.ToVoteN)
		}
		who := "  " + p.Person
		if p.Role == Facilitator {
			who += t(" (animation)", " (facilitator)")
		}
		line(who, "%s, %s, %s / %s / %s / %s, %s%s%s %s",
			c(p.Seen, "vue", "vues", "seen", "seen"), c(p.Voted, "votée", "votées", "voted", "voted"),
			c(p.Accepted, "acceptée", "acceptées", "accepted", "accepted"), c(p.Rejected, "rejetée", "rejetées", "rejected", "rejected"),
			c(p.Rephrased, "reformulée", "reformulées", "rephrased", "rephrased"), c(p.Skipped, "passée", "passées", "skipped", "skipped"),
			c(p.Decided, "décision", "décisions", "decision", "decisions"), t(" ; ", "; "),
			t("délai médian de la première vue au vote en vigueur", "median from first seen to the vote in force"), med)
	}
	if f.Withdrawn > 0 {
		line(t("Retraits", "Withdrawals"), "%s", c(f.Withdrawn, "personne retirée, absente de tous les chiffres", "personnes retirées, absentes de tous les chiffres",
			"person withdrawn, left out of every figure", "people withdrawn, left out of every figure"))
	}
	dwell50, dwell90 := undefined(lang), undefined(lang)
	if f.DwellN > 0 {
		dwell50, dwell90 = fmtSeconds(lang, f.DwellP50), fmtSeconds(lang, f.DwellP90)
	}
	line(t("Temps", "Time"), "%s %s, p90 %s (n = %d), %s %s", t("délai médian avant un vote", "median before a vote"), dwell50, dwell90, f.DwellN,
		t("durée de relecture", "review span"), fmtDur(f.Duration))
	energy := fmtFloat(lang, f.EnergyWh, 2) + nnbsp + "Wh"
	switch {
	case f.Energy.Measured:
		energy += " " + t("mesurés", "measured") + " (" + strings.Join(f.Energy.Sources, ", ") + ")"
	case f.Energy.Partly:
		energy += " " + t("dont ", "of which ") + fmtFloat(lang, f.Energy.Estimated, 2) + nnbsp + "Wh " + t("estimés", "estimated") +
			" (" + strings.Join(f.Energy.FormulasIn(lang), t(" ; ", "; ")) + "), " + t("le reste mesuré", "the rest measured") + " (" + strings.Join(f.Energy.Sources, ", ") + ")"
	default:
		formula := t("W × hôtes × durée", "W × hosts × wall time")
		if len(f.Energy.Formulas) > 0 {
			formula += t(" : ", ": ") + strings.Join(f.Energy.FormulasIn(lang), t(" ; ", "; "))
		}
		energy += " " + t("estimés", "estimated") + " (" + formula + ")"
	}
	line(t("Calcul", "Compute"), "%s, %s, %s, %s %s, %s", c(f.Runs, "passage de propose", "passages de propose", "propose run", "propose runs"),
		c(f.Calls, "appel au modèle", "appels au modèle", "model call", "model calls"), FormatCount(lang, f.Tokens, "token", "tokens", "token", "tokens"),
		t("temps modèle", "model time"), fmtDur(f.ModelTime), energy)
	if f.Failures > 0 {
		line(t("Paires en échec", "Failed pairs"), "%s", n(f.Failures))
	}
	return tw.Flush()
}
