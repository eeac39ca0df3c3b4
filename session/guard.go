package session

import (
	"context"
	"net"
	"sync"
	"time"
)

// guardLimits tune how failed passcodes are slowed and refused. Each
// failure is counted twice: for the address and user name that failed
// (strictly: that is one person guessing, or one person mistyping), and for
// the address alone (loosely: a whole room behind one router shares it, and
// must not be locked out by one guesser). Successes are not counted; a
// success clears the failures of its address and user name.
type guardLimits struct {
	// free failures are answered at once; after them each attempt waits
	// delay, doubled at each further failure up to maxDelay; at ban
	// failures the attempts are refused without a question until the
	// failures are forgotten, forget after the last one.
	userFree, userBan  int
	ipFree, ipBan      int
	userDelay, ipDelay time.Duration
	maxDelay           time.Duration
	forget             time.Duration
	// budget is the passcode checks per minute, across all addresses, of
	// the addresses that failed recently ("suspects"), after a burst of
	// budgetBurst; a suspect's attempt waits for its turn, at most
	// maxDelay, or is refused. An address that never failed is not
	// counted: the participant who types the right code the first time is
	// never held up by a guesser elsewhere.
	budget, budgetBurst float64
}

// defaultGuard lets a person mistype three times (one connection's worth)
// without waiting, then waits 1, 2, 4, 8 s before each next try, and
// refuses that name from that address for 15 minutes after 10 failures. An
// address as a whole gets 30 free failures (ten people mistyping three
// times), then a quarter of a second doubling to 8 s, and is refused after
// 300 failures: a guesser who changes user name at each try is slowed to a
// few guesses a minute long before that. 900 guesses in 5 s, as measured
// before this guard, become 10 per name and address per 15 minutes. Across
// all addresses (IPv6 grouped by /64), those that failed share 90 checks a
// minute (1.5 a second) after a burst of 5: ten addresses guessing in
// parallel check 28 passcodes a second without it.
var defaultGuard = guardLimits{
	userFree: 3, userBan: 10, userDelay: time.Second,
	ipFree: 30, ipBan: 300, ipDelay: 250 * time.Millisecond,
	maxDelay: 8 * time.Second, forget: 15 * time.Minute,
	budget: 90, budgetBurst: 5,
}

// maxGuardEntries bounds the guard's memory, as maxBuckets does the
// limiter's: beyond it the forgotten entries go, and if too many remain,
// all go.
const maxGuardEntries = 10000

// guard is the failed-authentication throttle. now and sleep are injected
// so that tests run on a clock of their own, without waiting.
type guard struct {
	lim   guardLimits
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) bool

	mu      sync.Mutex
	entries map[string]*failures
	tokens  float64   // of the budget; below zero, turns reserved ahead
	filled  time.Time // when tokens was last refilled
}

// failures counts the failures of one key and when the last one was.
type failures struct {
	n    int
	last time.Time
	told bool // the refusal was reported once already
}

func newGuard(l guardLimits) *guard {
	return &guard{lim: l, now: time.Now, sleep: sleepCtx, entries: map[string]*failures{}, tokens: l.budgetBurst}
}

// sleepCtx waits d or until ctx ends; it reports whether it waited all of d.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func userKey(ip, user string) string { return "u\x00" + ip + "\x00" + user }
func ipKey(ip string) string         { return "a\x00" + ip }

// verdict says what an attempt must do first: wait, or give up.
type verdict struct {
	wait    time.Duration
	refused bool
	until   time.Time // when a refusal ends
	// first is set on the first refused attempt of a refusal, so that the
	// log says it once, not once per attempt of a flood.
	first bool
	// busy: refused because the budget of all addresses is spent, not
	// for this address's own failures.
	busy bool
}

