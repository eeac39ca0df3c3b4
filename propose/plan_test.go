package propose

import (
	"bytes"
	"context"
	"github.com/coopdescommuns/revue/internal/testtool"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/propose/ollamafake"
	"github.com/coopdescommuns/revue/review"
)

// TestPlanArithmetic checks the estimate's sums on a case worked by hand:
// 2 slots, 3 calls on passage A and 1 on B, 3 characters a token.
func TestPlanArithmetic(t *testing.T) {
	calls := []promptChars{
		{passage: "A", system: 300, shared: 900, own: 60},
		{passage: "A", system: 300, shared: 900, own: 90},
		{passage: "A", system: 300, shared: 900, own: 30},
		{passage: "B", system: 300, shared: 30, own: 60},
	}
	sp := &speeds{source: SpeedsWarmUp, promptTPS: 20, outputTPS: 5, charsPerToken: 3, outputPerPair: 40, load: 2 * time.Second}
	pl := Plan{Slots: 2, Hosts: 1}
	planTokens(&pl, sp, calls)
	// Sent: every call sends everything, plus the template's 8 tokens.
	// (100+300+20+8) + (100+300+30+8) + (100+300+10+8) + (100+10+20+8) = 1,422.
	if pl.PromptTokensSent != 1422 {
		t.Errorf("sent %d, want 1422", pl.PromptTokensSent)
	}
	// Evaluated: every criterion and the template (20+30+10+20 + 4×8 =
	// 112), each passage once (300+10), the instructions once on each of
	// the two slots (2×100): 112+310+200 = 622.
	if pl.PromptTokens != 622 {
		t.Errorf("evaluated %d, want 622", pl.PromptTokens)
	}
	if pl.OutputTokens != 160 {
		t.Errorf("output %d, want 4 × 40", pl.OutputTokens)
	}
	// 622/20 + 160/5 = 31.1 + 32 = 63.1 s, plus 2 s of loading.
	if want := 65100 * time.Millisecond; pl.Duration != want {
		t.Errorf("duration %v, want %v", pl.Duration, want)
	}
	// Two hosts share the judging, not the loading (each loads at once).
	pl2 := Plan{Slots: 2, Hosts: 2}
	planTokens(&pl2, sp, calls)
	if want := 31550*time.Millisecond + 2*time.Second; pl2.Duration != want {
		t.Errorf("two hosts: %v, want %v", pl2.Duration, want)
	}
	// What a call costs besides its tokens (the grammar, mostly) is paid
	// once per call: 4 calls of 1.5 s, shared by the hosts.
	sp.perCall = 1500 * time.Millisecond
	pl4, pl5 := Plan{Slots: 2, Hosts: 1}, Plan{Slots: 2, Hosts: 2}
	planTokens(&pl4, sp, calls)
	planTokens(&pl5, sp, calls)
	if pl4.Duration != pl.Duration+6*time.Second || pl5.Duration != pl2.Duration+3*time.Second || pl4.PerCall != sp.perCall {
		t.Errorf("per call: %v and %v, want %v and %v", pl4.Duration, pl5.Duration, pl.Duration+6*time.Second, pl2.Duration+3*time.Second)
	}
	sp.perCall = 0
	// A trace's prompt speed counts cached tokens: it applies to the sent.
	sp.effective = true
	pl3 := Plan{Slots: 2, Hosts: 1}
	planTokens(&pl3, sp, calls)
	if want := time.Duration((1422.0/20+32)*float64(time.Second)) + 2*time.Second; pl3.Duration != want {
		t.Errorf("effective speed: %v, want %v", pl3.Duration, want)
	}
}

