package tui

import (
	"testing"
	"time"
	"unsafe"

	"github.com/coopdescommuns/revue/review"
)

// TestScreensShareStylesAndKeys checks that what two screens of the same
// language, role and colours draw with is built once, and that a screen's
// own model stays small: a room of 300 keeps 300 of them, and every byte
// a screen keeps costs the server about two of resident memory (the
// collector lets the heap grow to twice what is live).
func TestScreensShareStylesAndKeys(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	newScreen := func(a review.Actor, lang string, env ...string) *Model {
		return New(Options{Actor: a, Lang: lang, Environ: env, Now: (&clock{t: t0}).Now})
	}
	a, b := newScreen(malik, "fr"), newScreen(malik, "fr")
	if a.st != b.st || a.keys != b.keys {
		t.Errorf("two participants' screens in French have styles %p and %p, keys %p and %p: want them shared", a.st, b.st, a.keys, b.keys)
	}
	if en := newScreen(malik, "en"); en.keys == a.keys {
		t.Error("a screen in English shares the French key map: its help would be in French")
	}
	spectator := malik
	spectator.Role = review.Spectator
	if s := newScreen(spectator, "fr"); s.keys == a.keys || s.keys.Accept.Enabled() {
		t.Error("a spectator's screen shares a participant's key map: its action keys would be offered")
	}
	if nc := newScreen(malik, "fr", "NO_COLOR=1"); nc.st == a.st || !nc.st.NoColor {
		t.Error("a screen with NO_COLOR shares the coloured styles")
	}
	if n := unsafe.Sizeof(Model{}); n > 8<<10 {
		t.Errorf("a screen's Model is %d bytes: keep what every screen has alike out of it (at most 8 KB)", n)
	}
}
