package cli

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/store"
)

// runLang runs the command line in one language, without a data directory
// given first, so that the arguments are exactly the user's.
func runLang(t *testing.T, lang string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("REVUE_DATA", t.TempDir())
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"--lang", lang}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCommandLineMessages(t *testing.T) {
	tests := []struct {
		lang string
		args []string
		code int
		out  string // on stdout
		err  string // on stderr
	}{
		{"en", []string{"--version"}, 0, "revue ", ""},
		{"en", []string{"-v"}, 0, "commit ", ""},
		{"fr", []string{"-v"}, 0, "commit ", ""},
		{"en", []string{"sesions"}, 2, "", `unknown command "sesions"; did you mean sessions?`},
		{"fr", []string{"sesions"}, 2, "", `commande inconnue "sesions" ; vouliez-vous dire sessions ?`},
		{"en", []string{"init", "x", "--criterai", "c.md", "d"}, 2, "", "unknown flag: --criterai; did you mean --criteria?"},
		{"fr", []string{"init", "x", "--criterai", "c.md", "d"}, 2, "", "option inconnue --criterai ; vouliez-vous dire --criteria ?"},
		{"fr", []string{"init", "x", "-z"}, 2, "", "option inconnue -z"},
		{"fr", []string{"init", "x", "--passage-size", "beaucoup"}, 2, "", `--passage-size "beaucoup" : valeur invalide, il faut un nombre entier`},
		{"fr", []string{"export", "x", "--format"}, 2, "", "l'option --format attend une valeur"},
		{"en", []string{"--data", "", "sessions"}, 2, "", "--data is empty"},
		{"fr", []string{"sessions", "--data="}, 2, "", "--data est vide"},
		{"en", []string{"help", "nothing"}, 2, "", `unknown command "nothing"`},
		{"en", []string{"help", "init"}, 0, "revue init NAME", ""},
		{"en", []string{"help"}, 0, "Commands:", ""},
		{"en", []string{}, 2, "Commands:", ""},
		{"fr", []string{"completion", "tcsh"}, 2, "", "il faut un shell"},
	}
	for _, tt := range tests {
		code, out, errs := runLang(t, tt.lang, tt.args...)
		if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.err) {
			t.Errorf("revue --lang %s %q = %d\nstdout %q\nstderr %q\nwant %d, %q on stdout, %q on stderr", tt.lang, tt.args, code, out, errs, tt.code, tt.out, tt.err)
		}
		if tt.code == 2 && tt.err != "" && out != "" {
			t.Errorf("revue %q: a usage error wrote on stdout: %q", tt.args, out)
		}
	}
}

func TestLanguageFromEnvironment(t *testing.T) {
	t.Setenv("REVUE_LANG", "fr")
	if code, out, _ := runLang(t, "fr", "--help"); code != 0 || !strings.Contains(out, "Commandes") {
		t.Fatalf("REVUE_LANG=fr: %d %s", code, out)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), "Commandes") {
		t.Errorf("REVUE_LANG=fr without --lang: %d %s", code, out.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"--lang", "en", "--help"}, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), "Commands:") {
		t.Errorf("--lang en wins over REVUE_LANG=fr: %d %s", code, out.String())
	}
	t.Setenv("REVUE_LANG", "de")
	errb.Reset()
	if code := run(context.Background(), []string{"sessions"}, nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), `REVUE_LANG "de"`) {
		t.Errorf("REVUE_LANG=de: %d %s", code, errb.String())
	}
}

