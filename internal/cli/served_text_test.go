package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/store"
)

// A served session keeps no passage's text in memory (ApplyLean) and reads
// it from the store when a screen shows it: a participant joining `serve
// --session` over SSH reads the passage of the first link on the card.
func TestServedSessionShowsPassageText(t *testing.T) {
	data := t.TempDir()
	st, err := store.Open(filepath.Join(data, "revue.db"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	events := padSession("m", 40, 3000)
	// The passage of the link: its last words are only in it.
	d := review.Document{ID: "dlink", Title: "Statuts", Source: "statuts.md", SHA256: strings.Repeat("ab", 32), Format: "markdown", Chars: 80}
	text := "Article 4. Chaque assemblée élit sa présidence tournante, dite zinnia-quorum."
	d.Passages = []review.Passage{{ID: "dlink-p0", Document: "dlink", Index: 0, Text: text, Start: 0, End: len([]rune(text))}}
	events = append(events,
		review.MustEvent("m", "doc-dlink", now, systemActor, review.KindDocumentAdded, d),
		review.MustEvent("m", "prop-1", now, systemActor, review.KindProposalAdded, review.Proposal{ID: "prop-1", Document: "dlink", Passage: "dlink-p0", Criterion: "c1",
			Statement: "La présidence tourne.", Confidence: 0.8, Origin: review.Origin{Kind: review.OriginLexical, Name: "lexical"}}))
	if _, err := st.Append(context.Background(), events...); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	addr := serveInBackground(t, "--data", data, "--lang", "en", "serve", "--session", "m", "--listen", "127.0.0.1:0")
	screen := dialShell(t, addr, "lea", "zinnia-quorum")
	if strings.Contains(screen.String(), "unreadable") {
		t.Errorf("the screen says the text is unreadable:\n%q", screen.String())
	}
}
