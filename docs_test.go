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
// These tests hold them to it: every line of a ```sh block runs, in order,
// against the built binary in a fresh data directory, unless it says why it
// cannot with the marker below (it needs a terminal, a model, a network or a
// running server).

// notRun is the marker of a shell line the tests do not run; the rest of
// the comment says why.
const notRun = "# not run in tests"

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
}

// shellLines reads the commands of the ```sh blocks of a Markdown text. A
// comment line is no command; a line whose command is go is the build and
// the test itself (this test built the binary with go build, and go test is
// what runs it), so it is not run either.
func shellLines(file, text string) []shellLine {
	var out []shellLine
	in := false
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case !in && (trimmed == "```sh" || trimmed == "```bash"):
			in = true
			continue
		case in && trimmed == "```":
			in = false
			continue
		case !in || trimmed == "" || strings.HasPrefix(trimmed, "#"):
			continue
		}
		l := shellLine{file: file, line: n, cmd: trimmed}
		if i := strings.Index(trimmed, notRun); i >= 0 {
			l.cmd = strings.TrimSpace(trimmed[:i])
			l.skip = strings.TrimLeft(strings.TrimSpace(trimmed[i+len(notRun):]), ": ")
			if l.skip == "" {
				l.skip = "marked"
			}
		} else if strings.HasPrefix(trimmed, "go ") {
			l.skip = "the build and the tests themselves"
		}
		out = append(out, l)
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
		"LANG="+lang, "LC_ALL=",
		"NO_COLOR=1",
	)
	for _, l := range lines {
		at := fmt.Sprintf("%s:%d: %s", l.file, l.line, l.cmd)
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

// workspace is a folder with the files the guides name: documents/,
// rapports/ and pads/ (the sample's documents), criteres.md and
// criteria.md (the sample's criteria), and docs/exemples/.
func workspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	docs, criteria, err := sample.WriteTo(filepath.Join(dir, "sample"))
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
	for i, d := range docs {
		copyFile(d, filepath.Join(dir, "documents", filepath.Base(d)))
		sub := "rapports"
		if i%2 == 1 {
			sub = "pads"
		}
		copyFile(d, filepath.Join(dir, sub, filepath.Base(d)))
	}
	copyFile(criteria, filepath.Join(dir, "criteres.md"))
	copyFile(criteria, filepath.Join(dir, "criteria.md"))
	examples, err := filepath.Glob("docs/exemples/*")
	if err != nil || len(examples) == 0 {
		t.Fatalf("docs/exemples: %v %v", examples, err)
	}
	for _, e := range examples {
		copyFile(e, filepath.Join(dir, e))
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
			for _, p := range runLines(t, lines, bin, workspace(t), lang) {
				t.Error(p)
			}
		})
	}
}

// TestGuideRunnerCatchesMistakes shows that the test above can fail: a
// misspelt command, a failing one and an unmarked ssh line are all caught,
// and a marked line is not run.
func TestGuideRunnerCatchesMistakes(t *testing.T) {
	bin := buildRevue(t)
	text := "# Guide\n\n```sh\nrevue sessions\nrevue exportt atelier\nrevue export absente\nssh -p 2222 camille@127.0.0.1\nrevue review x   " + notRun + ": needs a terminal\n```\n\n```text\nrevue this is not shell\n```\n"
	lines := shellLines("guide.md", text)
	if len(lines) != 5 || lines[4].skip != "needs a terminal" || lines[4].cmd != "revue review x" {
		t.Fatalf("lines = %+v", lines)
	}
	problems := runLines(t, lines, bin, workspace(t), "fr_FR.UTF-8")
	want := []string{"guide.md:5: revue exportt", "guide.md:6: revue export absente", "guide.md:7: ssh"}
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