func TestServerSettingsFromEnvironment(t *testing.T) {
	t.Setenv("REVUE_LISTEN", "127.0.0.1:2300")
	t.Setenv("REVUE_PASSCODE", "tournesol")
	t.Setenv("REVUE_AUTHORIZED_KEYS", "/env/keys")
	t.Setenv("REVUE_FACILITATORS", "/env/facilitators")
	a := &app{lang: "en"}
	for _, tt := range []struct {
		env  bool
		args []string
		want serverFlags
	}{
		{true, nil, serverFlags{listen: "127.0.0.1:2300", passcode: "tournesol", authorizedKeys: "/env/keys", facilitators: "/env/facilitators", maxConns: session.DefaultMaxConns, maxPerAddress: session.DefaultMaxPerAddr}},
		{true, []string{"--passcode", "x", "--listen", ":1", "--max-conns", "800", "--max-per-address", "40"}, serverFlags{listen: ":1", passcode: "x", authorizedKeys: "/env/keys", facilitators: "/env/facilitators", maxConns: 800, maxPerAddress: 40}},
		{false, nil, serverFlags{listen: "127.0.0.1:2222", maxConns: session.DefaultMaxConns, maxPerAddress: session.DefaultMaxPerAddr}},
	} {
		var sf serverFlags
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		sf.add(a, fs, "127.0.0.1:2222", tt.env)
		if err := fs.Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		sf.fromEnv()
		sf.fs, sf.env = nil, false
		if sf != tt.want {
			t.Errorf("env %v, flags %q: %+v, want %+v", tt.env, tt.args, sf, tt.want)
		}
	}
}

// watchWriter signals once what was written contains a text.
type watchWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.seen != nil && strings.Contains(w.buf.String(), w.want) {
		close(w.seen)
		w.seen = nil
	}
	return len(p), nil
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func TestServeOpenToTheNetworkWarns(t *testing.T) {
	for _, tt := range []struct {
		args []string
		warn bool
	}{
		{[]string{"--listen", "0.0.0.0:0"}, true},
		{[]string{"--listen", "0.0.0.0:0", "--passcode", "tournesol"}, false},
		{[]string{"--listen", "127.0.0.1:0"}, false},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		errw := &watchWriter{want: "To join", seen: make(chan struct{})}
		done := make(chan int)
		seen := errw.seen
		go func() {
			done <- run(ctx, append([]string{"--data", t.TempDir(), "--lang", "en", "serve"}, tt.args...), nil, &bytes.Buffer{}, errw)
		}()
		select {
		case <-seen:
		case code := <-done:
			t.Fatalf("serve %q ended with %d: %s", tt.args, code, errw.String())
		}
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve %q: %d %s", tt.args, code, errw.String())
		}
		if got := strings.Contains(errw.String(), "anybody who can reach this address may join"); got != tt.warn {
			t.Errorf("serve %q: warning %v, want %v:\n%s", tt.args, got, tt.warn, errw.String())
		}
	}
}

