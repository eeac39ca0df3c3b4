package sample

import (
	"io"
	"slices"
	"strings"
	"testing"
)

// ParseExamples checks an examples file against the embedded gold links, for the external
// tests.
func ParseExamples(r io.Reader) error {
	gold, err := LoadGold()
	if err != nil {
		return err
	}
	_, err = parseExamples(r, "examples.csv", gold)
	return err
}

// FuzzParseExamples: whatever the file holds, an example accepted has a
// statement and is one of the gold links, with its strength.
func FuzzParseExamples(f *testing.F) {
	b, err := FS.ReadFile("examples.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add("document,criterion,quote,statement\n")
	f.Add("document,criterion,quote,statement\njardin.md,C1,x,\n")
	gold, err := LoadGold()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		examples, err := parseExamples(strings.NewReader(in), "fuzz.csv", gold)
		if err != nil {
			return
		}
		for _, ex := range examples {
			if ex.Statement == "" || !slices.Contains(gold, ex.Gold) {
				t.Errorf("accepted an example that is no gold link or has no statement: %+v", ex)
			}
		}
	})
}
