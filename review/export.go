package review

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ExportFormat is the format tag of Revue's JSON export. A reader checks it
// before reading anything else. Version 3 changed the meaning of votes[]:
// the participants' votes only, each with its standing (decisions are in
// decisions[]), where v2 mixed in decisions and superseded votes without a
// mark. Version 2 changed final_statement and status, which follow sealing
// (the statement in force, "" once rejected), where v1 gave the latest
// wording. schema/ keeps all three.
const ExportFormat = "revue.export/v3"

// Formats lists the export formats, the default first.
var Formats = []string{"json", "jsonl", "csv", "votes", "annotations", "qdpx"}

// Export writes events as one of Formats. Exports are deterministic: the
// same trace gives the same bytes, which is what lets a researcher check
// that nothing moved between two exports.
//
// The events are not changed: withdrawals and pseudonyms work on a copy of
// the slice (the payloads they do not rewrite are shared). The head hash is
// that of the trace as stored, before anything is left out.
func Export(w io.Writer, events []Event, format string, pseudonymize bool) error {
	return ExportWith(w, events, format, ExportOptions{Pseudonymize: pseudonymize})
}

// ExportOptions are what an export may add to the trace's own content.
type ExportOptions struct {
	Pseudonymize bool
	// Checkpoint is the signed head recorded for this export, written in
	// the JSON document (checkpoint): the export's own receipt.
	Checkpoint *Checkpoint
	// Stored, when set, is where the export reads what the events it is
	// given leave out: they carry their documents' passages without text
	// (WithoutPassageText, what `revue export` reads from the store), and
	// the export reads each passage's text, and each document event's
	// payload for the trace, from Stored when it writes them. A session's
	// text is then never held whole: 18,000 pads of realistic size are
	// 140 MB of it.
	Stored StoredTrace
}

// StoredTrace is the store seen by a lean export (ExportOptions.Stored):
// the text of a passage, and the data of an event as stored, by seq.
type StoredTrace interface {
	TextSource
	EventData(seq int64) ([]byte, error)
}

// ExportWith is Export with options.
func ExportWith(w io.Writer, events []Event, format string, o ExportOptions) error {
	pseudonymize := o.Pseudonymize
	meta := exportMeta{checkpoint: o.Checkpoint}
	if n := len(events); n > 0 {
		meta.head = events[n-1].Hash
	}
	stored := events
	events, meta.withdrawals = Withdraw(slices.Clone(events))
	// The study facts are read before any pseudonym is given: a random
	// arm is drawn from the person, never from their pseudonym.
	meta.study = NewStudy(events, nil)
	if pseudonymize {
		placeholders := map[string]bool{}
		for _, w := range meta.withdrawals {
			placeholders[w.Person] = true
		}
		events = pseudonymizeInPlace(events, false, placeholders, stored)
	}
	var st *State
	var err error
	if o.Stored != nil {
		st, err = replayLean(events, o.Stored)
		meta.stored = o.Stored
	} else {
		st, err = Replay(events)
	}
	if err != nil {
		return err
	}
	if pseudonymize {
		// The state's documents are its own (decoded by Replay): their
		// paths become file names here, and the trace's document.added
		// payloads as they are written (exportMeta.event).
		for _, d := range st.Documents {
			d.Source = fileName(d.Source)
		}
		meta.paths = true
	}
	return exportState(w, st, format, meta)
}

// replayLean folds events whose documents' passages carry no text
// (WithoutPassageText), noting for each passage the event its text is in,
// read from stored. The passages that proposals point at get their text
// back at once (1,350 of 75,000 in the 18,000-pad session): the csv, the
// annotations and the proposals of the JSON read them; the documents'
// whole text (the JSON's documents, qdpx's sources) is read as written.
func replayLean(events []Event, stored TextSource) (*State, error) {
	s := NewState()
	s.Events = make([]Event, 0, len(events))
	s.byEvent = make(map[string]eventRef, len(events))
	s.lean = true
	for _, e := range events {
		if err := s.Apply(e); err != nil {
			return nil, err
		}
	}
	s.lean = false
	s.SetText(stored)
	for _, p := range s.Proposals {
		pa, ok := s.passages[p.Passage]
		if !ok || pa.seq == 0 {
			continue
		}
		text, err := s.ReadPassageText(pa)
		if err != nil {
			return nil, err
		}
		pa.Text, pa.seq = text, 0
	}
	return s, nil
}