func TestSkipInvalidDoesNotAdviseItself(t *testing.T) {
	data := t.TempDir()
	docs, _ := sampleFiles(t)
	bad := filepath.Join(t.TempDir(), "criteres.md")
	if err := os.WriteFile(bad, []byte("## — sans identifiant\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := revue(t, data, append([]string{"init", "atelier", "--skip-invalid", "--criteria", bad}, docs...)...)
	if code != 1 || strings.Contains(errs, "run again with --skip-invalid") || !strings.Contains(errs, "no valid criterion") {
		t.Fatalf("--skip-invalid without a valid criterion: %d %s", code, errs)
	}
}

// TestInitProblemsAgree: init's closing sentence agrees with the number of
// problems it listed: « corrigez-le » / "fix it" for one, « corrigez-les » /
// "fix them" for two.
func TestInitProblemsAgree(t *testing.T) {
	docs, _ := sampleFiles(t)
	for _, tt := range []struct {
		lang, criteria, want string
	}{
		{"fr", "## — sans identifiant\n", "1 problème : rien n'a été créé ; corrigez-le ou relancez avec --skip-invalid"},
		{"en", "## — sans identifiant\n", "1 problem: nothing was created; fix it or run again with --skip-invalid"},
		{"fr", "## — sans identifiant\n\n## — sans identifiant non plus\n", "2 problèmes : rien n'a été créé ; corrigez-les ou relancez avec --skip-invalid"},
		{"en", "## — sans identifiant\n\n## — sans identifiant non plus\n", "2 problems: nothing was created; fix them or run again with --skip-invalid"},
	} {
		bad := filepath.Join(t.TempDir(), "criteres.md")
		if err := os.WriteFile(bad, []byte(tt.criteria), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errs := runLang(t, tt.lang, append([]string{"init", "atelier", "--criteria", bad}, docs...)...)
		if code != 1 || !strings.Contains(errs, tt.want) {
			t.Errorf("%s, %q: exit %d, want 1 and %q:\n%s", tt.lang, tt.criteria, code, tt.want, errs)
		}
	}
}

// TestFrenchHelpHasFrenchPlaceholders: a command's French help names its
// placeholders in French (QUI, NOM, FICHIER…), in its usage and in its
// text alike; forget's said « WHO est le nom de la personne ». --theme
// takes dark|light, not a number N.
func TestFrenchHelpHasFrenchPlaceholders(t *testing.T) {
	english := regexp.MustCompile(`\b(NAME|FILE|WHO|DIR|DIRECTORY|ADDRESS|COMMAND|FOLDER|HOST|YOUR-NAME)\b`)
	for _, cmd := range []string{"demo", "init", "propose", "serve", "review", "export", "report", "dossier", "forget", "verify", "sessions", "completion"} {
		code, out, errs := runLang(t, "fr", cmd, "--help")
		if code != 0 {
			t.Errorf("%s --help: exit %d %s", cmd, code, errs)
			continue
		}
		if strings.Contains(out, "--theme") && !strings.Contains(out, "--theme dark|light") {
			t.Errorf("revue %s --help: --theme without dark|light:\n%s", cmd, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if m := english.FindString(line); m != "" {
				t.Errorf("revue %s --help in French says %s: %q", cmd, m, line)
			}
		}
	}
}

func TestCompletionScriptsParse(t *testing.T) {
	for _, shell := range shells {
		code, out, errs := runLang(t, "fr", "completion", shell)
		if code != 0 || !strings.Contains(out, "revue") {
			t.Fatalf("completion %s: %d %s", shell, code, errs)
		}
		check := map[string][]string{"bash": {"bash", "-n"}, "zsh": {"zsh", "-n"}, "fish": {"fish", "--no-execute"}}[shell]
		if check == nil {
			continue
		}
		if _, err := exec.LookPath(check[0]); err != nil {
			if shell == "bash" {
				t.Fatalf("bash is needed to check the bash completion: %v", err)
			}
			t.Logf("%s is not installed: its completion is generated, not parsed", shell)
			continue
		}
		path := filepath.Join(t.TempDir(), "revue."+shell)
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		if msg, err := exec.Command(check[0], append(check[1:], path)...).CombinedOutput(); err != nil {
			t.Errorf("%s does not parse the completion: %v\n%s", shell, err, msg)
		}
	}
}

func TestManPage(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		code, out, errs := runLang(t, lang, "man")
		if code != 0 || !strings.HasPrefix(out, ".TH REVUE 1") {
			t.Fatalf("man %s: %d %s", lang, code, errs)
		}
		for _, c := range commands {
			if !c.hidden && !strings.Contains(out, "revue "+c.name) {
				t.Errorf("the %s man page lacks %s", lang, c.name)
			}
		}
		section := map[string]string{"fr": ".SH ENVIRONNEMENT", "en": ".SH ENVIRONMENT"}[lang]
		if !strings.Contains(out, section) || !strings.Contains(out, "REVUE_PASSCODE") {
			t.Errorf("the %s man page lacks %s", lang, section)
		}
	}
}

var verbs = regexp.MustCompile(`%[-+# 0-9.*]*[vTtbcdoOqxXUeEfFgGsw%]`)

// TestMessagesInBothLanguages walks the command line's catalogue, its
// t(French, English) calls: each has both texts, written out, with the same
// formatting verbs in the same order, and every error message written in
// the code goes through one (a literal with words in errors.New,
// fmt.Errorf, usagef or usageError would reach a French user in English).
func TestMessagesInBothLanguages(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	pairs := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				switch fun := n.Fun.(type) {
				case *ast.SelectorExpr:
					switch {
					case fun.Sel.Name == "t" && len(n.Args) == 2:
						pairs++
						fr, okFr := literal(n.Args[0])
						en, okEn := literal(n.Args[1])
						if !okFr || !okEn || strings.TrimSpace(fr) == "" || strings.TrimSpace(en) == "" {
							t.Errorf("%s: t() needs two written-out texts", fset.Position(n.Pos()))
							return true
						}
						if vf, ve := verbs.FindAllString(fr, -1), verbs.FindAllString(en, -1); strings.Join(vf, " ") != strings.Join(ve, " ") {
							t.Errorf("%s: the French %q and English %q take different values (%v, %v)", fset.Position(n.Pos()), fr, en, vf, ve)
						}
					case (fun.Sel.Name == "New" || fun.Sel.Name == "Errorf") && len(n.Args) > 0:
						untranslated(t, fset, n.Args[0])
					}
				case *ast.Ident:
					if fun.Name == "usagef" && len(n.Args) > 0 {
						untranslated(t, fset, n.Args[0])
					}
				}
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "usageError" && len(n.Elts) == 1 {
					untranslated(t, fset, n.Elts[0])
				}
			}
			return true
		})
	}
	if pairs < 100 {
		t.Fatalf("only %d t() pairs found: the walk is broken", pairs)
	}
}

