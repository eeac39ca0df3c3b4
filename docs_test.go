package main

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/corpus"
	"github.com/coopdescommuns/revue/sample"
)

// The README and the guides promise that their commands work as written.
// These tests hold them to it as a literal follower would: every line of a
// ```sh block runs, in order, against the built binary, in one fresh
// directory holding only the files the guide tells the reader to bring
// (declared by a comment, see readerHas) — everything else, the guide's
// own commands must create. A block that cannot run (it needs a terminal,
// a model, a network or a running server) is preceded by an HTML comment
// that says why, invisible to the reader:
//
//	<!-- not run in tests: needs a terminal -->
//
// Code blocks hold only what a user types: a marker inside one is an
// error.

// notRun is the marker of a block the tests do not run; the rest of the
// comment says why.
const notRun = "not run in tests"

// notRunComment is the HTML comment before a block that is not run.
var notRunComment = regexp.MustCompile(`^<!--\s*` + notRun + `\s*:?\s*(.*?)\s*-->$`)

// readerHasComment declares the files and folders a guide asks its reader
// to bring (their documents), which the test provides from the sample.
var readerHasComment = regexp.MustCompile(`<!--\s*the reader has:\s*(.*?)\s*-->`)

// guides are the files whose shell blocks run, French and English.
func guides(t *testing.T) []string {
	t.Helper()
	files := []string{"README.md"}
	for _, pattern := range []string{"docs/*.md", "docs/en/*.md"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 7 {
		t.Fatalf("found only %v: the guides have moved?", files)
	}
	return files
}

// shellLine is one command of a ```sh block.
type shellLine struct {
	file string
	line int
	cmd  string
	skip string // why it is not run, "" when it runs
	bad  string // what is wrong with the line as a reader's command, "" when nothing
}

// shellLines reads the commands of the ```sh blocks of a Markdown text. A
// comment line is no command; a line whose command is go is the build and
// the test itself (this test built the binary with go build, and go test is
// what runs it), so it is not run either.
func shellLines(file, text string) []shellLine {
	var out []shellLine
	in := false
	skip, before := "", ""
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case !in && (trimmed == "```sh" || trimmed == "```bash"):
			in, skip = true, ""
			if m := notRunComment.FindStringSubmatch(before); m != nil {
				skip = m[1]
				if skip == "" {
					skip = "marked"
				}
			}
			continue
		case in && trimmed == "```":
			in = false
			continue
		case !in:
			if trimmed != "" {
				before = trimmed
			}
			continue
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			continue
		}
		l := shellLine{file: file, line: n, cmd: trimmed, skip: skip}
		if i := strings.Index(trimmed, "# "+notRun); i >= 0 {
			l.cmd = strings.TrimSpace(trimmed[:i])
			l.bad = "a marker inside a code block, which a reader would copy: put <!-- " + notRun + ": why --> before the block"
		} else if skip == "" && strings.HasPrefix(trimmed, "go ") {
			l.skip = "the build and the tests themselves"
		}
		out = append(out, l)
	}
	return out
}

// readerHas lists what a guide declares its reader brings.
func readerHas(text string) []string {
	var out []string
	for _, m := range readerHasComment.FindAllStringSubmatch(text, -1) {
		out = append(out, strings.Fields(m[1])...)
	}
	return out
}

// runLines runs the lines in order in dir, with the binary's directory
// first on PATH, and returns one sentence per line that failed or that is
// neither a revue command nor marked.
func runLines(t *testing.T, lines []shellLine, binDir, dir, lang string) []string {
	t.Helper()
	var problems []string
	env := append(os.Environ(),
		"PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"REVUE_DATA="+filepath.Join(dir, "data"),
		"HOME="+filepath.Join(dir, "home"),
		"LANG="+lang, "LC_ALL=", "LC_MESSAGES=",
		"NO_COLOR=1",
	)
	for _, l := range lines {
		at := fmt.Sprintf("%s:%d: %s", l.file, l.line, l.cmd)
		if l.bad != "" {
			problems = append(problems, at+": "+l.bad)
			continue
		}
		if l.skip != "" {
			t.Logf("%s  (not run: %s)", at, l.skip)
			continue
		}
		if !strings.HasPrefix(l.cmd, "revue ") && l.cmd != "revue" {
			problems = append(problems, at+": not a revue command; run it here or mark it \""+notRun+": why\"")
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", l.cmd)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v\n%s", at, err, out))
		}
	}
	return problems
}

