package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/corpus"
	"github.com/coopdescommuns/revue/propose"
	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
)

// proposeCommand is `revue propose`: links proposed by a local model or,
// with --frugal, by lexical retrieval, their cost said before it is paid.
var proposeCommand = command{name: "propose", args: "NAME [--frugal [--keywords FILE]] [--model M] [--embed-model E] [--dry-run] [--negatives N] [--yes] [--per-criterion K] [--parallel P] [--ollama URL]...",
	summary: [2]string{"faire proposer des liens par un modèle local (Ollama), ou sans modèle avec --frugal",
		"have a local model (Ollama) propose links, or no model with --frugal"},
	example: "revue propose atelier --model qwen3:4b --embed-model bge-m3\nrevue propose atelier --dry-run\nrevue propose atelier --frugal --keywords criteres.md",
	flags:   proposeFlags}

func proposeFlags(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
	var cfg propose.Config
	fs.BoolVar(&cfg.Frugal, "frugal", false, a.t("sans aucun modèle : propositions lexicales (BM25), origine « lexical »", "no model at all: lexical proposals (BM25), origin \"lexical\""))
	fs.StringVar(&cfg.Model, "model", propose.DefaultModel, a.t("modèle Ollama qui juge", "Ollama judge model"))
	fs.StringVar(&cfg.EmbedModel, "embed-model", "", a.t("modèle Ollama d'embeddings pour une recherche hybride, par exemple bge-m3 (par défaut : recherche lexicale seule)", "Ollama embedding model for hybrid retrieval, e.g. bge-m3 (default: lexical retrieval only)"))
	fs.IntVar(&cfg.PerCriterion, "per-criterion", 0, fmt.Sprintf(a.t("passages jugés par critère (par défaut %d ; avec --frugal : le meilleur passage de chaque document, %d au plus)", "passages judged per criterion (default %d; with --frugal: the best passage of each document, at most %d)"), propose.DefaultPerCriterion, propose.DefaultFrugalPerCriterion))
	keywords := fs.String("keywords", "", a.t("avec --frugal : un fichier de critères (.md, .csv, .yaml, .json) dont les mots-clés s'ajoutent pour ce passage, critère par critère (même ID), à ceux de la séance ; les liens déjà proposés ne le sont pas deux fois", "with --frugal: a criteria file (.md, .csv, .yaml, .json) whose keywords are added for this run, criterion by criterion (same ID), to the session's; links already proposed are not proposed twice"))
	fs.IntVar(&cfg.Parallel, "parallel", 1, a.t("appels simultanés par machine Ollama (il lui faut autant de OLLAMA_NUM_PARALLEL ; sur un processeur sans GPU, 2 ne va pas plus vite que 1)", "concurrent judge calls per Ollama host (it needs as many OLLAMA_NUM_PARALLEL; on a CPU without a GPU, 2 is no faster than 1)"))
	fs.StringArrayVar(&cfg.Hosts, "ollama", nil, a.t("adresse d'Ollama, répétable pour répartir le travail (par défaut $OLLAMA_HOST, sinon ", "Ollama address, repeatable to spread the work (default $OLLAMA_HOST, else ")+propose.DefaultHost+")")
	fs.IntVar(&cfg.NumCtx, "num-ctx", propose.DefaultNumCtx, a.t("fenêtre de contexte envoyée à Ollama (num_ctx)", "context window sent to Ollama (num_ctx)"))
	fs.Float64Var(&cfg.PowerWatts, "power", propose.DefaultPowerWatts, a.t("puissance de la machine en watts, pour estimer l'énergie", "the machine's power draw in watts, for the energy estimate"))
	dryRun := fs.Bool("dry-run", false, a.t("dire combien de paires seraient jugées, les tokens et le temps attendus sur cette machine, et s'arrêter là", "say how many pairs would be judged, the expected tokens and time on this machine, and stop there"))
	negatives := fs.Int("negatives", 0, a.t("ajouter N paires que le modèle (ou, avec --frugal, le proposeur lexical) a laissées sans lien, tirées au hasard et écrites comme ses liens, pour mesurer ce qu'il manque", "add N pairs the model (or, with --frugal, the lexical proposer) left unlinked, drawn at random and worded like its links, to measure what it misses"))
	yes := fs.Bool("yes", false, a.t("ne pas demander de confirmation, même pour un travail de plus d'une heure", "do not ask for confirmation, even for a run over an hour"))
	return func(ctx context.Context, args []string) error {
		name, err := oneName(a, args)
		if err != nil {
			return err
		}
		if *negatives < 0 {
			return usagef("--negatives %d: %s", *negatives, a.t("donnez un nombre positif de paires", "give a positive number of pairs"))
		}
		cfg.Negatives = *negatives
		if *keywords != "" {
			if !cfg.Frugal {
				return usagef("--keywords %s: %s", *keywords, a.t("les mots-clés servent la proposition sans modèle : ajoutez --frugal", "keywords serve the proposer without a model: add --frugal"))
			}
			kw, err := a.readKeywords(*keywords)
			if err != nil {
				return err
			}
			cfg.Keywords = kw
		}
		cfg.Lang = a.lang
		cfg.EmbedCache = filepath.Join(a.data, "embeddings")
		return a.withSession(name, func(s *sessionStore) error { return a.propose(ctx, s, cfg, *dryRun, *yes) })
	}
}