var (
	words     = regexp.MustCompile(`[\p{L}]{3,}`)
	flagNames = regexp.MustCompile(`--[a-z-]+`)
)

func untranslated(t *testing.T, fset *token.FileSet, e ast.Expr) {
	t.Helper()
	s, ok := literal(e)
	if !ok {
		return
	}
	if w := words.FindAllString(flagNames.ReplaceAllString(verbs.ReplaceAllString(s, ""), ""), -1); len(w) > 0 {
		t.Errorf("%s: %q is in one language only; write it as a.t(French, English)", fset.Position(e.Pos()), s)
	}
}

func literal(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			l, okl := literal(e.X)
			r, okr := literal(e.Y)
			return l + r, okl && okr
		}
	}
	return "", false
}

// serveUntilJoinable runs the command line until it prints how to join, then
// interrupts it as Ctrl-C would, and returns its status and stderr.
func serveUntilJoinable(t *testing.T, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errw := &watchWriter{want: "To join", seen: make(chan struct{})}
	seen := errw.seen
	done := make(chan int)
	go func() { done <- run(ctx, args, nil, &bytes.Buffer{}, errw) }()
	select {
	case <-seen:
	case code := <-done:
		return code, errw.String()
	}
	cancel()
	return <-done, errw.String()
}

func TestDemoSaysWhatItDoesAndResets(t *testing.T) {
	data := t.TempDir()
	demo := []string{"--data", data, "--lang", "en", "demo", "--listen", "127.0.0.1:0"}
	code, errs := serveUntilJoinable(t, demo...)
	for _, step := range []string{"Creating the sample session", "Lexical proposals", "proposals made", "SSH server on", "Demo data: " + filepath.Join(data, "demo"),
		"The demo's dossier, to read or print: revue --data " + filepath.Join(data, "demo") + " dossier demo -o demo.html"} {
		if code != 0 || !strings.Contains(errs, step) {
			t.Errorf("first demo: %d, no %q in:\n%s", code, step, errs)
		}
	}
	if code, errs = serveUntilJoinable(t, demo...); code != 0 || strings.Contains(errs, "Creating") {
		t.Errorf("second demo made the session again: %d\n%s", code, errs)
	}
	if code, errs = serveUntilJoinable(t, append(demo, "--reset")...); code != 0 || !strings.Contains(errs, "Deleting the sample session") || !strings.Contains(errs, "Creating") {
		t.Errorf("demo --reset: %d\n%s", code, errs)
	}
	if code, errs = serveUntilJoinable(t, append(demo, "--room", "99")...); code != 2 || !strings.Contains(errs, "--room 99") {
		t.Errorf("demo --room 99: %d\n%s", code, errs)
	}
}

// TestDemoRoom runs the demo with a simulated room, without a terminal:
// the participants join over SSH and their lines reach stderr.
func TestDemoRoom(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errw := &watchWriter{want: "joins the room", seen: make(chan struct{})}
	seen := errw.seen
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"--data", t.TempDir(), "--lang", "en", "demo", "--listen", "127.0.0.1:0", "--room", "2"}, nil, &bytes.Buffer{}, errw)
	}()
	select {
	case <-seen:
	case code := <-done:
		t.Fatalf("demo --room 2 ended with %d before anybody joined:\n%s", code, errw.String())
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("demo --room 2: %d\n%s", code, errw.String())
	}
	if !strings.Contains(errw.String(), "2 simulated participants join the room") {
		t.Errorf("the demo did not say the room was joining:\n%s", errw.String())
	}
}

