package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/corpus"
	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/store"
)

// systemActor is the author of what the command line records.
var systemActor = review.Actor{Name: "revue", Role: review.System}

func init() {
	register(command{name: "demo", args: "[--room N] [--reset] [--listen ADDR]",
		summary: [2]string{"une session d'exemple en une commande : l'interface en animation et le serveur SSH",
			"a sample session in one command: the interface as facilitator and the SSH server"},
		long: [2]string{"La session « demo » est faite une fois, à partir d'un corpus d'exemple inclus dans le programme, dans un dossier à elle (DATA/demo) : --reset l'efface et la refait, sans toucher aux sessions de vos ateliers.",
			"The session \"demo\" is made once, from a sample corpus inside the program, in a directory of its own (DATA/demo): --reset deletes it and makes it afresh, without touching the sessions of your workshops."},
		example: "revue demo   # " + "puis / then: ssh -t -p 2222 alice@127.0.0.1 demo\nrevue demo --room 3\nrevue demo --reset",
		flags:   demoFlags})
	register(command{name: "init", args: "NAME --criteria FILE [--skip-invalid] DOC|DIR...  |  init --example-criteria [FILE|-]",
		summary: [2]string{"créer une session à partir de documents et d'une liste de critères",
			"create a session from documents and a list of criteria"},
		long: [2]string{"Tout ou rien : si un fichier est invalide, rien n'est créé et chaque problème est listé ; --skip-invalid importe le reste. --example-criteria écrit un fichier de critères commenté pour commencer.",
			"All or nothing: if one file is invalid, nothing is created and every problem is listed; --skip-invalid imports the rest. --example-criteria writes a commented criteria file to start from."},
		example: "revue init --example-criteria criteres.md\nrevue init atelier --criteria criteres.md rapports/ pads/",
		flags:   initFlags})
	register(command{name: "propose", args: "NAME [--frugal] [--model M] [--embed-model E] [--dry-run] [--negatives N] [--yes] [--per-criterion K] [--parallel P] [--ollama URL]...",
		summary: [2]string{"faire proposer des liens par un modèle local (Ollama), ou sans modèle avec --frugal",
			"have a local model (Ollama) propose links, or no model with --frugal"},
		example: "revue propose atelier --model qwen3:4b --embed-model bge-m3\nrevue propose atelier --dry-run",
		flags:   proposeFlags})
	register(command{name: "serve", args: "[--listen ADDR] [--passcode CODE] [--authorized-keys FILE] [--facilitators FILE] [--session NAME]",
		summary: [2]string{"accueillir les participants par SSH", "host the participants over SSH"},
		example: "revue serve --listen :2222 --passcode tournesol --facilitators animation.pub",
		flags:   serveFlags})
	register(command{name: "review", args: "NAME [--listen ADDR ...]",
		summary: [2]string{"l'interface dans ce terminal, en animation", "the interface in this terminal, as facilitator"},
		example: "revue review atelier --listen :2222",
		flags:   reviewFlags})
	register(command{name: "export", args: "NAME [--format json|jsonl|csv|votes|annotations|qdpx] [--pseudonymize] [-o FILE]",
		summary: [2]string{"exporter une session (JSON revue.export/v2, trace JSONL, CSV, votes, annotations W3C, projet REFI-QDA)",
			"export a session (JSON revue.export/v2, JSONL trace, CSV, votes, W3C annotations, REFI-QDA project)"},
		example: "revue export atelier --pseudonymize -o atelier.json\nrevue export atelier --format csv -o atelier.csv",
		flags:   exportFlags})
	register(command{name: "report", args: "NAME",
		summary: [2]string{"les chiffres d'une session : avancement, accord, acceptation de l'IA, temps, calcul",
			"figures of a session: progress, agreement, AI acceptance, time, compute"},
		example: "revue report atelier",
		flags:   reportFlags})
	register(command{name: "forget", args: "NAME --person WHO",
		summary: [2]string{"retirer une personne : aucun export fait ensuite ne contient ce qu'elle a écrit",
			"withdraw a person: no later export holds what they wrote"},
		long: [2]string{"Le retrait est lui-même inscrit dans la trace ; WHO est le nom de la personne ou l'empreinte de sa clé (SHA256:…).",
			"The withdrawal is itself recorded in the trace; WHO is the person's name or their key's fingerprint (SHA256:...)."},
		example: "revue forget atelier --person camille",
		flags:   forgetFlags})
	register(command{name: "verify", args: "NAME",
		summary: [2]string{"vérifier la chaîne d'empreintes de la trace et l'intégrité du fichier ; nommer le premier événement abîmé",
			"check the trace's hash chain and the file's integrity; name the first bad event"},
		example: "revue verify atelier",
		flags:   verifyFlags})
	register(command{name: "sessions", args: "",
		summary: [2]string{"lister les sessions", "list sessions"},
		example: "revue --data ~/revue sessions",
		flags:   sessionsFlags})
}