// readKeywords reads the keywords of a criteria file, per criterion ID. A
// problem of the file (its line named) stops the run before anything is
// proposed.
func (a *app) readKeywords(path string) (map[string][]string, error) {
	crit, probs := corpus.ReadCriteria(path)
	if len(probs) > 0 {
		for _, p := range probs {
			fmt.Fprintln(a.stderr, sanitize.Line(a.localize(p)))
		}
		return nil, fmt.Errorf(a.t("--keywords %s : %s dans ce fichier de critères ; rien n'a été proposé", "--keywords %s: %s in this criteria file; nothing was proposed"),
			path, a.count(len(probs), "problème", "problèmes", "problem", "problems"))
	}
	kw := map[string][]string{}
	for _, c := range crit {
		if len(c.Keywords) > 0 {
			kw[c.ID] = c.Keywords
		}
	}
	if len(kw) == 0 {
		return nil, fmt.Errorf(a.t("--keywords %s : aucun mot-clé dans ce fichier ; écrivez « Mots-clés : … » sous la description d'un critère", "--keywords %s: no keyword in this file; write \"Keywords: …\" under a criterion's description"), path)
	}
	return kw, nil
}

// propose runs propose on an open session: the cost said and confirmed
// first, then the run with its progress line and its summary.
func (a *app) propose(ctx context.Context, s *sessionStore, cfg propose.Config, dryRun, yes bool) error {
	if cfg.Frugal {
		// A few seconds of lexical work on the whole corpus: a soft memory
		// limit (init's) keeps its garbage (each document's text, read
		// from the store to be indexed) from doubling the heap.
		// A model run is left alone: the collector would take CPU from
		// the model on the same machine for hours.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(min(initMemoryLimit, debug.SetMemoryLimit(-1))))
	}
	// The lexical proposer indexes the passages one document at a time
	// and quotes a few: it reads the text from the store (leanState); a
	// model run reads every passage, folded once (servedState).
	load := s.servedState
	if cfg.Frugal {
		load = s.leanState
	}
	state, err := load(ctx)
	if err != nil {
		return err
	}
	a.sayServed(s.name)
	if !cfg.Frugal {
		// The cost is said before it is paid: pairs, tokens, time on
		// this machine (from earlier runs, or one measured call).
		pl, err := propose.Estimate(ctx, state, cfg, propose.EstimateOptions{WarmUp: true})
		if err != nil {
			return err
		}
		for _, l := range pl.Lines(a.lang) {
			fmt.Fprintln(a.stdout, l)
		}
		if dryRun {
			return nil
		}
		in, _ := a.stdin.(*os.File)
		if !propose.Confirm(pl, propose.DefaultConfirmAbove, yes, in, a.stderr, a.lang) {
			return errors.New(a.t("Arrêté avant de commencer : rien n'a été demandé au modèle.", "Stopped before starting: nothing was asked of the model."))
		}
		cfg.Estimate = pl.Duration
	} else if dryRun {
		fmt.Fprintln(a.stdout, a.t("Mode frugal : aucun modèle, quelques secondes de calcul lexical.", "Frugal mode: no model, a few seconds of lexical computing."))
		return nil
	}
	bar := newProgressLine(a, term.IsTerminal(os.Stderr.Fd()) && a.stderr == os.Stderr)
	// The sink outlives Ctrl-C: the answers already paid for and the run's
	// cost are still written after an interrupt.
	sink := func(events []review.Event) error {
		_, err := s.Append(context.WithoutCancel(ctx), events...)
		return err
	}
	run, err := propose.Run(ctx, state, cfg, sink, bar.update)
	bar.done()
	if run.Calls > 0 || run.Proposals > 0 || err == nil {
		printRun(a, run)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, a.t("Étape suivante : revue review %s   (ou revue serve pour accueillir les participants)\n",
		"Next: revue review %s   (or revue serve to host the participants)\n"), s.name)
	return nil
}