func TestExampleCriteria(t *testing.T) {
	docs, _ := sampleFiles(t)
	for _, lang := range []string{"fr", "en"} {
		data := t.TempDir()
		path := filepath.Join(t.TempDir(), "criteres.md")
		code, out, errs := runLang(t, lang, "init", "--example-criteria", path)
		if code != 0 || !strings.Contains(out, path) {
			t.Fatalf("%s: init --example-criteria: %d %s %s", lang, code, out, errs)
		}
		if code, _, errs := runLang(t, lang, "init", "--example-criteria", path); code != 1 || !strings.Contains(errs, path) {
			t.Errorf("%s: a second --example-criteria overwrote %s: %d %s", lang, path, code, errs)
		}
		code, out, errs = revue(t, data, append([]string{"init", "atelier", "--criteria", path}, docs...)...)
		if code != 0 || !regexp.MustCompile(`[1-9][0-9]* criteria`).MatchString(out) {
			t.Errorf("%s: the example criteria do not import: %d %s %s", lang, code, out, errs)
		}
		if code, out, _ := runLang(t, lang, "init", "--example-criteria"); code != 0 || !strings.Contains(out, "## C1 — ") {
			t.Errorf("%s: --example-criteria on stdout: %d %s", lang, code, out)
		}
	}
}

// The commands that come after a workshop, end to end on a real store: a
// person withdraws, the trace is verified, every format exports, and the
// report and the list of sessions read what the store kept.
func TestAftercareCommands(t *testing.T) {
	data := t.TempDir()
	docs, criteria := sampleFiles(t)
	if code, _, errs := revue(t, data, append([]string{"init", "atelier", "--criteria", criteria}, docs...)...); code != 0 {
		t.Fatal(errs)
	}
	if code, out, errs := revue(t, data, "propose", "atelier", "--frugal", "--dry-run"); code != 0 || !strings.Contains(out, "Frugal mode") {
		t.Fatalf("dry run: %d %s %s", code, out, errs)
	}
	if code, _, errs := revue(t, data, "propose", "atelier", "--frugal"); code != 0 {
		t.Fatal(errs)
	}
	// Camille votes, as a participant over SSH would.
	st, err := store.Open(filepath.Join(data, "revue.db"))
	if err != nil {
		t.Fatal(err)
	}
	events, err := st.Replay(context.Background(), "atelier")
	if err != nil {
		t.Fatal(err)
	}
	state, err := review.Replay(events)
	if err != nil {
		t.Fatal(err)
	}
	camille := review.Actor{Name: "camille", Fingerprint: "SHA256:camille", Role: review.Participant}
	vote := review.MustEvent("atelier", "v1", time.Now(), camille, review.KindVoteCast,
		review.VoteData{Proposal: state.Proposals[0].ID, Verdict: review.Reject, Reason: review.ReasonOther, Note: "camille pense autrement"})
	if _, err := st.Append(context.Background(), vote); err != nil {
		t.Fatal(err)
	}
	st.Close()

	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"propose", "atelier", "--negatives", "-1"}, 2, "--negatives -1"},
		{[]string{"forget", "atelier"}, 2, "--person WHO is required"},
		{[]string{"forget", "nope", "--person", "camille"}, 1, `no session "nope"`},
		{[]string{"forget", "atelier", "--person", "nobody"}, 1, `nobody named "nobody"`},
		{[]string{"verify", "nope"}, 1, `no session "nope"`},
		{[]string{"export", "atelier", "--format", "xml"}, 2, "votes"},
	}
	for _, tt := range tests {
		if code, _, errs := revue(t, data, tt.args...); code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("revue %q = %d %s, want %d and %q", tt.args, code, errs, tt.code, tt.want)
		}
	}
	for _, f := range review.Formats {
		code, out, errs := revue(t, data, "export", "atelier", "--format", f)
		if code != 0 || !strings.Contains(out, "camille") && f != "qdpx" && f != "annotations" && f != "csv" {
			t.Errorf("export %s before the withdrawal: %d %s", f, code, errs)
		}
	}
	if code, out, errs := revue(t, data, "report", "atelier"); code != 0 || !strings.Contains(out, "camille") {
		t.Errorf("report names nobody: %d %s %s", code, out, errs)
	}
	if code, out, errs := revue(t, data, "report", "atelier", "--pseudonymize"); code != 0 || strings.Contains(out, "camille") || !strings.Contains(out, "P1") {
		t.Errorf("report --pseudonymize: %d %s %s", code, out, errs)
	}
	if code, out, errs := revue(t, data, "forget", "atelier", "--person", "camille"); code != 0 || !strings.Contains(out, "camille is withdrawn") {
		t.Fatalf("forget: %d %s %s", code, out, errs)
	}
	for _, f := range review.Formats {
		if code, out, errs := revue(t, data, "export", "atelier", "--format", f); code != 0 || strings.Contains(out, "camille") {
			t.Errorf("export %s after the withdrawal: %d %s; holds camille: %v", f, code, errs, strings.Contains(out, "camille"))
		}
	}
	if code, out, errs := revue(t, data, "verify", "atelier"); code != 0 || !strings.Contains(out, "chain and file intact") {
		t.Fatalf("verify: %d %s %s", code, out, errs)
	}
	if code, out, errs := revue(t, data, "sessions"); code != 0 || !strings.Contains(out, "atelier") {
		t.Fatalf("sessions: %d %s %s", code, out, errs)
	}
	if code, out, errs := revue(t, data, "report", "atelier"); code != 0 || out == "" {
		t.Fatalf("report: %d %s %s", code, out, errs)
	}
}

