package session

import (
	"fmt"
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
	// attempt is one wrong passcode: the check, the wait, the failure.
	attempt := func(ip, user string) verdict {
		v := g.check(ip, user)
		if !v.refused {
			now = now.Add(v.wait)
			g.fail(ip, user)
		}
		return v
	}

	var waits []time.Duration
	for range 5 {
		v := attempt(ip, "mallory")
		if v.refused {
			t.Fatalf("refused after %d failures, want 5", len(waits))
		}
		waits = append(waits, v.wait)
	}
	want := []time.Duration{0, 0, time.Second, 2 * time.Second, 3 * time.Second}
	if fmt.Sprint(waits) != fmt.Sprint(want) {
		t.Fatalf("waits %v, want %v", waits, want)
	}
	if v := g.check(ip, "mallory"); !v.refused || !v.until.Equal(now.Add(lim.forget)) {
		t.Fatalf("after 5 failures: %+v, want refused until %v", v, now.Add(lim.forget))
	}
	// The same address, another name: neither slowed nor refused.
	if v := attempt(ip, "ana"); v.refused || v.wait != 0 {
		t.Fatalf("ana at the same address: %+v, want neither wait nor refusal", v)
	}
	// Another address, the same name: untouched.
	if v := g.check("192.0.2.8", "mallory"); v.refused || v.wait != 0 {
		t.Fatalf("mallory elsewhere: %+v", v)
	}
	g.succeed("192.0.2.8", "mallory")
	// The address has failed six times: everybody there now waits a little.
	if v := g.check(ip, "chloé"); v.refused || v.wait != lim.ipDelay {
		t.Fatalf("after 6 failures at the address: %+v, want a wait of %v", v, lim.ipDelay)
	}
	// A success takes back its own attempt and clears the name's failures,
	// not the address's.
	g.succeed(ip, "chloé")
	g.succeed(ip, "ana")
	if f := g.entries[userKey(ip, "ana")]; f != nil {
		t.Fatalf("ana's failures kept after a success: %+v", f)
	}
	if f := g.entries[ipKey(ip)]; f == nil || f.n != 5 {
		t.Fatalf("the address's failures after two successes: %+v, want 5", f)
	}
	// The address is refused at twelve, whoever tries.
	for i := range 7 {
		attempt(ip, fmt.Sprint("x", i))
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

// TestGuardCountsAttemptsInFlight: parallel connections of one guesser
// all asking before any of them has answered cannot pass the ban, which
// counted failures only once answered (26 checks where 10 were meant).
func TestGuardCountsAttemptsInFlight(t *testing.T) {
	g := newGuard(defaultGuard)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	g.now = func() time.Time { return now }
	allowed := 0
	for range 40 {
		if !g.check("192.0.2.9", "mallory").refused {
			allowed++
		}
	}
	if allowed != defaultGuard.userBan {
		t.Fatalf("%d attempts in flight allowed, want %d", allowed, defaultGuard.userBan)
	}
}

// TestGuardBudget: ten addresses guessing in parallel share one budget of
// passcode checks; over any stretch of (injected) time they get at most
// the burst plus the rate, while a fresh address is neither slowed nor
// refused.
func TestGuardBudget(t *testing.T) {
	g := newGuard(defaultGuard)
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	now := start
	g.now = func() time.Time { return now }
	checks := 0
	// Each attacker asks again as soon as its previous try is answered
	// (at once after its wait); time moves by steps of 100 ms. A name is
	// never tried twice, so only the address's count and the budget hold
	// them.
	next := map[string]time.Time{}
	for i := range 10 {
		next[fmt.Sprint("127.0.0.", 10+i)] = start
	}
	end := start.Add(2 * time.Minute)
	for now.Before(end) {
		for ip, at := range next {
			if now.Before(at) {
				continue
			}
			user := fmt.Sprint("u", checks) // a new name at every try
			v := g.check(ip, user)
			if v.refused {
				next[ip] = now.Add(time.Second)
				continue
			}
			if now.Add(v.wait).Before(end) {
				checks++ // the passcode is compared after the wait
			}
			g.fail(ip, user)
			next[ip] = now.Add(v.wait)
		}
		if now.Sub(start) == time.Minute {
			if v := g.check("127.0.0.99", "léa"); v.refused || v.wait != 0 {
				t.Fatalf("a participant from a fresh address during the attack: %+v, want in at once", v)
			}
			g.succeed("127.0.0.99", "léa")
		}
		now = now.Add(100 * time.Millisecond)
	}
	elapsed := now.Sub(start).Seconds()
	limit := 10 + defaultGuard.budgetBurst + defaultGuard.budget/60*elapsed
	t.Logf("%d checks in %.0f s of the guard's clock: %.2f/s", checks, elapsed, float64(checks)/elapsed)
	if float64(checks) > limit || float64(checks)/elapsed > 3 {
		t.Fatalf("%d checks in %.0f s, want at most %.0f and 3 a second", checks, elapsed, limit)
	}
}

// TestAddrGroup: IPv6 addresses count by /64, IPv4 ones alone.
func TestAddrGroup(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"2001:db8:1:2::1", "2001:db8:1:2:ffff::9"},
		{"::ffff:192.0.2.1", "192.0.2.1"},
	} {
		if addrGroup(c.a) != addrGroup(c.b) {
			t.Errorf("%s and %s in groups %s and %s, want one", c.a, c.b, addrGroup(c.a), addrGroup(c.b))
		}
	}
	for _, c := range []struct{ a, b string }{
		{"2001:db8:1:2::1", "2001:db8:1:3::1"},
		{"192.0.2.1", "192.0.2.2"},
	} {
		if addrGroup(c.a) == addrGroup(c.b) {
			t.Errorf("%s and %s in one group %s", c.a, c.b, addrGroup(c.a))
		}
	}
}

// TestGuardMemory checks that a flood of distinct names cannot grow the
// guard without bound.
func TestGuardMemory(t *testing.T) {
	g := newGuard(defaultGuard)
	for i := range 3 * maxGuardEntries {
		g.check(fmt.Sprint("192.0.", i/250%250, ".", i%250), string(rune(0x4e00+i)))
	}
	if n := len(g.entries); n > maxGuardEntries+2 {
		t.Fatalf("%d entries, want at most about %d", n, maxGuardEntries)
	}
}