// openStore opens the data directory's database.
func (a *app) openStore() (*store.Store, error) {
	return store.Open(filepath.Join(a.data, "revue.db"))
}

// events reads a session's trace, naming the session that does not exist.
func (a *app) events(ctx context.Context, st *store.Store, name string) ([]review.Event, error) {
	events, err := st.Replay(ctx, name)
	if errors.Is(err, store.ErrNoSession) {
		return nil, fmt.Errorf(a.t("pas de session %q dans %s ; `revue sessions` les liste", "no session %q in %s; `revue sessions` lists them"), name, a.data)
	}
	return events, err
}

// load replays a session.
func (a *app) load(ctx context.Context, st *store.Store, name string) ([]review.Event, *review.State, error) {
	events, err := st.Replay(ctx, name)
	if errors.Is(err, store.ErrNoSession) {
		return nil, nil, fmt.Errorf(a.t("pas de session %q dans %s ; `revue sessions` les liste", "no session %q in %s; `revue sessions` lists them"), name, a.data)
	}
	if err != nil {
		return nil, nil, err
	}
	state, err := review.Replay(events)
	if err != nil {
		return nil, nil, fmt.Errorf(a.t("session %q : %w", "session %q: %w"), name, err)
	}
	return events, state, nil
}

func oneName(a *app, args []string) (string, error) {
	if len(args) != 1 {
		return "", usageError{a.t("il faut un nom de session, et un seul", "one session name is needed")}
	}
	return args[0], a.checkName(args[0])
}

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
		res := corpus.Import(args[1:], *criteria, corpus.Options{MaxPassageRunes: *maxRunes})
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
					return fmt.Errorf(a.t("%d problème(s), dont aucun critère valide dans %s : rien n'a été créé ; corrigez le fichier des critères",
						"%d problem(s), and no valid criterion in %s: nothing was created; fix the criteria file"), len(res.Problems), *criteria)
				}
				return fmt.Errorf(a.t("%d problème(s) : rien n'a été créé ; corrigez-les ou relancez avec --skip-invalid", "%d problem(s): nothing was created; fix them or run again with --skip-invalid"), len(res.Problems))
			}
			for _, p := range res.Problems {
				fmt.Fprintf(a.stderr, "%s: %s\n", a.t("ignoré", "skipped"), sanitize.Line(a.localize(p)))
			}
		}
		if len(res.Documents) == 0 {
			return errors.New(a.t("aucun document lisible : rien n'a été créé", "no readable document: nothing was created"))
		}
		now := time.Now()
		events, err := sessionEvents(name, res.Documents, res.Criteria, now)
		if err != nil {
			return err
		}
		events[0] = review.MustEvent(name, events[0].ID, now, systemActor, review.KindSessionCreated, review.SessionCreated{Name: name, Language: *language})
		if cond != (review.Conditions{}) {
			events = append(events, review.MustEvent(name, "conditions-"+session.NewID(), now, systemActor, review.KindConditionsSet, cond))
		}
		if consentText != "" {
			events = append(events, review.MustEvent(name, "consent-"+session.NewID(), now, systemActor, review.KindConsentSet, review.ConsentText{Text: consentText}))
		}
		if _, err := st.Append(ctx, events...); errors.Is(err, store.ErrSessionExists) {
			return a.sessionExists(name)
		} else if err != nil {
			return err
		}
		passages := 0
		for _, d := range res.Documents {
			passages += len(d.Passages)
		}
		fmt.Fprintf(a.stdout, a.t("Session %q créée : %d documents, %d passages, %d critères.\nÉtape suivante : revue propose %s --frugal (sans modèle) ou --model qwen3:4b\n",
			"Session %q created: %d documents, %d passages, %d criteria.\nNext: revue propose %s --frugal (no model) or --model qwen3:4b\n"),
			name, len(res.Documents), passages, len(res.Criteria), name)
		return nil
	}
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