// A study's conditions and consent text are set at init and land in the
// trace, so that the export says what everybody could see and agreed to.
func TestInitRecordsConditionsAndConsent(t *testing.T) {
	data := t.TempDir()
	docs, criteria := sampleFiles(t)
	consent := filepath.Join(t.TempDir(), "consentement.md")
	if err := os.WriteFile(consent, []byte("Vos votes sont étudiés par une équipe de recherche.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"init", "etude", "--criteria", criteria, "--language", "en", "--blind", "--hide", "origin", "--random", "confidence", "--seed", "7", "--consent", consent}, docs...)
	if code, _, errs := revue(t, data, args...); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := revue(t, data, "export", "etude")
	if code != 0 {
		t.Fatal(errs)
	}
	for _, want := range []string{`"blind":true`, `"hide_origin":true`, `"seed":7`, `"factors":["confidence"]`, "Vos votes sont étudiés", `"language":"en"`} {
		squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if !strings.Contains(squeeze(out), squeeze(want)) {
			t.Errorf("the export lacks %s", want)
		}
	}
	for _, bad := range [][]string{{"--hide", "colour"}, {"--random", "mood"}, {"--language", "de"}} {
		args := append(append([]string{"init", "autre", "--criteria", criteria}, bad...), docs...)
		if code, _, errs := revue(t, data, args...); code != 2 {
			t.Errorf("init %v = %d %s, want a usage error", bad, code, errs)
		}
	}
}

// propose says when a running server will show its proposals, and ignores
// the mark a dead server left.
func TestProposeSaysASessionIsServed(t *testing.T) {
	data := t.TempDir()
	docs, criteria := sampleFiles(t)
	if code, _, errs := revue(t, data, append([]string{"init", "atelier", "--criteria", criteria}, docs...)...); code != 0 {
		t.Fatal(errs)
	}
	a := &app{data: data}
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(data, "serving"), 0o700); err != nil {
		t.Fatal(err)
	}
	gone := fmt.Sprintf(`{"pid":%d,"addr":"127.0.0.1:2299"}`, dead.Process.Pid)
	if err := os.WriteFile(filepath.Join(data, "serving", "gone.json"), []byte(gone), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := revue(t, data, "propose", "atelier", "--frugal"); strings.Contains(out, "is serving") {
		t.Fatalf("a dead server's mark was believed:\n%s", out)
	}
	unmark := a.markServing("127.0.0.1:2222", "")
	defer unmark()
	_, out, errs := revue(t, data, "propose", "atelier", "--frugal")
	if !strings.Contains(out, fmt.Sprintf("A server is serving this session (process %d, 127.0.0.1:2222)", os.Getpid())) {
		t.Fatalf("propose did not say the session is served:\n%s%s", out, errs)
	}
}
