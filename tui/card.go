package tui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/sanitize"
	"github.com/coopdescommuns/revue/tui/theme"
)

// keyCard is `J` on the join card: a facilitator's second J shows the
// passcode, the next closes the card; Esc closes it.
func (m *Model) keyCard(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Card) && m.isFacilitator() && !m.cardPass && m.opts.Card.Passcode != "":
		m.cardPass = true
	case key.Matches(msg, m.keys.Card, m.keys.Cancel):
		m.mode, m.cardPass = modeBrowse, false
	case key.Matches(msg, m.keys.Quit):
		return m.askQuit()
	}
	return nil
}

// started reports whether the room has begun: a vote or a decision on any
// link. Until then the wall shows the join card.
func started(st *review.State) bool {
	if st.Decided() > 0 {
		return true
	}
	for _, p := range st.Proposals {
		if len(p.Votes) > 0 {
			return true
		}
	}
	return false
}

// cardPanel is the join card: the commands with every reachable address,
// the fingerprint as OpenSSH prints it, the passcode for a facilitator who
// asked, and who has arrived to take part: participants and facilitators,
// not the wall or other spectators. It fills h lines of w cells.
func (m *Model) cardPanel(w, h int) []string {
	c := m.opts.Card
	lines := []string{"", " " + m.st.Title.Render(m.t.CardTitle), "", " " + m.t.CardSteps}
	for _, cmd := range c.Commands {
		lines = append(lines, "   "+m.st.Statement.Render(sanitize.Line(cmd)))
	}
	lines = append(lines, "", " "+fmt.Sprintf(m.t.CardFP, sanitize.Line(c.Fingerprint)))
	if c.Passcode != "" && m.isFacilitator() {
		if m.cardPass {
			lines = append(lines, " "+fmt.Sprintf(m.t.CardCode, m.st.Statement.Render(sanitize.Line(c.Passcode))))
		} else {
			lines = append(lines, " "+m.t.CardMask)
		}
	}
	if m.snap != nil {
		here := ""
		seen := map[string]bool{}
		n := 0
		for _, p := range m.snap.Online {
			if r := p.Actor.Role; r != review.Participant && r != review.Facilitator {
				continue
			}
			if k := p.Actor.Key(); !seen[k] {
				seen[k] = true
				if n > 0 {
					here += ", "
				}
				here += sanitize.Line(p.Actor.Name)
				n++
			}
		}
		lines = append(lines, "", " "+fmt.Sprintf(m.t.CardHere, n)+here)
	}
	if m.mode == modeCard {
		lines = append(lines, "", " "+m.st.Faint.Render(m.t.CardHint))
	}
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = theme.Fit(lines[i], w)
		} else {
			out[i] = theme.Fit("", w)
		}
	}
	return out
}
