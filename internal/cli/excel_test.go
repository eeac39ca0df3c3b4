package cli

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/coopdescommuns/revue/internal/testtool"
)

// TestExportExcel exports a session's links and votes as CSV for a French
// spreadsheet: a byte order mark, semicolons and CRLF, the same records as
// the plain CSV; the file is its owner's only (0600) even under umask 022;
// and --excel is refused with another format.
func TestExportExcel(t *testing.T) {
	data := frugalSession(t)
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	for _, format := range []string{"csv", "votes"} {
		plain, excel := filepath.Join(dir, format+".csv"), filepath.Join(dir, format+"-excel.csv")
		if code, _, errs := revue(t, data, "export", "atelier", "--format", format, "-o", plain); code != 0 {
			t.Fatal(errs)
		}
		if code, _, errs := revue(t, data, "export", "atelier", "--format", format, "--excel", "-o", excel); code != 0 {
			t.Fatal(errs)
		}
		for _, p := range []string{plain, excel} {
			if info, err := os.Stat(p); err != nil || info.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v (%v), want 0600", p, info.Mode().Perm(), err)
			}
		}
		pb, _ := os.ReadFile(plain)
		eb, _ := os.ReadFile(excel)
		if !bytes.HasPrefix(eb, []byte("\ufeff")) || !bytes.Contains(eb, []byte(";")) || !bytes.Contains(eb, []byte("\r\n")) {
			t.Errorf("%s: no BOM, semicolon or CRLF: %.200q", format, eb)
		}
		if got, want := readCSV(t, eb[3:], ';'), readCSV(t, pb, ','); !reflect.DeepEqual(got, want) || len(want) < 2 && format == "csv" {
			t.Errorf("%s: the Excel CSV holds other records (%d rows) than the plain one (%d rows)", format, len(got), len(want))
		}
	}
	if code, _, errs := revue(t, data, "export", "atelier", "--excel"); code != 2 || !strings.Contains(errs, "--excel: only with --format csv") {
		t.Errorf("--excel with JSON: %d %s", code, errs)
	}
}

// frugalSession is a data directory holding the sample as the session
// atelier, with the frugal proposer's links.
func frugalSession(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	docs, criteria := sampleFiles(t)
	if code, _, errs := revue(t, data, append([]string{"init", "atelier", "--criteria", criteria}, docs...)...); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := revue(t, data, "propose", "atelier", "--frugal"); code != 0 {
		t.Fatal(errs)
	}
	return data
}

func readCSV(t *testing.T, b []byte, comma rune) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = comma
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%v in %.200q", err, b)
	}
	return recs
}

// TestExportExcelThroughLibreOffice opens the --excel CSV in LibreOffice
// Calc, saves it as .xlsx, and converts that back to CSV: every field,
// accents included, comes back in its column. Skipped without soffice (and
// LibreOffice Calc) unless CI=true.
func TestExportExcelThroughLibreOffice(t *testing.T) {
	soffice := testtool.Need(t, "soffice", "libreoffice-calc-nogui")
	data := frugalSession(t)
	dir := t.TempDir()
	excel := filepath.Join(dir, "liens.csv")
	if code, _, errs := revue(t, data, "export", "atelier", "--format", "csv", "--excel", "-o", excel); code != 0 {
		t.Fatal(errs)
	}
	profile := "-env:UserInstallation=file://" + filepath.Join(dir, "profile")
	lo := func(args ...string) {
		t.Helper()
		cmd := exec.Command(soffice, append([]string{profile, "--headless"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice %v: %v\n%s", args, err, out)
		}
	}
	// 59 is ";", 34 the quote, 76 UTF-8, from line 1, every column read
	// as text (2), as a careful researcher imports it: a spreadsheet that
	// guesses would keep 0.50 as 0.5 and true as TRUE.
	eb, _ := os.ReadFile(excel)
	var cols []string
	for i := range len(readCSV(t, eb[3:], ';')[0]) {
		cols = append(cols, fmt.Sprintf("%d/2", i+1))
	}
	lo("--infilter=CSV:59,34,76,1,"+strings.Join(cols, "/"), "--convert-to", "xlsx", "--outdir", filepath.Join(dir, "xlsx"), excel)
	xlsx := filepath.Join(dir, "xlsx", "liens.xlsx")
	if _, err := os.Stat(xlsx); err != nil {
		t.Fatalf("LibreOffice wrote no .xlsx (is LibreOffice Calc, libreoffice-calc-nogui, installed?): %v", err)
	}
	lo("--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false", "--outdir", filepath.Join(dir, "back"), xlsx)
	back, err := os.ReadFile(filepath.Join(dir, "back", "liens.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want, got := readCSV(t, eb[3:], ';'), readCSV(t, bytes.TrimPrefix(back, []byte("\ufeff")), ';')
	if len(got) != len(want) {
		t.Fatalf("%d rows back from LibreOffice, %d exported", len(got), len(want))
	}
	accents := false
	for i := range want {
		for j := range want[i] {
			w, g := want[i][j], ""
			if j < len(got[i]) {
				g = got[i][j]
			}
			if w != g {
				t.Errorf("row %d, column %s: %q came back as %q", i+1, want[0][j], w, g)
			}
			accents = accents || strings.ContainsAny(w, "éèàçô")
		}
	}
	if !accents {
		t.Error("the export held no accent: the test proves nothing about them")
	}
}
