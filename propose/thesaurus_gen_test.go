package propose

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestGenerateThesaurus derives propose/lexicon/thes_fr.txt.gz from the
// French thesaurus of LibreOffice (Debian's mythes-fr 1:7.5.0-1,
// /usr/share/mythes/thes_fr.dat, LGPL-2.1+). It runs only when
// REVUE_THESAURUS_SRC names that file, since the source is not shipped:
//
//	REVUE_THESAURUS_SRC=/usr/share/mythes/thes_fr.dat go test ./propose -run TestGenerateThesaurus
//
// The derived file keeps, for each headword's stem, its one-word synonyms
// whose relation is mutual at the level of stems (x lists y and y lists x):
// the thesaurus merges every sense of a word in one line ("règle": bâton,
// loi, norme, canne…), and a synonym that does not list its headword back
// is most often another sense's. It must be generated again when the
// analyzer (stop words, stemmer) changes; TestThesaurusData checks that it
// still agrees with it.
func TestGenerateThesaurus(t *testing.T) {
	src := os.Getenv("REVUE_THESAURUS_SRC")
	if src == "" {
		t.Skip("REVUE_THESAURUS_SRC is not set: the shipped thesaurus is not regenerated")
	}
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	// syn: headword stem → synonym surface → its stem.
	syn := map[string]map[string]string{}
	sc.Scan() // encoding line
	for sc.Scan() {
		head, n, ok := strings.Cut(sc.Text(), "|")
		if !ok {
			continue
		}
		k, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		hs := oneTerm(head)
		for range k {
			if !sc.Scan() {
				break
			}
			if hs == "" {
				continue
			}
			fields := strings.Split(sc.Text(), "|")
			for _, w := range fields[1:] {
				ws := oneTerm(w)
				if ws == "" || ws == hs {
					continue
				}
				if syn[hs] == nil {
					syn[hs] = map[string]string{}
				}
				if _, ok := syn[hs][strings.ToLower(w)]; !ok {
					syn[hs][strings.ToLower(w)] = ws
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	lists := func(a, b string) bool {
		for _, s := range syn[a] {
			if s == b {
				return true
			}
		}
		return false
	}
	var buf bytes.Buffer
	heads := slices.Sorted(func(yield func(string) bool) {
		for h := range syn {
			if !yield(h) {
				return
			}
		}
	})
	entries, pairs := 0, 0
	for _, h := range heads {
		var keep []string
		seen := map[string]bool{}
		for w, s := range syn[h] {
			if lists(s, h) && !seen[s] {
				seen[s] = true
				keep = append(keep, w)
			}
		}
		if len(keep) == 0 {
			continue
		}
		slices.Sort(keep)
		buf.WriteString(h + "\t" + strings.Join(keep, "|") + "\n")
		entries++
		pairs += len(keep)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(buf.Bytes())
	zw.Close()
	out := filepath.Join("lexicon", "thes_fr.txt.gz")
	if err := os.WriteFile(out, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d entries, %d synonyms, %d bytes of text, %d gzipped", entries, pairs, buf.Len(), gz.Len())
}

// oneTerm returns the stem of a one-word text, or "" when it is several
// words, a stop word or nothing.
func oneTerm(w string) string {
	ts := Terms(w)
	if len(ts) != 1 || strings.ContainsAny(strings.TrimSpace(w), " ") {
		return ""
	}
	return ts[0]
}