// TestEstimateFromTraceAndWarmUp runs Estimate against the fake: first with
// a warm-up (one call, nothing written), then from the speeds of a run
// recorded in the trace (no call at all).
func TestEstimateFromTraceAndWarmUp(t *testing.T) {
	f := newFake(t)
	f.SetAnswer(keywordJudge(testKeywords))
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	var p pauses
	cfg := testConfig(&p, f.URL)
	pl, err := Estimate(context.Background(), tr.st.Snapshot(), cfg, EstimateOptions{WarmUp: true})
	if err != nil {
		t.Fatal(err)
	}
	// The fake's total_duration is 7/60 more than its load, prompt and
	// eval durations: that is the call's own cost.
	if pl.PerCall <= 0 {
		t.Errorf("the warm-up measured no cost per call: %v", pl.PerCall)
	}
	if f.Chats() != 1 || pl.Speeds != SpeedsWarmUp || len(tr.events) != 0 {
		t.Fatalf("warm-up: %d calls, speeds %q, %d events", f.Chats(), pl.Speeds, len(tr.events))
	}
	if !strings.HasPrefix(f.Calls()[0].System, "(estimation ") {
		t.Errorf("the warm-up's prompt does not start fresh: %.40q", f.Calls()[0].System)
	}
	if pl.Pairs == 0 || pl.Skipped != 0 || pl.Exhaustive != 18 || pl.PromptTokens <= 0 || pl.PromptTokens >= pl.PromptTokensSent || pl.Duration <= 0 {
		t.Fatalf("plan %+v", pl)
	}
	run, err := Run(context.Background(), tr.st.Snapshot(), cfg, tr.sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	if run.Pairs != pl.Pairs || run.EstimateNanos != 0 {
		t.Errorf("the plan said %d pairs, the run judged %d", pl.Pairs, run.Pairs)
	}
	if run.PromptNanos == 0 || run.EvalNanos == 0 || run.PromptTokensPerSec <= 0 || run.OutputTokensPerSec <= 0 || run.PromptChars == 0 {
		t.Fatalf("run speeds not recorded: %+v", run)
	}
	calls := f.Chats()
	pl2, err := Estimate(context.Background(), tr.st.Snapshot(), cfg, EstimateOptions{WarmUp: true})
	if err != nil {
		t.Fatal(err)
	}
	if f.Chats() != calls || pl2.Speeds != SpeedsTrace || pl2.Pairs != 0 || pl2.Skipped != run.Pairs {
		t.Fatalf("from the trace: %d new calls, plan %+v", f.Chats()-calls, pl2)
	}
	// Without a trace and without a warm-up, a guess, said as such.
	pl3, err := Estimate(context.Background(), newState(t, testDocs, testCriteria), cfg, EstimateOptions{})
	if err != nil || pl3.Speeds != SpeedsGuess || f.Chats() != calls {
		t.Fatalf("guess: %+v %v", pl3, err)
	}
	lines := strings.Join(pl3.Lines("fr"), "\n")
	for _, want := range []string{"Paires à juger : ", "Tokens prévus", "Durée estimée", "supposées"} {
		if !strings.Contains(lines, want) {
			t.Errorf("plan lines lack %q:\n%s", want, lines)
		}
	}
}

// TestConfirmAsksOnlyOnATerminal: a pipe on stdin (a script, a scheduled
// job) never gets a question, whatever the duration; --yes neither.
func TestConfirmAsksOnlyOnATerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	w.WriteString("n\n")
	long := Plan{Duration: 5 * time.Hour}
	var out bytes.Buffer
	if !Confirm(long, DefaultConfirmAbove, false, r, &out, "fr") || out.Len() != 0 {
		t.Fatalf("not a terminal: asked %q", out.String())
	}
	if !Confirm(long, DefaultConfirmAbove, true, nil, &out, "fr") || out.Len() != 0 {
		t.Fatalf("--yes: asked %q", out.String())
	}
	if !Confirm(Plan{Duration: 20 * time.Minute}, DefaultConfirmAbove, false, r, &out, "fr") || out.Len() != 0 {
		t.Fatal("a short run asked")
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		12 * time.Second: "12 s", 90 * time.Second: "2 min", 59 * time.Minute: "59 min",
		3*time.Hour + 5*time.Minute: "3 h 05", 25 * time.Hour: "25 h 00",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}

// TestEnergyFromRAPL points the run at a fake powercap directory: the
// package counter (not its sub-zone) gives the energy, wrapping once.
func TestEnergyFromRAPL(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, v string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(v+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("intel-rapl:0/name", "package-0")
	write("intel-rapl:0/energy_uj", "262143000000")
	write("intel-rapl:0/max_energy_range_uj", "262143328850")
	write("intel-rapl:0:0/name", "core") // a sub-zone: counted in its package
	write("intel-rapl:0:0/energy_uj", "5")
	f := newFake(t)
	f.SetAnswer(keywordJudge(testKeywords))
	var p pauses
	cfg := testConfig(&p, f.URL)
	cfg.PowercapDir = dir
	tr := &trace{st: newState(t, testDocs, testCriteria)}
	// The counter moves during the run: the sink writes it forward as the
	// first answers arrive, past its wrap.
	moved := false
	sink := func(evs []review.Event) error {
		if !moved {
			moved = true
			write("intel-rapl:0/energy_uj", "7199671150") // 328,850 µJ before the wrap + 7,199,671,150 after
		}
		return tr.sink(evs)
	}
	run, err := Run(context.Background(), tr.st.Snapshot(), cfg, sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	// (328,850 + 7,199,671,150) µJ = 7,200,000,000 µJ = 2 Wh.
	if run.EnergySource != "rapl:intel-rapl:0 (package-0)" || run.EnergyFormula != "" || run.EnergyWh < 1.9999 || run.EnergyWh > 2.0001 {
		t.Fatalf("energy %v Wh from %q (%q)", run.EnergyWh, run.EnergySource, run.EnergyFormula)
	}
	// No readable counter: an estimate, with its formula.
	cfg.PowercapDir = filepath.Join(dir, "none")
	run, err = Run(context.Background(), newState(t, testDocs, testCriteria), cfg, (&trace{st: newState(t, testDocs, testCriteria)}).sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	if run.EnergySource != EnergyEstimate || run.EnergyFormula != "30 W × 1 machine × wall time (h)" || run.EnergyWh <= 0 {
		t.Fatalf("estimate: %v Wh from %q (%q)", run.EnergyWh, run.EnergySource, run.EnergyFormula)
	}
}

// TestEmbeddingShowsItsCost: embedding reports its progress and its speed
// from the first batch, which is small so that the speed shows early; the
// run records the texts and their speed for the next estimate.
func TestEmbeddingShowsItsCost(t *testing.T) {
	f := newFake(t)
	f.SetEmbedder(func(s string) []float32 { return ollamafake.HashEmbedWords(Terms(s)) })
	st := realSampleState(t, 0) // 65 passages + 9 criteria = 74 texts
	tr := &trace{st: st.Snapshot()}
	var p pauses
	cfg := testConfig(&p, f.URL)
	cfg.EmbedModel = "bge-m3"
	var embeds []Progress
	run, err := Run(context.Background(), st, cfg, tr.sink, func(pr Progress) {
		if pr.Phase == PhaseEmbed {
			embeds = append(embeds, pr)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	// Batches of 4, 32, 32 and 6.
	if f.Embeds() != 4 || len(embeds) != 4 {
		t.Fatalf("%d embed calls, %d progress reports", f.Embeds(), len(embeds))
	}
	if embeds[0].Done != embedFirstBatch || embeds[3].Done != 74 || embeds[3].Total != 74 {
		t.Fatalf("progress %+v", embeds)
	}
	for _, e := range embeds {
		if e.TextsPerSec <= 0 {
			t.Fatalf("no speed in %+v", e)
		}
	}
	if run.EmbedTexts != 74 || run.EmbedTextsPerSec <= 0 {
		t.Fatalf("run %d texts at %v/s", run.EmbedTexts, run.EmbedTextsPerSec)
	}
	// The next estimate knows the embedding's speed.
	pl, err := Estimate(context.Background(), tr.st.Snapshot(), cfg, EstimateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if pl.EmbedTexts != 74 || pl.EmbedTextsPerSec != run.EmbedTextsPerSec || pl.EmbedDuration <= 0 {
		t.Fatalf("plan embeds %d texts at %v/s in %v", pl.EmbedTexts, pl.EmbedTextsPerSec, pl.EmbedDuration)
	}
}

// TestWarmUpAsksAgainOnACutStream: a warm-up whose stream is cut is asked
// once more, as a judged pair would be, instead of failing the estimate.
func TestWarmUpAsksAgainOnACutStream(t *testing.T) {
	f := newFake(t)
	f.SetAnswer(keywordJudge(testKeywords))
	f.SetFault(func(c ollamafake.Call) ollamafake.Fault {
		if c.N == 1 {
			return ollamafake.MidStream
		}
		return ollamafake.None
	})
	var p pauses
	pl, err := Estimate(context.Background(), newState(t, testDocs, testCriteria), testConfig(&p, f.URL), EstimateOptions{WarmUp: true})
	if err != nil || pl.Speeds != SpeedsWarmUp || f.Chats() != 2 {
		t.Fatalf("plan %+v, err %v, %d calls", pl, err, f.Chats())
	}
}

// TestPlanPlurals writes a plan with every count at 0, 1 and 2 in both
// languages, with a model and without: a noun after a count agrees with it.
func TestPlanPlurals(t *testing.T) {
	want := map[string]map[int][]string{
		"fr": {
			1: {"au plus 1 proposition lexicale (sur 1 paire possible)", "sur 1 possible ; 1 déjà jugée", "1 lu (1 envoyé", "1 écrit.", "1 texte à"},
			2: {"au plus 2 propositions lexicales (sur 2 paires possibles)", "sur 2 possibles ; 2 déjà jugées", "2 lus (2 envoyés", "2 écrits.", "2 textes à"},
		},
		"en": {
			0: {"at most 0 lexical proposals (of 0 possible pairs)"},
			1: {"at most 1 lexical proposal (of 1 possible pair)", "1 judged before", "1 text at"},
			2: {"at most 2 lexical proposals (of 2 possible pairs)", "2 texts at"},
		},
	}
	for _, lang := range []string{"fr", "en"} {
		for n := range 3 {
			var out []string
			for _, model := range []string{"", "m"} {
				pl := Plan{Model: model, EmbedModel: "e", EmbedTextsPerSec: 1}
				testtool.SetInts(&pl, n)
				out = append(out, pl.Lines(lang)...)
			}
			text := strings.Join(out, "\n")
			if n == 0 {
				// With no pair to judge, the plan stops after its first line.
				pl := Plan{Model: "m", EmbedModel: "e", Pairs: 1, EmbedTextsPerSec: 1}
				text += "\n" + strings.Join(pl.Lines(lang), "\n")
			}
			testtool.CheckPlurals(t, lang, n, text, want[lang][n])
		}
	}
}
