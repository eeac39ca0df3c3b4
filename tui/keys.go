package tui

import (
	"charm.land/bubbles/v2/key"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/tui/i18n"
)

// KeyMap is every key of the review screen, with its help in the screen's
// language. One map, built once per screen, is what `?` shows and what
// Update matches, so that the help can never disagree with the keys.
type KeyMap struct {
	Accept  key.Binding
	Reject  key.Binding
	Edit    key.Binding
	Skip    key.Binding
	Undo    key.Binding
	Up      key.Binding
	Down    key.Binding
	First   key.Binding
	Last    key.Binding
	Scroll  key.Binding
	Filter  key.Binding
	Why     key.Binding
	Comment key.Binding
	Create  key.Binding
	Help    key.Binding
	Quit    key.Binding

	// Keys of the panels, not shown in the main help.
	PageUp   key.Binding
	PageDown key.Binding
	Confirm  key.Binding
	Cancel   key.Binding
	Save     key.Binding
	Left     key.Binding
	Right    key.Binding
	Clear    key.Binding
}

// newKeyMap builds the key map for a role. A spectator's action keys are
// disabled: they are neither matched nor shown. The server refuses the
// actions anyway; hiding them only spares the spectator a refusal.
func newKeyMap(t *i18n.Text, role review.Role) KeyMap {
	k := KeyMap{
		Accept:  key.NewBinding(key.WithKeys("a"), key.WithHelp("a", t.KeyAccept)),
		Reject:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", t.KeyReject)),
		Edit:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", t.KeyEdit)),
		Skip:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", t.KeySkip)),
		Undo:    key.NewBinding(key.WithKeys("u"), key.WithHelp("u", t.KeyUndo)),
		Up:      key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("k/↑", t.KeyUp)),
		Down:    key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("j/↓", t.KeyDown)),
		First:   key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", t.KeyFirst)),
		Last:    key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", t.KeyLast)),
		Scroll:  key.NewBinding(key.WithKeys("pgdown", "pgup"), key.WithHelp("pg↑/pg↓", t.KeyScroll)),
		Filter:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", t.KeyFilter)),
		Why:     key.NewBinding(key.WithKeys("w"), key.WithHelp("w", t.KeyWhy)),
		Comment: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", t.KeyComment)),
		Create:  key.NewBinding(key.WithKeys("+"), key.WithHelp("+", t.KeyCreate)),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", t.KeyHelp)),
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", t.KeyQuit)),

		PageUp:   key.NewBinding(key.WithKeys("pgup")),
		PageDown: key.NewBinding(key.WithKeys("pgdown")),
		Confirm:  key.NewBinding(key.WithKeys("enter")),
		Cancel:   key.NewBinding(key.WithKeys("esc")),
		Save:     key.NewBinding(key.WithKeys("ctrl+s", "alt+enter")),
		Left:     key.NewBinding(key.WithKeys("left", "h")),
		Right:    key.NewBinding(key.WithKeys("right", "l", "space", "tab")),
		Clear:    key.NewBinding(key.WithKeys("x")),
	}
	if role != review.Facilitator && role != review.Participant {
		for _, b := range []*key.Binding{&k.Accept, &k.Reject, &k.Edit, &k.Skip, &k.Undo, &k.Comment, &k.Create} {
			b.SetEnabled(false)
		}
	}
	return k
}

// ShortHelp is the hint line at the bottom of the screen.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Accept, k.Reject, k.Edit, k.Skip, k.Why, k.Comment, k.Create, k.Down, k.Help, k.Quit}
}

// FullHelp is what `?` shows, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Accept, k.Reject, k.Edit, k.Skip, k.Undo},
		{k.Comment, k.Create, k.Why, k.Filter, k.Help, k.Quit},
		{k.Up, k.Down, k.First, k.Last, k.Scroll},
	}
}

// actionKeys are the bindings that change the session; a spectator has none.
func (k KeyMap) actionKeys() []key.Binding {
	return []key.Binding{k.Accept, k.Reject, k.Edit, k.Skip, k.Undo, k.Comment, k.Create}
}
