package cli

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/coopdescommuns/revue/review"
)

// TestReceiptsThroughTheCommandLine: an export records a signed head and
// gives its receipt; verify checks the file against the receipt's code and
// against the export; once the file is rewritten behind revue's back,
// verify names what changed, and export and report refuse the trace
// unless --unverified.
func TestReceiptsThroughTheCommandLine(t *testing.T) {
	data := t.TempDir()
	docs, criteria := sampleFiles(t)
	if code, _, errs := revue(t, data, append([]string{"init", "atelier", "--criteria", criteria}, docs...)...); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := revue(t, data, "propose", "atelier", "--frugal"); code != 0 {
		t.Fatal(errs)
	}
	old := filepath.Join(t.TempDir(), "old.json")
	code, _, errs := revue(t, data, "export", "atelier", "-o", old)
	m := regexp.MustCompile(`Session receipt: ([0-9A-F-]{19}), (\d+) events`).FindStringSubmatch(errs)
	if code != 0 || m == nil {
		t.Fatalf("export: %d %s", code, errs)
	}
	var doc struct {
		Checkpoint *review.Checkpoint `json:"checkpoint"`
	}
	b, err := os.ReadFile(old)
	if err != nil || json.Unmarshal(b, &doc) != nil || doc.Checkpoint == nil || doc.Checkpoint.Code() != m[1] || doc.Checkpoint.Reason != "export" {
		t.Fatalf("the export's checkpoint %+v (%v), receipt %s", doc.Checkpoint, err, m[1])
	}
	receipt := m[1] + "/" + m[2]
	for _, args := range [][]string{{"--receipt", receipt}, {"--against", old}} {
		code, out, errs := revue(t, data, append([]string{"verify", "atelier"}, args...)...)
		if code != 0 || !strings.Contains(out, "holds what the receipt attests") || !strings.Contains(out, "Last signed head: event "+m[2]+" (export") {
			t.Errorf("verify %v on the untouched file: %d\n%s\n%s", args, code, out, errs)
		}
	}
	// Someone with the file and sqlite3 deletes the last two events.
	db, err := sql.Open("sqlite", filepath.Join(data, "revue.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TRIGGER events_no_delete",
		"DELETE FROM events WHERE session = 'atelier' AND seq > (SELECT max(seq) - 2 FROM events WHERE session = 'atelier')"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	for _, args := range [][]string{{"--receipt", receipt}, {"--against", old}} {
		code, _, errs := revue(t, data, append([]string{"verify", "atelier"}, args...)...)
		if code != 1 || !strings.Contains(errs, "Truncated: the receipt attests event "+m[2]) {
			t.Errorf("verify %v after a truncation: %d\n%s", args, code, errs)
		}
	}
	for _, cmd := range []string{"export", "report"} {
		code, out, errs := revue(t, data, cmd, "atelier")
		if code != 1 || out != "" || !strings.Contains(errs, "refused: the trace of session atelier does not verify") || !strings.Contains(errs, "counts no longer match") {
			t.Errorf("%s of a broken trace: %d %q\n%s", cmd, code, out, errs)
		}
		code, out, errs = revue(t, data, cmd, "atelier", "--unverified")
		if code != 0 || out == "" || !strings.Contains(errs, "--unverified") {
			t.Errorf("%s --unverified: %d\n%s", cmd, code, errs)
		}
	}
	if code, _, errs := revue(t, data, "verify", "atelier", "--receipt", "not-a-code"); code != 2 || !strings.Contains(errs, "neither a file nor a receipt code") {
		t.Errorf("a bad receipt: %d %s", code, errs)
	}
}