// WithoutPassageText returns an event that carries passages
// (document.added, document.passages) with their text left out, for a
// lean fold; the other events are returned as they are.
func WithoutPassageText(e Event) (Event, error) {
	var v any
	switch e.Kind {
	case KindDocumentAdded:
		var d Document
		if err := decodeTextless(e, &d); err != nil {
			return e, err
		}
		v = d
	case KindDocumentPassages:
		var d DocumentPassages
		if err := decodeTextless(e, &d); err != nil {
			return e, err
		}
		v = d
	default:
		return e, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return e, fmt.Errorf("event %d (%s): %w", e.Seq, e.Kind, err)
	}
	e.Data = raw
	return e, nil
}

// documentEvent says whether an event of this kind carries passages.
func documentEvent(k Kind) bool {
	return k == KindDocumentAdded || k == KindDocumentPassages
}

// exportMeta is what an export says beyond the state: the head hash of the
// stored trace and what withdrawals removed.
type exportMeta struct {
	head        string
	withdrawals []Withdrawal
	study       *Study // standings, conditions and blindness, read before pseudonyms
	checkpoint  *Checkpoint
	paths       bool // replace file paths by file names in document.added payloads
	// stored, when set, holds the document events' payloads, which the
	// state's trace carries without their passages' text (a lean export).
	stored StoredTrace
}

// event is an event as the trace of an export shows it.
func (m exportMeta) event(e Event) (exportEvent, error) {
	if m.stored != nil && documentEvent(e.Kind) {
		raw, err := m.stored.EventData(e.Seq)
		if err != nil {
			return exportEvent{}, err
		}
		e.Data = raw
	}
	if m.paths && e.Kind == KindDocumentAdded {
		if raw, ok := replaceSource(e.Data); ok {
			e.Data = raw
			e.Hash = ""
		}
	}
	return traceEvent(e), nil
}

