package session

import (
	"testing"
	"time"
)

// TestGuard runs the guard on a clock of its own: a name that fails is
// slowed with growing waits, then refused, then forgiven; its neighbours
// at the same address are not slowed until the address's own, looser,
// count is reached.
func TestGuard(t *testing.T) {
	lim := guardLimits{userFree: 2, userBan: 5, ipFree: 6, ipBan: 12,
		userDelay: time.Second, ipDelay: 100 * time.Millisecond, maxDelay: 3 * time.Second, forget: 10 * time.Minute}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	g := newGuard(lim)
	g.now = func() time.Time { return now }
	const ip = "192.0.2.7"

	var waits []time.Duration
	for range 5 {
		v := g.check(ip, "mallory")
		if v.refused {
			t.Fatalf("refused after %d failures, want 5", len(waits))
		}
		waits = append(waits, v.wait)
		now = now.Add(v.wait)
		g.fail(ip, "mallory")
	}
	want := []time.Duration{0, 0, time.Second, 2 * time.Second, 3 * time.Second}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits %v, want %v", waits, want)
		}
	}
	if v := g.check(ip, "mallory"); !v.refused || !v.until.Equal(now.Add(lim.forget)) {
		t.Fatalf("after 5 failures: %+v, want refused until %v", v, now.Add(lim.forget))
	}
	// The same address, another name: neither slowed nor refused.
	if v := g.check(ip, "ana"); v.refused || v.wait != 0 {
		t.Fatalf("ana at the same address: %+v, want neither wait nor refusal", v)
	}
	// Another address, the same name: untouched.
	if v := g.check("192.0.2.8", "mallory"); v.refused || v.wait != 0 {
		t.Fatalf("mallory elsewhere: %+v", v)
	}
	// One more failure of another name reaches the address's free six:
	// everybody there now waits a little.
	g.fail(ip, "bob")
	if v := g.check(ip, "chloé"); v.refused || v.wait != lim.ipDelay {
		t.Fatalf("after 6 failures at the address: %+v, want a wait of %v", v, lim.ipDelay)
	}
	// A success clears the name's failures, not the address's.
	g.succeed(ip, "bob")
	if f := g.entries[userKey(ip, "bob")]; f != nil {
		t.Fatalf("bob's failures kept after a success: %+v", f)
	}
	if f := g.entries[ipKey(ip)]; f == nil || f.n != 6 {
		t.Fatalf("the address's failures after bob's success: %+v, want 6", f)
	}
	// The address is refused at twelve, whoever tries.
	for range 6 {
		g.fail(ip, "x")
	}
	if v := g.check(ip, "dora"); !v.refused {
		t.Fatalf("after 12 failures at the address: %+v, want refused", v)
	}
	// Forgotten after forget.
	now = now.Add(lim.forget)
	if v := g.check(ip, "mallory"); v.refused || v.wait != 0 {
		t.Fatalf("after %v: %+v, want forgiven", lim.forget, v)
	}
}

// TestGuardMemory checks that a flood of distinct names cannot grow the
// guard without bound.
func TestGuardMemory(t *testing.T) {
	g := newGuard(defaultGuard)
	for i := range 3 * maxGuardEntries {
		g.fail("192.0.2.1", string(rune(0x4e00+i)))
	}
	if n := len(g.entries); n > maxGuardEntries+2 {
		t.Fatalf("%d entries, want at most about %d", n, maxGuardEntries)
	}
}
