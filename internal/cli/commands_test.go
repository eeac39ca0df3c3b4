package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/propose/ollamafake"
	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sample"
	"github.com/coopdescommuns/revue/store"
)

// run is Main without the process, on the given streams.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return (&app{stdin: stdin, stdout: stdout, stderr: stderr}).run(ctx, args)
}

// revue runs the whole command line in-process against a data directory.
func revue(t *testing.T, data string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{"--data", data, "--lang", "en"}, args...)
	code = run(context.Background(), full, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func sampleFiles(t *testing.T) (docs []string, criteria string) {
	t.Helper()
	docs, criteria, err := sample.WriteTo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return docs, criteria
}

func TestInitProposeExportReport(t *testing.T) {
	data := t.TempDir()
	docs, criteria := sampleFiles(t)
	args := append([]string{"init", "atelier", "--criteria", criteria}, docs...)
	if code, out, errs := revue(t, data, args...); code != 0 || !strings.Contains(out, `Session "atelier" created: 7 documents`) {
		t.Fatalf("init: %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := revue(t, data, args...); code != 1 || !strings.Contains(errs, "already exists") {
		t.Fatalf("second init: %d %s", code, errs)
	}
	if code, out, errs := revue(t, data, "propose", "atelier", "--frugal"); code != 0 || !strings.Contains(out, "lexical, no model") {
		t.Fatalf("propose: %d\n%s\n%s", code, out, errs)
	}
	code, out, _ := revue(t, data, "sessions")
	if code != 0 || !strings.Contains(out, "atelier") || !strings.Contains(out, "  7  ") {
		t.Fatalf("sessions: %d\n%s", code, out)
	}
	code, out, errs := revue(t, data, "export", "atelier")
	if code != 0 {
		t.Fatalf("export: %s", errs)
	}
	var doc struct {
		Format    string
		Proposals []struct {
			Origin review.Origin
			Status string
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Format != review.ExportFormat || len(doc.Proposals) == 0 {
		t.Fatalf("export is not revue.export/v1 with proposals: %v %s", err, out[:min(200, len(out))])
	}
	for _, p := range doc.Proposals {
		if p.Origin.Kind != review.OriginLexical || p.Status != "pending" {
			t.Fatalf("proposal %+v", p)
		}
	}
	for _, f := range review.Formats {
		path := filepath.Join(t.TempDir(), "out."+f)
		if code, _, errs := revue(t, data, "export", "atelier", "--format", f, "--pseudonymize", "-o", path); code != 0 {
			t.Fatalf("export %s: %s", f, errs)
		}
		if b, err := os.ReadFile(path); err != nil || len(b) == 0 {
			t.Fatalf("export %s wrote nothing: %v", f, err)
		}
	}
	if code, out, _ := revue(t, data, "report", "atelier"); code != 0 || !strings.Contains(out, "Origin lexical") || !strings.Contains(out, "Progress") {
		t.Fatalf("report: %d\n%s", code, out)
	}
}

func TestInitAllOrNothing(t *testing.T) {
	data := t.TempDir()
	docs, criteria := sampleFiles(t)
	empty := filepath.Join(t.TempDir(), "vide.md")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"init", "atelier", "--criteria", criteria, empty}, docs...)
	code, _, errs := revue(t, data, args...)
	if code != 1 || !strings.Contains(errs, "vide.md") || !strings.Contains(errs, "nothing was created") {
		t.Fatalf("init with an empty file: %d %s", code, errs)
	}
	if _, out, _ := revue(t, data, "sessions"); !strings.Contains(out, "No session") {
		t.Fatalf("a session was created: %s", out)
	}
	args = append([]string{"init", "atelier", "--skip-invalid", "--criteria", criteria, empty}, docs...)
	code, out, errs := revue(t, data, args...)
	if code != 0 || !strings.Contains(errs, "skipped: ") || !strings.Contains(out, "7 documents") {
		t.Fatalf("--skip-invalid: %d %s %s", code, out, errs)
	}
}

func TestUsageErrors(t *testing.T) {
	data := t.TempDir()
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"init", "x"}, 2, "a session name and at least one document"},
		{[]string{"init", "x", "doc.md"}, 2, "--criteria FILE is required"},
		{[]string{"init", "bad name", "--criteria", "c.md", "d.md"}, 2, "invalid session name"},
		{[]string{"export", "nope"}, 1, `no session "nope"`},
		{[]string{"export", "x", "--format", "xml"}, 2, `--format "xml"`},
		{[]string{"report"}, 2, "one session name is needed"},
		{[]string{"sessions", "--bogus"}, 2, "unknown flag"},
		{[]string{"--lang", "de", "sessions"}, 2, "use fr or en"},
		{[]string{"init", "x", "--criteria", "/nonexistent/c.md", "/nonexistent/d"}, 1, "/nonexistent/"},
	}
	for _, tt := range tests {
		code, _, errs := revue(t, data, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("revue %v = %d %q, want %d and %q", tt.args, code, errs, tt.code, tt.want)
		}
		if strings.Contains(errs, "goroutine ") || strings.Contains(errs, ".go:") {
			t.Errorf("revue %v printed a stack trace: %s", tt.args, errs)
		}
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	for _, c := range commands {
		code, out, _ := revue(t, t.TempDir(), c.name, "--help")
		if code != 0 || !strings.Contains(out, "Example") || !strings.Contains(out, "revue "+c.name) {
			t.Errorf("%s --help: %d\n%s", c.name, code, out)
		}
	}
	var out bytes.Buffer
	if code := run(context.Background(), []string{"--lang", "fr", "--help"}, nil, &out, &out); code != 0 || !strings.Contains(out.String(), "relire ensemble") {
		t.Errorf("French help: %d %s", code, out.String())
	}
}

