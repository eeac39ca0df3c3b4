package review

import (
	"errors"
	"fmt"
)

// TextSource gives the text of a passage that a State folded without it
// (ApplyLean): the store reads it from the event that holds it, by that
// event's seq. A served session of 18,000 pads of realistic size held 149
// MB of passage text for the few passages its screens show at a time; the
// text now stays on disk and is read when shown.
//
// A State's snapshots share one source across the hub's goroutines, so an
// implementation is safe for concurrent use, and a read it has cached
// costs about a map lookup: the screens read text while they draw.
type TextSource interface {
	PassageText(seq int64, passage string) (string, error)
}

// TextUnreadable stands for a passage's text that could not be read from
// the store (a disk error, a store closed during a stop): a screen, maybe
// projected, shows this sentence in both languages rather than an error of
// Go's, and the source logs the cause.
const TextUnreadable = "(texte du passage illisible pour l'instant, voir le journal du serveur · passage text unreadable for now, see the server's log)"

// ErrNoTextSource is returned for a passage folded without its text in a
// State that was given no TextSource to read it from.
var ErrNoTextSource = errors.New("passage text kept in the store, and no store to read it from")

// SetText gives the state, and the snapshots taken after, the source of the
// text of the passages that ApplyLean folded without it.
func (s *State) SetText(src TextSource) { s.text = src }

// ReadPassageText returns p's text: from the passage itself when the fold
// kept it (or a reader put it back), else from the state's TextSource. Exports call it, and fail on
// its error rather than write a placeholder into a study's data.
func (s *State) ReadPassageText(p *Passage) (string, error) {
	if p.Text != "" || p.seq == 0 {
		return p.Text, nil
	}
	if s.text == nil {
		return "", fmt.Errorf("passage %s (event %d): %w", p.ID, p.seq, ErrNoTextSource)
	}
	return s.text.PassageText(p.seq, p.ID)
}

// PassageText returns p's text for a screen: TextUnreadable when it cannot
// be read (the source logs why), so that drawing never fails.
func (s *State) PassageText(p *Passage) string {
	t, err := s.ReadPassageText(p)
	if err != nil {
		return TextUnreadable
	}
	return t
}
