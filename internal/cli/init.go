package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/corpus"
	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sample"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/store"
)

// initCommand is `revue init`: a session from documents and criteria, all
// or nothing, or an example criteria file to start from.
var initCommand = command{name: "init", args: "NAME --criteria FILE [--skip-invalid] DOC|DIR...  |  init --example-criteria [FILE|-]",
	summary: [2]string{"créer une session à partir de documents et d'une liste de critères",
		"create a session from documents and a list of criteria"},
	long: [2]string{"Tout ou rien : si un fichier est invalide, rien n'est créé et chaque problème est listé ; --skip-invalid importe le reste. --example-criteria écrit un fichier de critères commenté pour commencer.",
		"All or nothing: if one file is invalid, nothing is created and every problem is listed; --skip-invalid imports the rest. --example-criteria writes a commented criteria file to start from."},
	example: "revue init --example-criteria criteres.md\nrevue init atelier --criteria criteres.md rapports/ pads/",
	flags:   initFlags}

func initFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	criteria := fs.String("criteria", "", a.t("fichier des critères : .md, .csv, .yaml ou .json", "criteria file: .md, .csv, .yaml or .json"))
	skip := fs.Bool("skip-invalid", false, a.t("importer les fichiers valides et lister les autres", "import the valid files and list the others"))
	maxRunes := fs.Int("passage-size", 1200, a.t("passage le plus long, en caractères", "longest passage, in characters"))
	example := fs.String("example-criteria", "", a.t("écrire un fichier de critères commenté dans FICHIER (ou « - » : la sortie standard), pour commencer", "write a commented criteria file to FILE (or \"-\": the standard output), to start from"))
	fs.Lookup("example-criteria").NoOptDefVal = "-"
	language := fs.String("language", "fr", a.t("langue de la session (fr ou en) : celle des énoncés du proposeur lexical, quelle que soit la langue de qui le lance",
		"the session's language (fr or en): that of the lexical proposer's statements, whoever runs it"))
	blind := fs.Bool("blind", false, a.t("vote à l'aveugle : chacun ne voit les votes des autres qu'une fois révélés (l'animation peut changer en séance avec b)",
		"blind voting: people see the others' votes only once revealed (the facilitator can change it live with b)"))
	hide := fs.StringSlice("hide", nil, a.t("ce que les participants ne voient pas : origin, confidence, rationale (séparés par des virgules)",
		"what participants do not see: origin, confidence, rationale (comma-separated)"))
	random := fs.StringSlice("random", nil, a.t("conditions tirées au hasard par personne, pour une étude A/B : origin, confidence, rationale",
		"conditions drawn at random per person, for an A/B study: origin, confidence, rationale"))
	seed := fs.Int64("seed", 1, a.t("graine du tirage de --random, inscrite dans la trace", "seed of --random's draw, recorded in the trace"))
	consent := fs.String("consent", "", a.t("texte de consentement (Markdown) que chaque personne lit et accepte ou refuse en arrivant",
		"consent text (Markdown) that each person reads and agrees to or declines on arriving"))
	return func(ctx context.Context, args []string) error {
		if fs.Changed("example-criteria") {
			return a.writeExampleCriteria(*example, args)
		}
		if len(args) < 2 {
			return usageError{a.t("il faut un nom de session et au moins un document ou dossier", "a session name and at least one document or directory are needed")}
		}
		name := args[0]
		if err := a.checkName(name); err != nil {
			return err
		}
		if *criteria == "" {
			return usageError{a.t("--criteria FICHIER est obligatoire", "--criteria FILE is required")}
		}
		if *language != "fr" && *language != "en" {
			return usagef("--language %q: %s", *language, a.t("fr ou en", "fr or en"))
		}
		cond, err := a.conditions(*blind, *hide, *random, *seed)
		if err != nil {
			return err
		}
		consentText, err := a.readConsent(*consent)
		if err != nil {
			return err
		}
		if *maxRunes < 200 {
			return usagef("--passage-size %d: %s", *maxRunes, a.t("au moins 200", "at least 200"))
		}
		st, err := a.openStore()
		if err != nil {
			return err
		}
		defer st.Close()
		names, err := st.Sessions(ctx)
		if err != nil {
			return err
		}
		// Checked now, before reading a corpus for nothing; the store
		// refuses a second creation anyway (see sessionEvents).
		if slices.Contains(names, name) {
			return a.sessionExists(name)
		}
		fmt.Fprintln(a.stderr, a.t("Lecture des documents et des critères…", "Reading the documents and criteria…"))
		// A soft memory limit from the import on: the documents' text is
		// held from its reading to its writing (18,000 pads, 140 MB; a
		// large plain text is read again instead, corpus.Later), and
		// without it the collector let the heap grow by half again before
		// giving back the import's garbage. A lower GOMEMLIMIT stays.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(min(initMemoryLimit, debug.SetMemoryLimit(-1))))
		var noticeMu sync.Mutex
		res := corpus.Import(args[1:], *criteria, corpus.Options{MaxPassageRunes: *maxRunes, LaterLargeText: true, Notice: func(p corpus.Problem) {
			// A PDF of thousands of pages: said before its reading ends,
			// so that nobody waits without knowing how long.
			noticeMu.Lock()
			defer noticeMu.Unlock()
			fmt.Fprintf(a.stderr, "%s\n", sanitize.Line(a.localize(p)))
		}})
		for _, w := range res.Warnings {
			fmt.Fprintf(a.stderr, "%s: %s\n", a.t("attention", "warning"), sanitize.Line(a.localize(w)))
		}
		if len(res.Problems) > 0 {
			if !*skip || len(res.Criteria) == 0 {
				for _, p := range res.Problems {
					fmt.Fprintf(a.stderr, "%s\n", sanitize.Line(a.localize(p)))
				}
				if *skip {
					// --skip-invalid skips documents, never the criteria:
					// without one valid criterion there is nothing to review.
					return fmt.Errorf(a.t("%s, dont aucun critère valide dans %s : rien n'a été créé ; corrigez le fichier des critères",
						"%s, and no valid criterion in %s: nothing was created; fix the criteria file"), a.count(len(res.Problems), "problème", "problèmes", "problem", "problems"), *criteria)
				}
				if len(res.Problems) == 1 {
					return errors.New(a.t("1 problème : rien n'a été créé ; corrigez-le ou relancez avec --skip-invalid", "1 problem: nothing was created; fix it or run again with --skip-invalid"))
				}
				return fmt.Errorf(a.t("%s : rien n'a été créé ; corrigez-les ou relancez avec --skip-invalid", "%s: nothing was created; fix them or run again with --skip-invalid"),
					a.count(len(res.Problems), "problème", "problèmes", "problem", "problems"))
			}
			for _, p := range res.Problems {
				fmt.Fprintf(a.stderr, "%s: %s\n", a.t("ignoré", "skipped"), sanitize.Line(a.localize(p)))
			}
		}
		if len(res.Documents) == 0 {
			return errors.New(a.t("aucun document lisible : rien n'a été créé", "no readable document: nothing was created"))
		}
		passages := 0
		for _, d := range res.Documents {
			passages += len(d.Passages) + res.Later[d.ID].Passages
		}
		documents := len(res.Documents)
		// The import is bounded (corpus); what follows encodes the
		// documents into events of at most 1 MiB, written as they are
		// encoded within one transaction, each document's passages let go
		// once encoded.
		now := time.Now()
		var extra []review.Event
		if cond != (review.Conditions{}) {
			extra = append(extra, review.MustEvent(name, "conditions-"+session.NewID(), now, systemActor, review.KindConditionsSet, cond))
		}
		if consentText != "" {
			extra = append(extra, review.MustEvent(name, "consent-"+session.NewID(), now, systemActor, review.KindConsentSet, review.ConsentText{Text: consentText}))
		}
		created := review.SessionCreated{Name: name, Language: *language}
		events, err := sessionEvents(created, res.Documents, res.Later, res.Criteria, extra, now, documentEventBytes)
		if err != nil {
			return err
		}
		var changed corpus.Problem
		if _, err := st.AppendStream(ctx, events); errors.Is(err, store.ErrSessionExists) {
			return a.sessionExists(name)
		} else if errors.As(err, &changed) {
			// A large text read again as it was written, changed since.
			fmt.Fprintf(a.stderr, "%s\n", sanitize.Line(a.localize(changed)))
			return errors.New(a.t("rien n'a été créé", "nothing was created"))
		} else if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, a.t("Session %q créée : %s, %s, %s.\nÉtape suivante : revue propose %s --frugal (sans modèle) ou --model qwen3:4b\n",
			"Session %q created: %s, %s, %s.\nNext: revue propose %s --frugal (no model) or --model qwen3:4b\n"),
			name, a.count(documents, "document", "documents", "document", "documents"),
			a.count(passages, "passage", "passages", "passage", "passages"),
			a.count(len(res.Criteria), "critère", "critères", "criterion", "criteria"), name)
		return nil
	}
}

