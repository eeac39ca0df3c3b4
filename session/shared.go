package session

import "sync"

// Shared keeps what the screens of one hub draw alike, so that the first
// screen to need a part builds it and the others take it: in a room of
// three hundred browsing the same fifty links, each passage is sanitized,
// wrapped and styled once per (width, language, look), not once per screen.
//
// A key is any comparable value the interface builds from everything the
// part depends on, for example
//
//	type passageKey struct {
//		p        *review.ProposalState // replaced, never changed: its pointer names its content
//		w, h     int
//		lang     string
//		dark     bool
//		conds    review.Conditions      // what this person may see
//	}
//
// and a part is whatever the builder returns (lines, a string); the caller
// asserts its type back. A key of a type that cannot be compared panics, as
// a map key does. Parts must not be modified once built: other screens read
// them.
//
// Memory is bounded: when the current generation holds MaxParts parts, it
// becomes the old one and the one before is dropped; a part found in the old
// generation is carried into the current one. A part in use by any screen
// thus survives, and the cache holds at most twice MaxParts.
type Shared struct {
	mu       sync.Mutex
	cur, old map[any]any
	max      int
	hits     uint64
	misses   uint64
}

// MaxParts is the size of a generation of a hub's Shared cache.
const MaxParts = 4096

func newShared(max int) *Shared {
	return &Shared{cur: map[any]any{}, max: max}
}

// Get returns the part for key, building it with build if no screen has.
// build runs without the cache's lock: two screens asking at once may both
// build it, and the one stored last wins, which is the same part.
func (c *Shared) Get(key any, build func() any) any {
	c.mu.Lock()
	if v, ok := c.cur[key]; ok {
		c.hits++
		c.mu.Unlock()
		return v
	}
	if v, ok := c.old[key]; ok {
		c.hits++
		c.putLocked(key, v)
		c.mu.Unlock()
		return v
	}
	c.misses++
	c.mu.Unlock()
	v := build()
	c.mu.Lock()
	c.putLocked(key, v)
	c.mu.Unlock()
	return v
}

func (c *Shared) putLocked(key, v any) {
	if len(c.cur) >= c.max {
		c.old, c.cur = c.cur, make(map[any]any, c.max)
	}
	c.cur[key] = v
}

// Counts returns how many parts were found and how many were built.
func (c *Shared) Counts() (hits, misses uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}
