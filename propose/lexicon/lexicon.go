// Package lexicon holds the lexical knowledge that the frugal proposer
// ships in the binary to bridge the gap between a criterion's words and a
// passage's: a French thesaurus derived from LibreOffice's (see
// thes_fr.LICENSE), read only when a frugal run asks for it.
package lexicon

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
)

// thesFR is derived from Debian's mythes-fr 1:7.5.0-1 (LibreOffice's French
// thesaurus, LGPL-2.1+) by propose's TestGenerateThesaurus: a line per
// headword stem, a tab, then its one-word synonyms separated by "|".
//
//go:embed thes_fr.txt.gz
var thesFR []byte

var (
	loadOnce sync.Once
	thes     map[string][]string
)

// Synonyms returns the synonyms the French thesaurus gives for the words
// whose stem is stem (as propose stems them), in alphabetical order; nil
// when it has none. The table is unpacked at the first call (a few tens of
// milliseconds, once per process) and then only read.
func Synonyms(stem string) []string {
	loadOnce.Do(load)
	return thes[stem]
}

// Size is the number of stems the thesaurus knows, for tests and figures.
func Size() int {
	loadOnce.Do(load)
	return len(thes)
}

func load() {
	thes = map[string][]string{}
	zr, err := gzip.NewReader(bytes.NewReader(thesFR))
	if err != nil {
		panic("lexicon: the embedded thesaurus is damaged: " + err.Error())
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		head, list, ok := strings.Cut(sc.Text(), "\t")
		if ok {
			thes[head] = strings.Split(list, "|")
		}
	}
	if err := sc.Err(); err != nil {
		panic("lexicon: the embedded thesaurus is damaged: " + err.Error())
	}
}
