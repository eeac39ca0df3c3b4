package tui

import (
	"sync"

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

	// Moving through the work, and the room.
	Follow       key.Binding
	NextPending  key.Binding
	NextMine     key.Binding
	NextConflict key.Binding

	// The facilitator's keys: leading the room and the decisions'
	// lifecycle. Disabled for every other role.
	Lead     key.Binding
	Versions key.Binding
	Reopen   key.Binding
	Blind    key.Binding
	HideMine key.Binding // the facilitator's own screen blind, to project it
	Reveal   key.Binding
	Park     key.Binding
	Parked   key.Binding
	Timer    key.Binding
	// The tools for two hours and twenty people.
	Agenda    key.Binding
	Order     key.Binding
	Mark      key.Binding
	Unanimous key.Binding

	// Everybody's tools: who voted, a raised hand, the results, the
	// passage in its document.
	Turnout key.Binding
	Hand    key.Binding
	Results key.Binding
	Source  key.Binding
	Card    key.Binding

	// Keys of the panels, not shown in the main help.
	PageUp   key.Binding
	PageDown key.Binding
	Confirm  key.Binding
	Cancel   key.Binding
	Save     key.Binding
	Left     key.Binding
	Right    key.Binding
	Clear    key.Binding
	Yes      key.Binding
	No       key.Binding
	Tab      key.Binding
}

// keyMaps holds the key map of each language and role, built once.
var keyMaps sync.Map // keyMapKey → *KeyMap

type keyMapKey struct {
	t    *i18n.Text
	role review.Role
}

// keysFor is newKeyMap(t, role), built once for every screen that asks: a
// key map is 3 KB of bindings and help texts that depend on nothing else,
// and a room of 300 screens has a few of them. The result is shared:
// nobody may modify it.
func keysFor(t *i18n.Text, role review.Role) *KeyMap {
	k := keyMapKey{t, role}
	if v, ok := keyMaps.Load(k); ok {
		return v.(*KeyMap)
	}
	km := newKeyMap(t, role)
	v, _ := keyMaps.LoadOrStore(k, &km)
	return v.(*KeyMap)
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

		Follow:       key.NewBinding(key.WithKeys("f"), key.WithHelp("f", t.KeyFollow)),
		NextPending:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", t.KeyNextPending)),
		NextMine:     key.NewBinding(key.WithKeys("m"), key.WithHelp("m", t.KeyNextMine)),
		NextConflict: key.NewBinding(key.WithKeys("d"), key.WithHelp("d", t.KeyNextConflict)),

		Lead:     key.NewBinding(key.WithKeys("F"), key.WithHelp("F", t.KeyLead)),
		Versions: key.NewBinding(key.WithKeys("v"), key.WithHelp("v", t.KeyVersions)),
		Reopen:   key.NewBinding(key.WithKeys("o"), key.WithHelp("o", t.KeyReopen)),
		Blind:    key.NewBinding(key.WithKeys("b"), key.WithHelp("b", t.KeyBlind)),
		HideMine: key.NewBinding(key.WithKeys("B"), key.WithHelp("B", t.KeyHideMine)),
		Reveal:   key.NewBinding(key.WithKeys("R"), key.WithHelp("R", t.KeyReveal)),
		Park:     key.NewBinding(key.WithKeys("p"), key.WithHelp("p", t.KeyPark)),
		Parked:   key.NewBinding(key.WithKeys("P"), key.WithHelp("P", t.KeyParked)),
		Timer:    key.NewBinding(key.WithKeys("t"), key.WithHelp("t", t.KeyTimer)),

		Agenda:    key.NewBinding(key.WithKeys("A"), key.WithHelp("A", t.KeyAgenda)),
		Order:     key.NewBinding(key.WithKeys("O"), key.WithHelp("O", t.KeyOrder)),
		Mark:      key.NewBinding(key.WithKeys("*"), key.WithHelp("*", t.KeyMark)),
		Unanimous: key.NewBinding(key.WithKeys("U"), key.WithHelp("U", t.KeyUnanimous)),
		Turnout:   key.NewBinding(key.WithKeys("T"), key.WithHelp("T", t.KeyTurnout)),
		Hand:      key.NewBinding(key.WithKeys("h"), key.WithHelp("h", t.KeyHand)),
		Results:   key.NewBinding(key.WithKeys("="), key.WithHelp("=", t.KeyResults)),
		Source:    key.NewBinding(key.WithKeys("i"), key.WithHelp("i", t.KeySource)),
		Card:      key.NewBinding(key.WithKeys("J"), key.WithHelp("J", t.KeyCard)),

		PageUp:   key.NewBinding(key.WithKeys("pgup")),
		PageDown: key.NewBinding(key.WithKeys("pgdown")),
		Confirm:  key.NewBinding(key.WithKeys("enter")),
		Cancel:   key.NewBinding(key.WithKeys("esc")),
		Save:     key.NewBinding(key.WithKeys("ctrl+s", "alt+enter")),
		Left:     key.NewBinding(key.WithKeys("left", "h")),
		Right:    key.NewBinding(key.WithKeys("right", "l", "space", "tab")),
		Clear:    key.NewBinding(key.WithKeys("x")),
		Yes:      key.NewBinding(key.WithKeys("y", "o", "enter")),
		No:       key.NewBinding(key.WithKeys("n", "esc")),
		Tab:      key.NewBinding(key.WithKeys("tab")),
	}
	if role != review.Facilitator && role != review.Participant {
		for _, b := range []*key.Binding{&k.Accept, &k.Reject, &k.Edit, &k.Skip, &k.Undo, &k.Comment, &k.Create, &k.NextMine} {
			b.SetEnabled(false)
		}
	}
	if role != review.Participant {
		k.Hand.SetEnabled(false)
	}
	if role != review.Facilitator {
		for _, b := range k.facilitatorKeys() {
			b.SetEnabled(false)
		}
	} else {
		// The facilitator leads; following is for the others.
		k.Follow.SetEnabled(false)
	}
	return k
}

// facilitatorKeys are the bindings only a facilitator has.
func (k *KeyMap) facilitatorKeys() []*key.Binding {
	return []*key.Binding{&k.Lead, &k.Versions, &k.Reopen, &k.Blind, &k.HideMine, &k.Reveal, &k.Park, &k.Parked, &k.Timer,
		&k.Agenda, &k.Order, &k.Mark, &k.Unanimous}
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
		{k.Follow, k.NextPending, k.NextMine, k.NextConflict},
		{k.Lead, k.Versions, k.Reopen, k.Blind, k.HideMine},
		{k.Reveal, k.Park, k.Parked, k.Timer},
		{k.Agenda, k.Order, k.Mark, k.Unanimous},
		{k.Turnout, k.Hand, k.Results, k.Source, k.Card},
	}
}

// actionKeys are the bindings that change the session; a spectator has none.
func (k KeyMap) actionKeys() []key.Binding {
	return []key.Binding{k.Accept, k.Reject, k.Edit, k.Skip, k.Undo, k.Comment, k.Create}
}