func TestDemoSessionIsMadeOnce(t *testing.T) {
	data := t.TempDir()
	a := &app{data: data, lang: "fr", stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	st, err := a.openStore()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	for range 2 {
		if err := a.ensureDemo(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	state, err := a.load(ctx, st, demoSession)
	if err != nil {
		t.Fatal(err)
	}
	if len(state.Runs) != 1 || len(state.Proposals) == 0 || len(state.Criteria) != 9 || len(state.Documents) != 7 {
		t.Fatalf("demo: %d runs, %d proposals, %d criteria, %d documents", len(state.Runs), len(state.Proposals), len(state.Criteria), len(state.Documents))
	}
	examples := 0
	for _, p := range state.Proposals {
		if p.Origin.Kind == review.OriginExample {
			examples++
			continue
		}
		if !strings.Contains(p.Statement, "Le passage (") {
			t.Fatalf("a French demo proposal says %q", p.Statement)
		}
	}
	if examples == 0 || examples == len(state.Proposals) {
		t.Fatalf("the demo holds %d example links of %d proposals, want both kinds", examples, len(state.Proposals))
	}
}

func TestDetectLang(t *testing.T) {
	tests := []struct {
		flag    string
		locales []string
		want    string
	}{
		{"", []string{"fr_FR.UTF-8"}, "fr"},
		{"", []string{"en_US.UTF-8", ""}, "en"},
		{"", []string{"", "fr_CA"}, "fr"},
		{"en", []string{"fr_FR.UTF-8"}, "en"},
		{"", nil, "en"},
		// LC_ALL, LC_MESSAGES, LANG: the first one set decides.
		{"", []string{"C", "", "fr_FR.UTF-8"}, "en"},
		{"", []string{"", "en_GB.UTF-8", "fr_FR.UTF-8"}, "en"},
		{"", []string{"fr_BE.UTF-8", "en_GB.UTF-8", "en_GB.UTF-8"}, "fr"},
	}
	for _, tt := range tests {
		if got := detectLang(tt.flag, tt.locales...); got != tt.want {
			t.Errorf("detectLang(%q, %v) = %q", tt.flag, tt.locales, got)
		}
	}
	// The process's own variables, in that order.
	t.Setenv("LANG", "fr_FR.UTF-8")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LC_ALL", "C.UTF-8")
	if got := detectLang("", locales()...); got != "en" {
		t.Errorf("LC_ALL=C.UTF-8 over LANG=fr_FR.UTF-8: %q", got)
	}
}

func TestProposeWithOllama(t *testing.T) {
	data := t.TempDir()
	docs, criteria := sampleFiles(t)
	if code, _, errs := revue(t, data, append([]string{"init", "atelier", "--criteria", criteria}, docs...)...); code != 0 {
		t.Fatal(errs)
	}
	fake := ollamafake.New(ollamafake.Model{Name: "qwen3:4b", Digest: "sha256:" + strings.Repeat("ab", 32)})
	defer fake.Close()

	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	code, _, errs := revue(t, data, "propose", "atelier", "--ollama", closed.URL)
	if code != 1 || !strings.Contains(errs, "ollama serve") || !strings.Contains(errs, "--frugal") {
		t.Errorf("Ollama down: %d %s", code, errs)
	}
	code, _, errs = revue(t, data, "propose", "atelier", "--ollama", fake.URL, "--model", "mistral:7b")
	if code != 1 || !strings.Contains(errs, "ollama pull mistral:7b") {
		t.Errorf("model missing: %d %s", code, errs)
	}
	if fake.Chats() != 0 {
		t.Fatalf("%d judge calls before the checks passed", fake.Chats())
	}
	code, out, errs := revue(t, data, "propose", "atelier", "--ollama", fake.URL, "--per-criterion", "2")
	if code != 0 || !strings.Contains(out, "18 pairs judged") {
		t.Fatalf("propose: %d\n%s\n%s", code, out, errs)
	}
	calls := fake.Chats()
	code, out, _ = revue(t, data, "propose", "atelier", "--ollama", fake.URL, "--per-criterion", "2")
	if code != 0 || fake.Chats() != calls || !strings.Contains(out, "18 done before") {
		t.Fatalf("a rerun asked %d more questions:\n%s", fake.Chats()-calls, out)
	}
}

// TestSecondCreationRefused checks what init relies on when two of them race
// past its early check: the store refuses a second session of the same name
// rather than adding its documents to the first.
func TestSecondCreationRefused(t *testing.T) {
	a := &app{data: t.TempDir(), lang: "en"}
	st, err := a.openStore()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	doc := review.Document{ID: strings.Repeat("a", 64), SHA256: strings.Repeat("a", 64), Title: "A", Format: "text"}
	first, err := sessionEvents(review.SessionCreated{Name: "atelier"}, []review.Document{doc}, nil, nil, nil, time.Now(), documentEventBytes)
	if err != nil {
		t.Fatal(err)
	}
	n, err := st.AppendStream(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	other := doc
	other.ID, other.SHA256 = strings.Repeat("b", 64), strings.Repeat("b", 64)
	second, _ := sessionEvents(review.SessionCreated{Name: "atelier"}, []review.Document{other}, nil, nil, nil, time.Now(), documentEventBytes)
	if _, err := st.AppendStream(ctx, second); !errors.Is(err, store.ErrSessionExists) {
		t.Fatalf("second creation: %v, want ErrSessionExists", err)
	}
	if events, _ := st.Replay(ctx, "atelier"); len(events) != n {
		t.Fatalf("the session has %d events, want %d", len(events), n)
	}
}

// TestProposeKeywords checks `revue propose --frugal --keywords FILE`: the
// keywords of a criteria file written after `init` bring proposals for a
// criterion that had none, earlier proposals are not made twice, and a bad
// file or an unknown criterion stops the run with one sentence.
func TestProposeKeywords(t *testing.T) {
	data, dir := t.TempDir(), t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	notes := []string{
		write("ag.md", "# AG du jardin\n\nCompte rendu de l'assemblée générale du 12 mars. Chaque adhérent a voté la charte d'arrosage après un tour de parole. La proposition de Karim a été amendée puis adoptée par consensus.\n"),
		write("fablab.md", "# Soirée du fablab\n\nLes usagers ont réécrit le fonctionnement des machines pendant trois soirées ouvertes. Un questionnaire a permis aux absents de donner leur avis sur chaque proposition avant le vote.\n"),
		write("repair.md", "# Repair café\n\nLes outils sont rangés dans la cabane. Le café est offert aux visiteurs, et la prochaine permanence aura lieu samedi.\n"),
	}
	criteria := write("criteres.md", "## C3 — Décider ensemble des règles\nLes personnes concernées par les règles participent à leur élaboration et peuvent les faire évoluer.\n")
	if code, _, errs := revue(t, data, append([]string{"init", "atelier", "--criteria", criteria}, notes...)...); code != 0 {
		t.Fatal(errs)
	}
	if code, out, errs := revue(t, data, "propose", "atelier", "--frugal"); code != 0 || !strings.Contains(out, "0 new") {
		t.Fatalf("without keywords: %d %s %s", code, out, errs)
	}
	withKeywords := write("mots-cles.md", "## C3 — Décider ensemble des règles\nMots-clés : assemblée générale, vote, avis, proposition, consensus\n")
	if code, out, errs := revue(t, data, "propose", "atelier", "--frugal", "--keywords", withKeywords); code != 0 || !strings.Contains(out, "2 new") ||
		!strings.Contains(out, "Words searched besides the criteria's own: 5 keywords") {
		t.Fatalf("with keywords: %d %s %s", code, out, errs)
	}
	if code, out, errs := revue(t, data, "propose", "atelier", "--frugal", "--keywords", withKeywords); code != 0 || !strings.Contains(out, "0 new") || !strings.Contains(out, "2 done before") {
		t.Fatalf("again: %d %s %s", code, out, errs)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--keywords", withKeywords}, 2, "add --frugal"},
		{[]string{"--frugal", "--keywords", write("autre.md", "## C9 — Autre\nMots-clés : x\n")}, 1, `criterion "C9", which session "atelier" does not have`},
		{[]string{"--frugal", "--keywords", criteria}, 1, "no keyword in this file"},
		{[]string{"--frugal", "--keywords", filepath.Join(dir, "absent.md")}, 1, "absent.md"},
	} {
		code, _, errs := revue(t, data, append([]string{"propose", "atelier"}, tc.args...)...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: %d %q, want %d and %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
}
