package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestDossierCommand(t *testing.T) {
	data := t.TempDir()
	docs, criteria := sampleFiles(t)
	if code, _, errs := revue(t, data, append([]string{"init", "atelier", "--criteria", criteria}, docs...)...); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	if code, _, errs := revue(t, data, "propose", "atelier", "--frugal"); code != 0 {
		t.Fatalf("propose: %s", errs)
	}
	dir := t.TempDir()
	for _, c := range []struct{ file, args, want string }{
		{"d.html", "", "<!DOCTYPE html>"},
		{"d.md", "", "# Dossier of the session atelier"},
		{"d.odt", "", "mimetypeapplication/vnd.oasis.opendocument.text"},
		{"d.txt", "--format md --names", "No link kept yet"},
	} {
		path := filepath.Join(dir, c.file)
		args := append([]string{"dossier", "atelier", "-o", path}, strings.Fields(c.args)...)
		code, out, errs := revue(t, data, args...)
		if code != 0 || !strings.Contains(out, "Dossier written to "+path+": 0 links kept") {
			t.Fatalf("%v: %d\n%s\n%s", args, code, out, errs)
		}
		if b, err := os.ReadFile(path); err != nil || !strings.Contains(string(b), c.want) {
			t.Errorf("%s lacks %q: %v", path, c.want, err)
		}
		if strings.Contains(c.args, "--names") != strings.Contains(errs, "Nobody consented to be named") {
			t.Errorf("%v: stderr %q", args, errs)
		}
		// Every dossier signs the head it shows, as an export does, and its
		// annex holds the receipt that revue verify checks.
		receipt := regexp.MustCompile(`Session receipt: ([0-9A-F-]{19}), (\d+) events`).FindStringSubmatch(errs)
		if receipt == nil {
			t.Fatalf("%v: no receipt on stderr: %q", args, errs)
		}
		if b, _ := os.ReadFile(path); c.file != "d.odt" && !strings.Contains(string(b), "--receipt "+receipt[1]+"/"+receipt[2]) {
			t.Errorf("%s lacks the receipt %s/%s", path, receipt[1], receipt[2])
		}
		if rc, out, errs := revue(t, data, "verify", "atelier", "--receipt", receipt[1]+"/"+receipt[2]); rc != 0 {
			t.Errorf("verify --receipt %s: %d\n%s\n%s", receipt[1], rc, out, errs)
		}
	}
	if code, out, _ := revue(t, data, "dossier", "atelier"); code != 0 || !strings.Contains(out, "</html>") {
		t.Errorf("dossier to stdout: %d", code)
	}
	// --lang after the command, as the issue writes it, wins over the
	// --lang en that revue() puts first.
	if code, out, _ := revue(t, data, "dossier", "atelier", "--format", "md", "--lang", "fr"); code != 0 || !strings.Contains(out, "# Dossier de la séance atelier") {
		t.Errorf("dossier --lang fr: %d %.100s", code, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"dossier", "atelier", "--include", "pending"}, `--include "pending": only "rejected" is possible`},
		{[]string{"dossier", "atelier", "--format", "odt"}, "an ODT is a binary file: give -o FILE.odt"},
		{[]string{"dossier", "atelier", "--format", "pdf"}, `--format "pdf": use one of html, md, odt`},
		{[]string{"dossier", "nulle-part"}, `no session "nulle-part"`},
	} {
		code, _, errs := revue(t, data, c.args...)
		if code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: %d %q, want %q", c.args, code, errs, c.want)
		}
	}
}

func TestReportHTML(t *testing.T) {
	data := t.TempDir()
	docs, criteria := sampleFiles(t)
	if code, _, errs := revue(t, data, append([]string{"init", "atelier", "--criteria", criteria}, docs...)...); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	path := filepath.Join(t.TempDir(), "figures.html")
	if code, _, errs := revue(t, data, "report", "atelier", "--html", "-o", path); code != 0 {
		t.Fatalf("report --html: %d %s", code, errs)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), "<svg ") || !strings.Contains(string(b), "Figures of the session atelier") {
		t.Fatalf("report --html wrote %.300s (%v)", b, err)
	}
	if code, out, _ := revue(t, data, "report", "atelier"); code != 0 || strings.Contains(out, "<html") || !strings.Contains(out, "Progress") {
		t.Errorf("report without --html: %d %.200s", code, out)
	}
}