// initMemoryLimit is the soft memory limit while init reads the documents,
// turns them into events and stores them (runtime/debug.SetMemoryLimit):
// not a cap, a point from which the collector works harder.
const initMemoryLimit = 256 << 20

// writeExampleCriteria is `init --example-criteria [FILE|-]`: the FILE may
// follow the flag as its value (--example-criteria=FILE) or as the one
// argument. It never overwrites a file.
func (a *app) writeExampleCriteria(value string, args []string) error {
	path := value
	switch {
	case len(args) == 1 && value == "-":
		path = args[0]
	case len(args) > 0:
		return usageError{a.t("--example-criteria prend un seul FICHIER, ou « - » pour la sortie standard", "--example-criteria takes one FILE, or \"-\" for the standard output")}
	}
	text := sample.ExampleCriteria(a.lang)
	if path == "-" {
		_, err := a.stdout.Write(text)
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if os.IsExist(err) {
		return fmt.Errorf(a.t("%s existe déjà : choisissez un autre nom, rien n'a été écrit", "%s already exists: choose another name; nothing was written"), path)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(text); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, a.t("Critères d'exemple écrits dans %s. Modifiez-les, puis : revue init NOM --criteria %s DOCUMENTS...\n",
		"Example criteria written to %s. Edit them, then: revue init NAME --criteria %s DOCUMENTS...\n"), path, path)
	return nil
}

// conditions builds the session's experimental conditions from init's
// flags; they are recorded in the trace, so that the export says what
// everybody could see.
func (a *app) conditions(blind bool, hide, random []string, seed int64) (review.Conditions, error) {
	c := review.Conditions{Blind: blind}
	known := []string{review.FactorOrigin, review.FactorConfidence, review.FactorRationale}
	for _, f := range append(slices.Clone(hide), random...) {
		if !slices.Contains(known, f) {
			return c, usagef("%q: %s %s", f, a.t("choisissez parmi", "use one of"), strings.Join(known, ", "))
		}
	}
	c.HideOrigin = slices.Contains(hide, review.FactorOrigin)
	c.HideConfidence = slices.Contains(hide, review.FactorConfidence)
	c.HideRationale = slices.Contains(hide, review.FactorRationale)
	if len(random) > 0 {
		c.Random = &review.Random{Seed: seed, Factors: random}
	}
	return c, nil
}

// readConsent reads a consent text given to init: a regular file of at
// most 64 KiB of text, cleaned like every text that reaches a terminal.
func (a *app) readConsent(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf(a.t("--consent %s : fichier introuvable ou illisible", "--consent %s: file not found or unreadable"), path)
	}
	if !fi.Mode().IsRegular() || fi.Size() > 64<<10 {
		return "", fmt.Errorf(a.t("--consent %s : donnez un fichier texte ordinaire de moins de 64 Kio", "--consent %s: give an ordinary text file under 64 KiB"), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf(a.t("--consent %s : fichier illisible", "--consent %s: unreadable file"), path)
	}
	text := strings.TrimSpace(sanitize.Text(string(b)))
	if text == "" {
		return "", fmt.Errorf(a.t("--consent %s : le fichier est vide", "--consent %s: the file is empty"), path)
	}
	return text, nil
}

func (a *app) sessionExists(name string) error {
	return fmt.Errorf(a.t("la session %q existe déjà dans %s ; choisissez un autre nom", "session %q already exists in %s; choose another name"), name, a.data)
}

// documentEventBytes bounds the JSON of one document event that init
// writes (review.EncodeDocument); a variable so that a test cuts a
// document of a few hundred kilobytes as a 200 MB one is.
var documentEventBytes = review.DocumentEventBytes

// sessionEvents checks the session that created, docs and criteria make,
// then gives the events that create it, each document encoded into events
// of at most limit bytes (review.EncodeDocument) only when the store asks
// for them, and its passages let go once encoded (docs is the caller's,
// given up); the passages of a document in later are read from its file
// as they are encoded. The creation's ID is new each time, so that the
// store refuses a second session of the same name (store.ErrSessionExists)
// instead of taking it for a retry of the first; the other IDs derive from
// the content: "doc-" and the document's SHA-256, then "-2", "-3"… for the
// events that carry its next passages. extra follows the criteria.
func sessionEvents(created review.SessionCreated, docs []review.Document, later map[string]corpus.Later, criteria []review.Criterion, extra []review.Event, now time.Time, limit int) (iter.Seq2[review.Event, error], error) {
	name := created.Name
	first := review.MustEvent(name, "session-"+session.NewID(), now, systemActor, review.KindSessionCreated, created)
	// Check the whole session before anything is written. The fold checks
	// a document by its ID alone, so it is given the documents without
	// their passages: the passages' own rules (IDs, order) hold by
	// construction (corpus).
	check := []review.Event{first}
	for _, d := range docs {
		check = append(check, review.MustEvent(name, "doc-"+d.SHA256, now, systemActor, review.KindDocumentAdded, review.Document{ID: d.ID, Title: d.Title}))
	}
	var tail []review.Event
	for _, c := range criteria {
		tail = append(tail, review.MustEvent(name, "criterion-"+c.ID, now, systemActor, review.KindCriterionAdded, c))
	}
	tail = append(tail, extra...)
	if _, err := review.Replay(withSeq(append(check, tail...))); err != nil {
		return nil, err
	}
	return func(yield func(review.Event, error) bool) {
		if !yield(first, nil) {
			return
		}
		for i := range docs {
			part := 0
			emit := func(k review.Kind, data json.RawMessage) error {
				part++
				id := "doc-" + docs[i].SHA256
				if part > 1 {
					id += "-" + strconv.Itoa(part)
				}
				if !yield(review.Event{Session: name, At: now.UTC(), ID: id, Actor: systemActor, Kind: k, Data: data}, nil) {
					return stopEncoding{}
				}
				return nil
			}
			var err error
			if l, ok := later[docs[i].ID]; ok {
				err = review.EncodeDocumentFrom(&docs[i], l.Read, limit, emit)
			} else {
				err = review.EncodeDocument(&docs[i], limit, emit)
			}
			docs[i].Passages = nil
			if errors.Is(err, stopEncoding{}) {
				return
			}
			if err != nil {
				yield(review.Event{}, err)
				return
			}
		}
		for _, e := range tail {
			if !yield(e, nil) {
				return
			}
		}
	}, nil
}

// stopEncoding ends review.EncodeDocument when the store asks for no more
// events (it failed, or the command was interrupted); it reaches nobody.
type stopEncoding struct{}

func (stopEncoding) Error() string { return "stop" }

func withSeq(events []review.Event) []review.Event {
	out := make([]review.Event, len(events))
	for i, e := range events {
		e.Seq = int64(i + 1)
		out[i] = e
	}
	return out
}