// sessionEvents builds the events that create a session. The creation's ID
// is new each time, so that the store refuses a second session of the same
// name (store.ErrSessionExists) instead of taking it for a retry of the
// first; the other IDs derive from the content.
func sessionEvents(name string, docs []review.Document, criteria []review.Criterion, now time.Time) ([]review.Event, error) {
	events := []review.Event{review.MustEvent(name, "session-"+session.NewID(), now, systemActor, review.KindSessionCreated, review.SessionCreated{Name: name})}
	for _, d := range docs {
		e, err := review.NewEvent(name, "doc-"+d.SHA256, now, systemActor, review.KindDocumentAdded, d)
		if err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	for _, c := range criteria {
		events = append(events, review.MustEvent(name, "criterion-"+c.ID, now, systemActor, review.KindCriterionAdded, c))
	}
	// Check the whole session before anything is written.
	if _, err := review.Replay(withSeq(events)); err != nil {
		return nil, err
	}
	return events, nil
}

func withSeq(events []review.Event) []review.Event {
	out := make([]review.Event, len(events))
	for i, e := range events {
		e.Seq = int64(i + 1)
		out[i] = e
	}
	return out
}

func exportFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	format := fs.String("format", "json", a.t("json, jsonl, csv, votes, annotations ou qdpx", "json, jsonl, csv, votes, annotations or qdpx"))
	pseudo := fs.Bool("pseudonymize", false, a.t("remplacer les noms et empreintes de clés des personnes par P1, P2…", "replace people's names and key fingerprints by P1, P2, ..."))
	out := fs.StringP("output", "o", "", a.t("écrire dans FICHIER plutôt que sur la sortie standard", "write to FILE instead of the standard output"))
	return func(ctx context.Context, args []string) error {
		name, err := oneName(a, args)
		if err != nil {
			return err
		}
		if !slices.Contains(review.Formats, *format) {
			return usagef("--format %q: %s %s", *format, a.t("choisissez parmi", "use one of"), strings.Join(review.Formats, ", "))
		}
		st, err := a.openStore()
		if err != nil {
			return err
		}
		defer st.Close()
		// The events alone, replayed once by the encoder: replaying them
		// here as well would hold two states of a large session at once.
		events, err := a.events(ctx, st, name)
		if err != nil {
			return err
		}
		if *out == "" {
			return review.Export(a.stdout, events, *format, *pseudo)
		}
		return writeAtomically(*out, func(w io.Writer) error { return review.Export(w, events, *format, *pseudo) })
	}
}

// writeAtomically writes a file through a temporary one, so that an
// interrupted export never leaves half a file where a whole one was.
func writeAtomically(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func sessionsFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	return func(ctx context.Context, args []string) error {
		if len(args) != 0 {
			return usageError{a.t("sessions ne prend pas d'argument", "sessions takes no argument")}
		}
		st, err := a.openStore()
		if err != nil {
			return err
		}
		defer st.Close()
		// The store's own counts, kept at each append: listing a hundred
		// large sessions replays none of them.
		sums, err := st.Summaries(ctx)
		if err != nil {
			return err
		}
		if len(sums) == 0 {
			fmt.Fprintln(a.stdout, a.t("Aucune session. Pour commencer : revue demo, ou revue init NOM --criteria FICHIER DOCUMENTS...",
				"No session. To start: revue demo, or revue init NAME --criteria FILE DOCUMENTS..."))
			return nil
		}
		w := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, a.t("SESSION\tCRÉÉE\tDOCUMENTS\tCRITÈRES\tPROPOSITIONS\tDÉCIDÉES", "SESSION\tCREATED\tDOCUMENTS\tCRITERIA\tPROPOSALS\tDECIDED"))
		var damaged []store.Summary
		for _, s := range sums {
			if s.Err != nil {
				damaged = append(damaged, s)
				continue
			}
			fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%d\n", sanitize.Line(s.Name), s.Created.Local().Format("2006-01-02 15:04"), s.Documents, s.Criteria, s.Proposals, s.Decided)
		}
		if err := w.Flush(); err != nil {
			return err
		}
		for _, s := range damaged {
			fmt.Fprintf(a.stderr, a.t("session %s : illisible (%s) ; lancez revue verify %s, puis remettez la dernière sauvegarde si le fichier est endommagé\n",
				"session %s: unreadable (%s); run revue verify %s, then restore your last backup if the file is damaged\n"),
				sanitize.Line(s.Name), sanitize.Line(a.localize(s.Err)), sanitize.Line(s.Name))
		}
		if len(damaged) > 0 {
			return errSilent
		}
		return nil
	}
}

func reportFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	return func(ctx context.Context, args []string) error {
		name, err := oneName(a, args)
		if err != nil {
			return err
		}
		st, err := a.openStore()
		if err != nil {
			return err
		}
		defer st.Close()
		events, err := a.events(ctx, st, name)
		if err != nil {
			return err
		}
		f, err := review.ReportTrace(events)
		if err != nil {
			return err
		}
		return review.WriteReport(a.stdout, f, a.lang)
	}
}
