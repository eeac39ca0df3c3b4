package corpus

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/review"
)

// TestLaterLargeText imports large plain texts (here above 1 KiB, read in
// chunks of 4 KiB) without their passages: the document is ReadDocument's
// but for its passages, which Later counts and reads again, the same; a
// file changed since the import is a problem naming it.
func TestLaterLargeText(t *testing.T) {
	defer func(b int64, c int) { LargeTextBytes, textChunk = b, c }(LargeTextBytes, textChunk)
	LargeTextBytes, textChunk = 1<<10, 4<<10
	dir := t.TempDir()
	words := strings.Fields("la coopérative décide ensemble des règles « œuvre » déjà été ? ! … 🌱")
	rng := rand.New(rand.NewPCG(3, 18))
	var b strings.Builder
	for b.Len() < 120<<10 {
		b.WriteString(words[rng.IntN(len(words))])
		b.WriteString([]string{" ", " ", " ", "\n", "\r\n", "\n\n", "\r\n\r\n", ".  "}[rng.IntN(8)])
	}
	utf := b.String()
	latin := strings.NewReplacer("œ", "oe", "🌱", "*", "…", "...").Replace(utf)
	files := map[string][]byte{"prose.txt": []byte(utf), "latin.txt": []byte(strings.NewReplacer("é", "\xe9", "è", "\xe8", "«", "\xab", "»", "\xbb").Replace(latin))}
	for name, content := range files {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, content, 0o644); err != nil {
				t.Fatal(err)
			}
			want, wantWarnings, err := ReadDocument(path, Options{MaxPassageRunes: 200})
			if err != nil {
				t.Fatal(err)
			}
			res := Import([]string{path}, "", Options{MaxPassageRunes: 200, LaterLargeText: true})
			if len(res.Problems) > 0 || len(res.Documents) != 1 || !reflect.DeepEqual(res.Warnings, wantWarnings) {
				t.Fatalf("import: %+v", res)
			}
			got, later := res.Documents[0], res.Later[res.Documents[0].ID]
			if got.Passages != nil || later.Read == nil || later.Passages != len(want.Passages) || len(want.Passages) < 50 {
				t.Fatalf("%d passages held, %d counted, %d read by ReadDocument", len(got.Passages), later.Passages, len(want.Passages))
			}
			got.Passages = want.Passages
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("the document differs from ReadDocument's:\n%+v\n%+v", got, want)
			}
			var read []review.Passage
			if err := later.Read(func(p review.Passage) error { read = append(read, p); return nil }); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(read, want.Passages) {
				t.Fatal("the passages read later differ from ReadDocument's")
			}
			stop := errors.New("stop")
			if err := later.Read(func(review.Passage) error { return stop }); err != stop {
				t.Fatalf("a stop from yield gave %v", err)
			}
			// Changed after the import: the same size, one letter.
			changed := []byte(string(content))
			changed[len(changed)/2] ^= 1
			if err := os.WriteFile(path, changed, 0o644); err != nil {
				t.Fatal(err)
			}
			var p Problem
			if err := later.Read(func(review.Passage) error { return nil }); !errors.As(err, &p) || p.File != path {
				t.Fatalf("a file changed since the import gave %v", err)
			}
		})
	}
}
