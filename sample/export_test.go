package sample

import "io"

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