// check says whether the attempt of user from ip may go on, and after how
// long a wait. An attempt allowed is counted at once as a failure, which
// succeed takes back: parallel connections of one guesser cannot all pass
// the check before the first failure is counted.
func (g *guard) check(ip, user string) verdict {
	g.mu.Lock()
	defer g.mu.Unlock()
	grp := addrGroup(ip)
	now := g.now()
	var v verdict
	keys := []struct {
		key       string
		free, ban int
		delay     time.Duration
	}{
		{userKey(grp, user), g.lim.userFree, g.lim.userBan, g.lim.userDelay},
		{ipKey(grp), g.lim.ipFree, g.lim.ipBan, g.lim.ipDelay},
	}
	for _, k := range keys {
		f := g.liveLocked(k.key, now)
		if f == nil {
			continue
		}
		if f.n >= k.ban {
			v.refused = true
			if !f.told {
				f.told, v.first = true, true
			}
			if u := f.last.Add(g.lim.forget); u.After(v.until) {
				v.until = u
			}
			continue
		}
		if f.n >= k.free {
			d := k.delay << min(f.n-k.free, 20)
			d = min(d, g.lim.maxDelay)
			if w := f.last.Add(d).Sub(now); w > v.wait {
				v.wait = w
			}
		}
	}
	if v.refused {
		return v
	}
	if g.lim.budget > 0 {
		rate := g.lim.budget / float64(time.Minute)
		g.tokens = min(g.lim.budgetBurst, g.tokens+float64(now.Sub(g.filled))*rate)
		g.filled = now
		if g.liveLocked(ipKey(grp), now) == nil {
			// A fresh address never waits, but takes a token when there is
			// one: ten new addresses guessing at once spend the budget.
			if g.tokens >= 1 {
				g.tokens--
			}
			goto count
		}
		// A suspect: take a turn of the budget.
		turn := time.Duration(max(0, 1-g.tokens) / rate)
		if turn > g.lim.maxDelay {
			v.refused, v.busy, v.until = true, true, now.Add(time.Minute)
			return v
		}
		g.tokens--
		v.wait = max(v.wait, turn)
	}
count:
	for _, k := range keys {
		g.failLocked(k.key, now.Add(v.wait))
	}
	return v
}

// liveLocked returns the failures of key, nil when there are none or they
// are forgotten.
func (g *guard) liveLocked(key string, now time.Time) *failures {
	f := g.entries[key]
	if f != nil && now.Sub(f.last) >= g.lim.forget {
		delete(g.entries, key)
		return nil
	}
	return f
}

// failLocked counts one failure of key, at t.
func (g *guard) failLocked(key string, t time.Time) {
	if len(g.entries) > maxGuardEntries {
		for k, f := range g.entries {
			if t.Sub(f.last) >= g.lim.forget {
				delete(g.entries, k)
			}
		}
		if len(g.entries) > maxGuardEntries/2 {
			clear(g.entries)
		}
	}
	f := g.liveLocked(key, t)
	if f == nil {
		f = &failures{}
		g.entries[key] = f
	}
	f.n++
	f.last = t
}

// fail records that the attempt of user from ip, counted by check, failed:
// the next delays run from now.
func (g *guard) fail(ip, user string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	grp := addrGroup(ip)
	now := g.now()
	for _, k := range []string{userKey(grp, user), ipKey(grp)} {
		if f := g.liveLocked(k, now); f != nil {
			f.last = now
		}
	}
}

// succeed takes back the failure check counted for the attempt, and
// forgets the failures of user from ip; the address keeps its others.
func (g *guard) succeed(ip, user string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	grp := addrGroup(ip)
	delete(g.entries, userKey(grp, user))
	if f := g.entries[ipKey(grp)]; f != nil {
		if f.n--; f.n <= 0 {
			delete(g.entries, ipKey(grp))
		}
	}
}

// hostOf is the address part of a remote address, the key of the guard
// and of the gate.
func hostOf(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP.String()
	}
	if a == nil {
		return ""
	}
	if h, _, err := net.SplitHostPort(a.String()); err == nil {
		return h
	}
	return a.String()
}