func printRun(a *app, r review.ProposeRun) {
	mode := r.Model
	if r.Mode == "lexical" {
		mode = a.t("lexical, sans modèle", "lexical, no model")
	}
	energy := a.t("estimation", "estimate")
	if strings.HasPrefix(r.EnergySource, "rapl:") {
		energy = a.t("mesuré", "measured") + " (" + r.EnergySource + ")"
	} else if r.EnergyFormula != "" {
		energy += a.t(" : ", ": ") + review.EnergyFormulaIn(a.lang, r.EnergyFormula)
	}
	fmt.Fprintf(a.stdout, a.t(
		"Propositions (%s) : %s ; %s sur %s, %s, %s en échec.\nCalcul : %s, %s, %s, %v de modèle, %s Wh (%s).\n",
		"Proposals (%s): %s; %s of %s, %s, %s failed.\nCompute: %s, %s, %s, %v of model time, %s Wh (%s).\n"),
		mode, a.count(r.Proposals, "nouvelle", "nouvelles", "new", "new"),
		a.count(r.Pairs, "paire jugée", "paires jugées", "pair judged", "pairs judged"), a.count(r.Exhaustive, "possible", "possibles", "possible", "possible"),
		a.count(r.Skipped, "déjà faite", "déjà faites", "done before", "done before"), review.FormatInt(a.lang, int64(r.Failed)),
		a.count(r.Calls, "appel", "appels", "call", "calls"),
		review.FormatCount(a.lang, r.PromptTokens, "token envoyé (cache compris)", "tokens envoyés (cache compris)", "token sent (cached ones included)", "tokens sent (cached ones included)"),
		review.FormatCount(a.lang, r.OutputTokens, "écrit", "écrits", "written", "written"),
		time.Duration(r.ModelNanos).Round(time.Second), a.decimal(r.EnergyWh), energy)
	if len(r.Expansions) > 0 {
		kw, syn := 0, 0
		for _, e := range r.Expansions {
			phrases := map[string]bool{} // a keyword of two words is one keyword
			for _, x := range e.Terms {
				if x.Source == propose.SourceKeyword {
					phrases[x.From] = true
				} else {
					syn++
				}
			}
			kw += len(phrases)
		}
		fmt.Fprintf(a.stdout, a.t("Mots cherchés en plus de ceux des critères : %s, %s (la trace les garde, critère par critère).\n",
			"Words searched besides the criteria's own: %s, %s (kept in the trace, criterion by criterion).\n"),
			a.count(kw, "mot-clé", "mots-clés", "keyword", "keywords"), a.count(syn, "synonyme du thésaurus", "synonymes du thésaurus", "thesaurus synonym", "thesaurus synonyms"))
	}
	if r.Negatives > 0 {
		fmt.Fprintf(a.stdout, a.t("Réponses « pas de lien » ajoutées pour être jugées : %d (tirage %d).\n", "\"No link\" answers added to be judged: %d (seed %d).\n"), r.Negatives, r.NegativeSeed)
	}
}

// progressLine shows propose's progress: a bar redrawn in place on a
// terminal, a plain line every ten seconds otherwise (a log file).
type progressLine struct {
	a        *app
	tty      bool
	last     time.Time
	lastLine int
}

func newProgressLine(a *app, tty bool) *progressLine { return &progressLine{a: a, tty: tty} }

func (p *progressLine) update(pr propose.Progress) {
	if pr.Total == 0 {
		return
	}
	now := time.Now()
	if !p.tty && now.Sub(p.last) < 10*time.Second && pr.Done != pr.Total {
		return
	}
	p.last = now
	const width = 30
	filled := width * pr.Done / pr.Total
	line := fmt.Sprintf("[%s%s] %d/%d", strings.Repeat("#", filled), strings.Repeat("-", width-filled), pr.Done, pr.Total)
	if pr.Failed > 0 {
		line += fmt.Sprintf(" · %d %s", pr.Failed, p.a.t("en échec", "failed"))
	}
	switch {
	case pr.Phase == propose.PhaseEmbed && pr.TextsPerSec > 0:
		line += " · " + p.a.decimal(pr.TextsPerSec) + p.a.t(" textes/s", " texts/s")
	case pr.Phase == propose.PhaseJudge && pr.OutputTokensPerSec > 0:
		line += " · " + p.a.decimal(pr.OutputTokensPerSec) + " tok/s"
	}
	if pr.Left > 0 {
		line += fmt.Sprintf(" · %s %v", p.a.t("reste", "left"), pr.Left.Round(time.Second))
	}
	if p.tty {
		fmt.Fprintf(p.a.stderr, "\r%-*s", p.lastLine, line)
		p.lastLine = len(line)
	} else {
		fmt.Fprintln(p.a.stderr, line)
	}
}

func (p *progressLine) done() {
	if p.tty && p.lastLine > 0 {
		fmt.Fprintln(p.a.stderr)
	}
}

// decimal writes a figure with two decimals, a comma in French.
func (a *app) decimal(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	if a.lang == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