// workspace is a fresh folder holding only what has: documents/,
// rapports/ and pads/ (the sample's documents), criteres.md and
// criteria.md (the sample's criteria), docs/exemples/ (the repository's
// examples, which a reader of a checkout has). A name the test does not
// know fails it: the guide would ask for a file nobody can bring.
func workspace(t *testing.T, has []string) string {
	t.Helper()
	dir := t.TempDir()
	docs, criteria, err := sample.WriteTo(filepath.Join(t.TempDir(), "sample"))
	if err != nil {
		t.Fatal(err)
	}
	copyFile := func(src, dst string) {
		t.Helper()
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, h := range has {
		switch h {
		case "documents/":
			for _, d := range docs {
				copyFile(d, filepath.Join(dir, "documents", filepath.Base(d)))
			}
		case "rapports/", "pads/":
			for i, d := range docs {
				if (i%2 == 0) == (h == "rapports/") {
					copyFile(d, filepath.Join(dir, h, filepath.Base(d)))
				}
			}
		case "criteres.md", "criteria.md":
			copyFile(criteria, filepath.Join(dir, h))
		case "docs/exemples/":
			examples, err := filepath.Glob("docs/exemples/*")
			if err != nil || len(examples) == 0 {
				t.Fatalf("docs/exemples: %v %v", examples, err)
			}
			for _, e := range examples {
				copyFile(e, filepath.Join(dir, e))
			}
		default:
			t.Fatalf("the reader is said to have %q, which this test cannot provide", h)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "home"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// buildRevue builds the binary the guides call revue.
func buildRevue(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "revue"), ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

func TestGuideCommandsWork(t *testing.T) {
	bin := buildRevue(t)
	for _, file := range guides(t) {
		t.Run(file, func(t *testing.T) {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			lines := shellLines(file, string(b))
			lang := "fr_FR.UTF-8"
			if strings.HasPrefix(file, "docs/en/") {
				lang = "en_GB.UTF-8"
			}
			ran := 0
			for _, l := range lines {
				if l.skip == "" {
					ran++
				}
			}
			// The participants' guides hold only ssh commands; every other
			// file must prove at least one of its commands.
			if ran == 0 && !strings.Contains(file, "rejoindre") && !strings.Contains(file, "joining") {
				t.Errorf("%s has no command the tests run", file)
			}
			for _, p := range runLines(t, lines, bin, workspace(t, readerHas(string(b))), lang) {
				t.Error(p)
			}
		})
	}
}

// TestGuideRunnerCatchesMistakes shows that the test above can fail: a
// misspelt command, a failing one, an unmarked ssh line, a marker left
// inside a block and a file the guide never had the reader create are all
// caught, and a block marked before it is not run.
func TestGuideRunnerCatchesMistakes(t *testing.T) {
	bin := buildRevue(t)
	text := "# Guide\n\n<!-- the reader has: documents/ -->\n```sh\nrevue sessions\nrevue exportt atelier\nrevue export absente\nssh -p 2222 camille@127.0.0.1\n" +
		"revue demo   # " + notRun + ": needs a terminal\nrevue init a --criteria criteres.md documents/\n```\n\n" +
		"<!-- " + notRun + ": needs a terminal -->\n```sh\nrevue review x\n```\n\n```text\nrevue this is not shell\n```\n"
	lines := shellLines("guide.md", text)
	if len(lines) != 7 || lines[6].skip != "needs a terminal" || lines[6].cmd != "revue review x" || lines[4].bad == "" {
		t.Fatalf("lines = %+v", lines)
	}
	if has := readerHas(text); len(has) != 1 || has[0] != "documents/" {
		t.Fatalf("readerHas = %q", has)
	}
	problems := runLines(t, lines, bin, workspace(t, readerHas(text)), "fr_FR.UTF-8")
	want := []string{"guide.md:6: revue exportt", "guide.md:7: revue export absente", "guide.md:8: ssh", "guide.md:9: revue demo: a marker inside a code block", "guide.md:10: revue init a --criteria criteres.md"}
	if len(problems) != len(want) {
		t.Fatalf("problems = %q, want %d", problems, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(problems[i], w) {
			t.Errorf("problem %d = %q, want it to start with %q", i, problems[i], w)
		}
	}
}

// TestCriteriaExamplesRead checks that each sample criteria file of
// docs/exemples reads, in its format, as the same three criteria.
func TestCriteriaExamplesRead(t *testing.T) {
	var first string
	for _, ext := range []string{"md", "csv", "yaml", "json"} {
		path := "docs/exemples/criteres." + ext
		cs, probs := corpus.ReadCriteria(path)
		if len(probs) > 0 {
			t.Errorf("%s: %v", path, probs)
			continue
		}
		// A Markdown description keeps its line breaks; the others are
		// written on one line. Compare the words.
		for i := range cs {
			cs[i].Description = strings.Join(strings.Fields(cs[i].Description), " ")
		}
		got := fmt.Sprintf("%q", cs)
		if len(cs) != 3 {
			t.Errorf("%s: %d criteria, want 3: %s", path, len(cs), got)
		}
		if first == "" {
			first = got
		} else if got != first {
			t.Errorf("%s reads differently from criteres.md:\n%s\n%s", path, got, first)
		}
	}
}

// TestGuideLinks checks that every relative link of the README and the
// guides points to a file of the repository.
func TestGuideLinks(t *testing.T) {
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, file := range guides(t) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(b), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			target, _, _ = strings.Cut(target, "#")
			path := filepath.Join(filepath.Dir(file), target)
			if _, err := os.Stat(path); err != nil {
				if _, ok := err.(*fs.PathError); ok {
					t.Errorf("%s: link to %s: no such file", file, m[1])
				}
			}
		}
	}
}
