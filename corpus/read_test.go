package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadTextFileChunks reads text files in chunks of a few bytes, so
// that runes, \r\n and escape sequences fall across chunks: the text is
// the one decode and clean give of the whole file, in UTF-8, with a BOM,
// and in Windows-1252.
func TestReadTextFileChunks(t *testing.T) {
	old := textChunk
	t.Cleanup(func() { textChunk = old })
	inputs := []string{
		"Les communs, gérés ensemble : « œuvre » € 𝄞 fin.\r\nLigne deux\r\n\x1b[31mrouge\x1b[0m et \u202eBidi.\r",
		"\ufeffavec BOM, é à ù\n\n## Titre\n",
		"Windows-1252 : caf\xe9 na\xefve \x80 \x93guillemets\x94\r\n",
		"invalide \xff\xfe à la fin \xc3",
	}
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 40; i++ {
		b := make([]byte, r.Intn(300))
		for j := range b {
			b[j] = "aé\r\n\x1b[m€ .\xe9"[r.Intn(13)]
			if i%2 == 0 && b[j] == 0x1b {
				b[j] = 'z'
			}
		}
		inputs = append(inputs, string(b))
	}
	for _, chunk := range []int{1, 2, 3, 5, 64} {
		textChunk = chunk
		for i, in := range inputs {
			path := filepath.Join(t.TempDir(), "t.txt")
			os.WriteFile(path, []byte(in), 0o644)
			info, _ := os.Stat(path)
			got, err := readTextFile(path, info)
			if err != nil {
				t.Fatal(err)
			}
			if looksBinary([]byte(in)) {
				continue
			}
			s, warn := decode([]byte(in))
			sum := sha256.Sum256([]byte(in))
			if strings.Contains(in, "\x1b") {
				// Escape sequences are stripped as a whole file's would
				// be only where they are well formed; what matters is
				// that none is left.
				if clean(got.text) != got.text || strings.Contains(got.text, "\x1b") {
					t.Errorf("chunk %d, input %d: not clean: %q", chunk, i, got.text)
				}
				continue
			}
			if got.text != clean(s) || got.warning != warn || got.sha != hex.EncodeToString(sum[:]) {
				t.Errorf("chunk %d, input %d %q:\ngot  %q (%q)\nwant %q (%q)", chunk, i, in, got.text, got.warning, clean(s), warn)
			}
		}
	}
}

// TestFileChangedWhileRead changes a file between the two readings of a
// text document, as a copy still under way or an editor saving does: it
// is refused as a whole, named, never imported half.
func TestFileChangedWhileRead(t *testing.T) {
	t.Cleanup(func() { betweenPasses = func(string) {} })
	text := strings.Repeat("Les règles sont décidées ensemble.\n", 1000)
	for _, change := range []struct {
		name string
		do   func(path string)
	}{
		{"truncated", func(p string) { os.Truncate(p, 100) }},
		{"appended", func(p string) {
			f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString("encore")
			f.Close()
		}},
		{"rewritten, same size", func(p string) { os.WriteFile(p, []byte(strings.ToUpper(text)), 0o644) }},
		{"replaced", func(p string) {
			os.WriteFile(p+".new", []byte(text), 0o644)
			os.Rename(p+".new", p)
		}},
	} {
		t.Run(change.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "notes.md")
			os.WriteFile(path, []byte(text), 0o644)
			betweenPasses = change.do
			_, _, err := ReadDocument(path, Options{})
			if err == nil || !strings.Contains(err.Error(), path+": the file changed while it was read") {
				t.Fatalf("error %v", err)
			}
		})
	}
}

// TestVanishedFolder removes the folder given to Import while its files
// are read: one sentence names the folder, not one line a file.
func TestVanishedFolder(t *testing.T) {
	t.Cleanup(func() { betweenPasses = func(string) {} })
	dir := filepath.Join(t.TempDir(), "rapports")
	os.MkdirAll(filepath.Join(dir, "sous"), 0o755)
	for i := range 30 {
		os.WriteFile(filepath.Join(dir, "sous", string(rune('a'+i%26))+strings.Repeat("x", i/26)+".md"), []byte("# Titre\n\nTexte."), 0o644)
	}
	betweenPasses = func(string) { os.RemoveAll(dir) }
	res := Import([]string{dir}, "", Options{})
	if len(res.Problems) != 1 || res.Problems[0].File != dir || !strings.Contains(res.Problems[0].Reason, "the folder disappeared while it was read") {
		t.Fatalf("problems %v", res.Problems)
	}
}
