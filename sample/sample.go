// Package sample holds the French sample corpus of `revue demo` and the links a careful reader
// would make in it, used to measure retrieval.
//
// The corpus was written for the project: seven short documents of the kind French
// associations building commons write (minutes, a yearly report, a charter, a pad), nine
// criteria in the spirit of Elinor Ostrom's design principles, and a gold set of links whose
// quotes are exact substrings of the documents. The documents deliberately mix passages that
// clearly illustrate a criterion, passages that only partly do, passages that illustrate none
// (logistics, budget lines) and passages that describe a failure, so that a proposer can be
// judged on what it should not link as much as on what it should.
package sample

import (
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// FS holds the documents (docs/*.md), the criteria (criteria.md), the gold links (gold.csv),
// the demo's hand-written example links (examples.csv) and the commented criteria files
// `revue init --example-criteria` writes (example-criteria/fr.md, en.md).
// They are embedded so that `revue demo` works from the binary alone, with no file to install.
//
//go:embed docs/*.md criteria.md gold.csv examples.csv example-criteria/*.md
var FS embed.FS

// Gold is one expected link: the passage of Document containing Quote illustrates Criterion.
// Document is a file name under docs/ (for example "jardin.md"), Criterion an id of
// criteria.md (for example "C3"), Quote an exact byte substring of the document, and Strength
// "strong" when the passage plainly illustrates the criterion or "partial" when it only touches it.
type Gold struct {
	Document, Criterion, Quote, Strength string
}

// Strength values allowed in gold.csv.
const (
	Strong  = "strong"
	Partial = "partial"
)

// goldHeader is the exact header gold.csv must start with; checking it catches a reordered
// column, which would otherwise silently swap quotes and criteria.
var goldHeader = []string{"document", "criterion", "quote", "strength"}

// LoadGold reads the embedded gold.csv.
func LoadGold() ([]Gold, error) {
	f, err := FS.Open("gold.csv")
	if err != nil {
		return nil, fmt.Errorf("sample: open embedded gold.csv: %w", err)
	}
	defer f.Close()
	return parseGold(f, "gold.csv")
}

// parseGold reads gold links in CSV from r; name is only used in error messages, which give
// the line at fault so that whoever edits the file can find it.
func parseGold(r io.Reader, name string) ([]Gold, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(goldHeader)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty file; expected the header %q", name, strings.Join(goldHeader, ","))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for i, h := range goldHeader {
		if header[i] != h {
			return nil, fmt.Errorf("%s:1: header is %q; expected %q", name, strings.Join(header, ","), strings.Join(goldHeader, ","))
		}
	}
	var out []Gold
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		g := Gold{Document: rec[0], Criterion: rec[1], Quote: rec[2], Strength: rec[3]}
		switch {
		case g.Document == "" || g.Criterion == "" || g.Quote == "":
			return nil, fmt.Errorf("%s:%d: document, criterion and quote must all be filled in", name, line)
		case g.Strength != Strong && g.Strength != Partial:
			return nil, fmt.Errorf("%s:%d: strength %q; write %q or %q", name, line, g.Strength, Strong, Partial)
		}
		out = append(out, g)
	}
}

// WriteTo copies the docs and criteria into dir (dir/docs/*.md, dir/criteria.md) so that the
// ordinary import path reads them like any user's files; it returns the paths to pass to Import.
// Going through real files, rather than a special in-memory import, means the demo exercises
// exactly the code a facilitator's own documents go through. Existing files of the same names
// are overwritten; docs come back in lexical order.
func WriteTo(dir string) (docs []string, criteria string, err error) {
	docsDir := filepath.Join(dir, "docs")
	if err := os.MkdirAll(docsDir, 0o755); err != nil {
		return nil, "", fmt.Errorf("sample: create %s: %w", docsDir, err)
	}
	names, err := fs.Glob(FS, "docs/*.md")
	if err != nil {
		return nil, "", fmt.Errorf("sample: list embedded docs: %w", err)
	}
	for _, name := range names {
		dst := filepath.Join(docsDir, path.Base(name))
		if err := copyOut(name, dst); err != nil {
			return nil, "", err
		}
		docs = append(docs, dst)
	}
	criteria = filepath.Join(dir, "criteria.md")
	if err := copyOut("criteria.md", criteria); err != nil {
		return nil, "", err
	}
	return docs, criteria, nil
}

// copyOut writes the embedded file name to dst.
func copyOut(name, dst string) error {
	b, err := FS.ReadFile(name)
	if err != nil {
		return fmt.Errorf("sample: read embedded %s: %w", name, err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		return fmt.Errorf("sample: write %s (is the directory writable?): %w", dst, err)
	}
	return nil
}