func exportState(w io.Writer, st *State, format string, meta exportMeta) error {
	if meta.study == nil {
		meta.study = NewStudy(st.Events, st.IsForgotten)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var err error
	switch format {
	case "json", "":
		err = streamDoc(bw, st, meta)
	case "jsonl":
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		for _, e := range st.Events {
			var ev exportEvent
			if ev, err = meta.event(e); err != nil {
				break
			}
			if err = enc.Encode(jsonlEvent{Session: st.Name, exportEvent: ev}); err != nil {
				break
			}
		}
	case "csv":
		err = exportCSV(bw, st, meta.study)
	case "votes":
		err = exportVotes(bw, st, meta.study)
	case "annotations":
		err = streamAnnotations(bw, st)
	case "qdpx":
		err = exportQDPX(bw, st)
	default:
		return fmt.Errorf("unknown export format %q: use one of %s", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

type exportSession struct {
	Name       string         `json:"name"`
	CreatedAt  time.Time      `json:"created_at"`
	Language   string         `json:"language"`
	VotingMode string         `json:"voting_mode"` // "open" or "blind": whether people saw others' votes before their own
	Conditions Conditions     `json:"conditions"`  // as last set; per person in participant.joined and ConditionsFor
	Consent    *exportConsent `json:"consent"`     // null when the session asks for none
}

type exportConsent struct {
	Text    string         `json:"text"`
	Hash    string         `json:"hash"`
	Answers []exportAnswer `json:"answers"`
}

type exportAnswer struct {
	Person Actor `json:"person"`
	Agreed bool  `json:"agreed"`
}

type exportOffsets struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Unit  string `json:"unit"`
}

type exportPassage struct {
	ID      string        `json:"id"`
	Index   int           `json:"index,omitempty"`
	Text    string        `json:"text"`
	Offsets exportOffsets `json:"offsets"`
	Page    int           `json:"page,omitempty"`
	Section string        `json:"section,omitempty"`
}

type exportDocument struct {
	ID       string          `json:"id"`
	Title    string          `json:"title"`
	Source   string          `json:"source"`
	SHA256   string          `json:"sha256"`
	Format   string          `json:"format"`
	Chars    int             `json:"chars"`
	Passages []exportPassage `json:"passages"`
}

type exportProposal struct {
	ID           string          `json:"id"`
	Document     string          `json:"document"`
	Passage      exportPassage   `json:"passage"`
	Criterion    string          `json:"criterion"`
	Statement    string          `json:"statement"`
	Quote        string          `json:"quote"`
	QuoteFound   bool            `json:"quote_found"`
	QuoteStart   int             `json:"quote_start"`
	QuoteEnd     int             `json:"quote_end"`
	Confidence   float64         `json:"confidence"`
	Origin       Origin          `json:"origin"`
	Negative     bool            `json:"negative"`
	CreatedAt    time.Time       `json:"created_at"`
	CreatedBy    Actor           `json:"created_by"`
	Status       Status          `json:"status"`
	Final        string          `json:"final_statement"`
	FinalAuthor  *Actor          `json:"final_author"`
	FinalVersion int             `json:"final_version"`
	Outcome      string          `json:"outcome"`
	Sealed       bool            `json:"sealed"`
	Reopened     int             `json:"reopened"`
	Conflict     bool            `json:"conflict"`
	Revealed     bool            `json:"revealed"`
	Parked       bool            `json:"parked"`
	Decision     *exportVote     `json:"decision"`
	Decisions    []exportVote    `json:"decisions"`
	Votes        []exportVote    `json:"votes"`
	Versions     []exportVersion `json:"versions"`
	Comments     []Comment       `json:"comments"`
}

type exportCompute struct {
	Runs         []ProposeRun `json:"runs"`
	Calls        int          `json:"calls"`
	PromptTokens int64        `json:"prompt_tokens"`
	OutputTokens int64        `json:"output_tokens"`
	ModelNanos   int64        `json:"model_ns"`
	EnergyWh     float64      `json:"energy_wh"`
}

type exportEvent struct {
	Seq   int64           `json:"seq"`
	At    time.Time       `json:"at"`
	ID    string          `json:"id"`
	Actor Actor           `json:"actor"`
	Kind  Kind            `json:"kind"`
	Data  json.RawMessage `json:"data"`
	Hash  string          `json:"hash,omitempty"`
}

// replaceSource returns a document.added payload with its source path
// replaced by the file's name. It rewrites the one field in the bytes
// rather than decoding the document (its passages are most of a corpus):
// decoding 18,000 documents again while writing made enough garbage to
// push the export's peak memory near 300 MB. A payload not in the form
// json.Marshal gives falls back to decoding it.
func replaceSource(data json.RawMessage) (json.RawMessage, bool) {
	var d struct {
		Source string `json:"source"`
	}
	if json.Unmarshal(data, &d) != nil || d.Source == fileName(d.Source) {
		return nil, false
	}
	oldQ, err1 := json.Marshal(d.Source)
	newQ, err2 := json.Marshal(fileName(d.Source))
	key := []byte(`"source":`)
	if err1 == nil && err2 == nil {
		if i := bytes.Index(data, append(key, oldQ...)); i >= 0 {
			out := make([]byte, 0, len(data)-len(oldQ)+len(newQ))
			out = append(out, data[:i+len(key)]...)
			out = append(out, newQ...)
			return append(out, data[i+len(key)+len(oldQ):]...), true
		}
	}
	var full Document
	if json.Unmarshal(data, &full) != nil {
		return nil, false
	}
	full.Source = fileName(full.Source)
	raw, err := json.Marshal(full)
	return raw, err == nil
}

// jsonlEvent is one line of the jsonl export: an event naming its
// session, so that the lines of several sessions can be concatenated.
type jsonlEvent struct {
	Session string `json:"session"`
	exportEvent
}

type exportDocumentV2 struct {
	Format      string           `json:"format"`
	Session     exportSession    `json:"session"`
	Criteria    []Criterion      `json:"criteria"`
	Documents   []exportDocument `json:"documents"`
	Proposals   []exportProposal `json:"proposals"`
	Failures    []ProposeFailed  `json:"failures"`
	Compute     exportCompute    `json:"compute"`
	Withdrawals []Withdrawal     `json:"withdrawals"`
	HeadHash    string           `json:"head_hash"`
	Checkpoint  *Checkpoint      `json:"checkpoint"`
	Trace       []exportEvent    `json:"trace"`
}

func traceEvent(e Event) exportEvent {
	return exportEvent{Seq: e.Seq, At: e.At.UTC(), ID: e.ID, Actor: e.Actor, Kind: e.Kind, Data: e.Data, Hash: e.Hash}
}

func toExportPassage(p Passage) exportPassage {
	return exportPassage{ID: p.ID, Index: p.Index, Text: p.Text, Offsets: exportOffsets{p.Start, p.End, "rune"}, Page: p.Page, Section: p.Section}
}

// Compute sums what all the propose runs of a session spent.
func (s *State) Compute() (calls int, prompt, output, nanos int64, wh float64) {
	for _, r := range s.Runs {
		calls += r.Calls
		prompt += r.PromptTokens
		output += r.OutputTokens
		nanos += r.ModelNanos
		wh += r.EnergyWh
	}
	return
}

// exportDocumentOf is one document as the export shows it, its passages'
// text read from the store when the fold left it there.
func exportDocumentOf(st *State, doc *Document) (exportDocument, error) {
	ed := exportDocument{ID: doc.ID, Title: doc.Title, Source: doc.Source, SHA256: doc.SHA256, Format: doc.Format, Chars: doc.Chars, Passages: make([]exportPassage, 0, len(doc.Passages))}
	for _, p := range doc.Passages {
		text, err := st.ReadPassageText(&p)
		if err != nil {
			return ed, err
		}
		p.Text = text
		ed.Passages = append(ed.Passages, toExportPassage(p))
	}
	return ed, nil
}

// exportVote is a vote or a decision as the export shows it: with its
// standing, so that nobody counts a superseded vote, and, for a vote,
// whether it was cast blind.
type exportVote struct {
	Vote
	Standing Standing `json:"standing"`
	Blind    bool     `json:"blind"`
}

// exportVersion is a wording with its distance from the AI's statement.
type exportVersion struct {
	Version
	EditDistance
}

// exportProposalOf is one proposal as the export shows it. votes[] holds
// the participants' votes (superseded ones marked so), decisions[] the
// facilitator's seals: a vote and a decision are never in one list.
func exportProposalOf(st *State, p *ProposalState, study *Study) exportProposal {
	pa, _ := st.Passage(p.Passage)
	ep := exportProposal{
		ID: p.ID, Document: p.Document, Passage: toExportPassage(*pa), Criterion: p.Criterion,
		Statement: p.Statement, Quote: p.Quote, QuoteFound: p.QuoteStart >= 0, QuoteStart: p.QuoteStart, QuoteEnd: p.QuoteEnd,
		Confidence: p.Confidence, Origin: p.Origin, Negative: p.Negative, CreatedAt: p.AddedAt.UTC(), CreatedBy: p.AddedBy,
		Status: p.Status, Final: p.Final, FinalVersion: p.FinalVersion, Outcome: p.Outcome, Sealed: p.Sealed, Reopened: p.Reopened,
		Conflict: p.Conflict, Revealed: p.Revealed, Parked: p.Parked,
		Decisions: []exportVote{}, Votes: []exportVote{}, Versions: []exportVersion{}, Comments: nonNil(p.Comments),
	}
	mark := func(v Vote) exportVote {
		return exportVote{Vote: v, Standing: study.Standing(v.EventID), Blind: !v.Decides && study.Blind(v.Seq)}
	}
	for _, v := range p.Votes {
		if !v.Decides {
			ep.Votes = append(ep.Votes, mark(v))
		}
	}
	for _, v := range p.Decisions {
		ep.Decisions = append(ep.Decisions, mark(v))
	}
	if p.Decision != nil {
		d := mark(*p.Decision)
		ep.Decision = &d
	}
	for _, v := range p.Versions {
		ep.Versions = append(ep.Versions, exportVersion{Version: v, EditDistance: EditDistanceOf(p.Statement, v.Statement)})
	}
	if p.FinalAuthor != (Actor{}) {
		a := p.FinalAuthor
		ep.FinalAuthor = &a
	}
	return ep
}

func exportComputeOf(st *State) exportCompute {
	c := exportCompute{Runs: nonNil(st.Runs)}
	c.Calls, c.PromptTokens, c.OutputTokens, c.ModelNanos, c.EnergyWh = st.Compute()
	return c
}

func exportSessionOf(st *State) exportSession {
	es := exportSession{Name: st.Name, CreatedAt: st.CreatedAt.UTC(), Language: st.Language, VotingMode: "open", Conditions: st.Conditions}
	if st.Conditions.Blind {
		es.VotingMode = "blind"
	}
	if st.Consent.Text != "" {
		c := &exportConsent{Text: st.Consent.Text, Hash: st.Consent.Hash, Answers: []exportAnswer{}}
		// Answers in the order people gave them, from the trace.
		seen := map[string]bool{}
		for i := len(st.Events) - 1; i >= 0; i-- {
			e := st.Events[i]
			if e.Kind == KindConsentSet {
				break // answers to an earlier text were asked again
			}
			if e.Kind != KindConsentAnswered || seen[e.Actor.Key()] {
				continue
			}
			seen[e.Actor.Key()] = true
			c.Answers = append(c.Answers, exportAnswer{Person: e.Actor, Agreed: st.Consent.Answers[e.Actor.Key()]})
		}
		slices.Reverse(c.Answers)
		es.Consent = c
	}
	return es
}

// streamDoc writes the JSON export field by field, each large array element
// by element, in exactly the bytes encoding the whole document at once
// would give (TestStreamedExportIsByteIdentical keeps it so).
func streamDoc(w *bufio.Writer, st *State, meta exportMeta) error {
	s := newJSONStream(w)
	s.open()
	s.field("format", ExportFormat)
	s.field("session", exportSessionOf(st))
	s.field("criteria", nonNil(st.Criteria))
	s.key("documents")
	s.write("[")
	s.first = append(s.first, true)
	s.depth++
	for _, d := range st.Documents {
		s.next()
		streamDocument(s, st, d)
	}
	s.closeWith("]")
	s.key("proposals")
	streamArray(s, st.Proposals, func(p *ProposalState) any { return exportProposalOf(st, p, meta.study) })
	s.field("failures", nonNil(st.Failures))
	s.field("compute", exportComputeOf(st))
	s.field("withdrawals", nonNil(meta.withdrawals))
	s.field("head_hash", meta.head)
	s.field("checkpoint", meta.checkpoint)
	s.key("trace")
	streamArray(s, st.Events, func(e Event) any {
		ev, err := meta.event(e)
		s.fail(err)
		return ev
	})
	s.close()
	return s.end()
}

// streamDocument writes one document of the JSON export, its passages one
// by one, in the bytes of exportDocumentOf encoded whole: a 200 MB text's
// document, built whole with its text, took the export past 1.4 GB.
func streamDocument(s *jsonStream, st *State, d *Document) {
	s.open()
	s.field("id", d.ID)
	s.field("title", d.Title)
	s.field("source", d.Source)
	s.field("sha256", d.SHA256)
	s.field("format", d.Format)
	s.field("chars", d.Chars)
	s.key("passages")
	streamArray(s, d.Passages, func(p Passage) any {
		text, err := st.ReadPassageText(&p)
		s.fail(err)
		p.Text = text
		return toExportPassage(p)
	})
	s.closeWith("}")
}

// jsonStream writes one indented JSON object (two spaces, as encodeJSON)
// piece by piece. Values are encoded with the prefix of their depth, which
// is what json.Indent would have put before each of their lines, so the
// pieces join into the bytes of the whole.
type jsonStream struct {
	w     *bufio.Writer
	buf   bytes.Buffer
	enc   *json.Encoder
	depth int
	first []bool // per open container: no element written yet
	err   error
}

func newJSONStream(w *bufio.Writer) *jsonStream {
	s := &jsonStream{w: w}
	s.enc = json.NewEncoder(&s.buf)
	s.enc.SetEscapeHTML(false)
	return s
}

func (s *jsonStream) write(str string) {
	if s.err == nil {
		_, s.err = s.w.WriteString(str)
	}
}

func (s *jsonStream) indent() string { return strings.Repeat("  ", s.depth) }

// next starts a new member or element of the innermost container.
func (s *jsonStream) next() {
	top := len(s.first) - 1
	if s.first[top] {
		s.first[top] = false
		s.write("\n")
	} else {
		s.write(",\n")
	}
	s.write(s.indent())
}

func (s *jsonStream) open() {
	s.write("{")
	s.first = append(s.first, true)
	s.depth++
}

func (s *jsonStream) close() {
	s.closeWith("}")
	s.write("\n") // Encoder.Encode ends with a newline
}

func (s *jsonStream) closeWith(bracket string) {
	top := len(s.first) - 1
	empty := s.first[top]
	s.first = s.first[:top]
	s.depth--
	if !empty {
		s.write("\n" + s.indent())
	}
	s.write(bracket)
}

func (s *jsonStream) key(k string) {
	s.next()
	s.write(strconv.Quote(k) + ": ")
}

func (s *jsonStream) field(k string, v any) {
	s.key(k)
	s.value(v)
}

// value encodes v at the current depth.
func (s *jsonStream) value(v any) {
	if s.err != nil {
		return
	}
	s.buf.Reset()
	s.enc.SetIndent(s.indent(), "  ")
	if s.err = s.enc.Encode(v); s.err != nil {
		return
	}
	b := s.buf.Bytes()
	_, s.err = s.w.Write(b[:len(b)-1]) // without Encode's newline
}

func (s *jsonStream) end() error { return s.err }

// fail keeps the first error of a value's conversion: the stream writes
// nothing more, and end returns it.
func (s *jsonStream) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// streamArray writes a JSON array of items, each converted by conv just
// before it is written, so that only one converted item lives at a time.
func streamArray[T any](s *jsonStream, items []T, conv func(T) any) {
	s.write("[")
	s.first = append(s.first, true)
	s.depth++
	for _, it := range items {
		s.next()
		s.value(conv(it))
	}
	s.closeWith("]")
}

// nonNil turns a nil slice into an empty one, so that JSON says [] rather
// than null and readers need no special case.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// CSVHeader is the header of `--format csv`, one row per link.
// accept, reject, rephrase and skip count the participants' votes in force
// (Study.Counts): the facilitator's decision is status and decided_by,
// never one more vote.
var CSVHeader = []string{"id", "document_id", "document_title", "passage_id", "page", "section", "criterion_id", "criterion_title",
	"statement", "final_statement", "quote", "quote_found", "confidence", "origin_kind", "origin_name",
	"status", "decided_by", "reason", "accept", "reject", "rephrase", "skip", "conflict", "comments",
	"negative", "final_author", "final_version", "sealed", "reopened", "outcome", "final_edit_chars", "final_edit_words"}

func exportCSV(w io.Writer, st *State, study *Study) error {
	cw := csv.NewWriter(w)
	header := CSVHeader
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, p := range st.Proposals {
		doc, _ := st.Document(p.Document)
		pa, _ := st.Passage(p.Passage)
		cr, _ := st.Criterion(p.Criterion)
		t := map[Verdict]int{}
		for _, v := range p.Votes {
			if study.Counts(v) {
				t[v.Verdict]++
			}
		}
		edit := EditDistanceOf(p.Statement, p.Final)
		editChars, editWords := "", ""
		if p.Status == Rephrased {
			editChars, editWords = strconv.Itoa(edit.Chars), strconv.Itoa(edit.Words)
		} else if p.Status == Accepted {
			editChars, editWords = "0", "0"
		}
		decidedBy, reason := "", ""
		if p.Decision != nil {
			decidedBy, reason = p.Decision.Actor.Name, p.Decision.Reason
			if p.Decision.Note != "" {
				reason = joinNonEmpty(reason, p.Decision.Note)
			}
		}
		page := ""
		if pa.Page > 0 {
			page = strconv.Itoa(pa.Page)
		}
		row := []string{p.ID, p.Document, cell(doc.Title), p.Passage, page, cell(pa.Section), p.Criterion, cell(cr.Title),
			cell(p.Statement), cell(p.Final), cell(p.Quote), strconv.FormatBool(p.QuoteStart >= 0), strconv.FormatFloat(p.Confidence, 'f', -1, 64),
			p.Origin.Kind, cell(p.Origin.Name), string(p.Status), cell(decidedBy), cell(reason),
			strconv.Itoa(t[Accept]), strconv.Itoa(t[Reject]), strconv.Itoa(t[Rephrase]), strconv.Itoa(t[Skip]),
			strconv.FormatBool(p.Conflict), strconv.Itoa(len(p.Comments)),
			strconv.FormatBool(p.Negative), cell(p.FinalAuthor.Name), strconv.Itoa(p.FinalVersion), strconv.FormatBool(p.Sealed),
			strconv.Itoa(p.Reopened), cell(p.Outcome), editChars, editWords}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// cell guards a free-text CSV cell against formula injection: a spreadsheet
// runs a cell that starts with = + - @ as a formula, and these texts come
// from documents, the AI and participants. The leading apostrophe is what
// spreadsheets themselves use to mean "this is text".
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func joinNonEmpty(a, b string) string {
	if a == "" {
		return b
	}
	return a + ": " + b
}
