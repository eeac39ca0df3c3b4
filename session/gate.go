package session

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/log/v2"
)

// gateLimits are the gate's caps; see Config for their meaning.
type gateLimits struct {
	total      int           // connections open at once, authenticated or not
	pending    int           // connections not yet authenticated, in all
	pendingPer int           // the same, per address group
	authPer    int           // authenticated connections per address group
	silent     time.Duration // a connection that has sent nothing by then is closed
}

// gate is the server's listener. It counts connections per address group
// (an IPv4 address, or an IPv6 /64, which one person usually holds whole)
// and closes at once those beyond its caps, so that no address can hold
// the others out:
//
//   - the connections not yet authenticated, per group and in all. People
//     get a long login window (Config.HandshakeTimeout: time to compare
//     the host key with the board and to retype a passcode), so half-open
//     connections could pile up; when the pending cap in all is reached, a
//     newcomer evicts the oldest pending connection of the group that holds
//     the most, when that group holds more than the newcomer's own: a flood
//     from one address, or a few, only ever evicts itself.
//   - the authenticated connections per group: a room behind one router is
//     one address, so the cap is generous; the interface sessions beyond the
//     room's size get a sentence (see limitSessions), not a closed socket.
//   - all connections: Config.MaxConns plus the pending cap, beyond which a
//     connection is closed at once instead of waiting in the kernel's queue,
//     where it would delay everyone behind it.
//
// A connection that has not sent a byte silent after it was accepted is
// closed: any SSH client sends its version at once; only a stuck or
// scripted one stays silent.
type gate struct {
	net.Listener
	lim gateLimits
	log *log.Logger
	now func() time.Time

	mu       sync.Mutex
	open     int
	pending  map[string][]*gatedConn // group → its unauthenticated connections, oldest first
	npend    int
	authed   map[string]int // group → authenticated connections
	conns    map[string]*gatedConn
	refused  atomic.Int64 // connections closed or evicted by a cap
	onRefuse func()       // told of every refusal (the facilitator's count)
}

func newGate(l net.Listener, lim gateLimits, logger *log.Logger) *gate {
	return &gate{Listener: l, lim: lim, log: logger, now: time.Now,
		pending: map[string][]*gatedConn{}, authed: map[string]int{}, conns: map[string]*gatedConn{}}
}

// Accept returns the next connection within the caps, closing those beyond
// them.
func (g *gate) Accept() (net.Conn, error) {
	for {
		c, err := g.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ip := hostOf(c.RemoteAddr())
		grp := addrGroup(ip)
		g.mu.Lock()
		why := ""
		var evict *gatedConn
		switch {
		case g.open >= g.lim.total:
			why = "server full"
		case len(g.pending[grp]) >= g.lim.pendingPer:
			why = "too many unauthenticated connections from one address"
		case g.npend >= g.lim.pending:
			// Evict from the group holding the most, if it holds more than
			// this one would.
			var most string
			for k, list := range g.pending {
				if len(list) > len(g.pending[most]) || most == "" {
					most = k
				}
			}
			if len(g.pending[most]) > len(g.pending[grp])+1 {
				evict = g.pending[most][0]
				g.releaseLocked(evict)
			} else {
				why = "too many unauthenticated connections in all"
			}
		}
		if why != "" {
			g.mu.Unlock()
			c.Close()
			g.refuse(why, ip)
			continue
		}
		gc := &gatedConn{Conn: c, g: g, ip: ip, group: grp, key: c.RemoteAddr().String()}
		g.open++
		g.pending[grp] = append(g.pending[grp], gc)
		g.npend++
		g.conns[gc.key] = gc
		g.mu.Unlock()
		if evict != nil {
			evict.Close()
			g.refuse("evicted: too many unauthenticated connections in all", evict.ip)
		}
		gc.timer.Store(time.AfterFunc(g.lim.silent, func() {
			if !gc.spoke.Load() {
				g.log.Warn("connection closed: the client sent nothing", "remote", ip, "after", g.lim.silent)
				gc.Close()
			}
		}))
		return gc, nil
	}
}

// refuse counts and logs a connection closed by a cap: one line for the
// first and then every hundredth, so that a flood cannot fill the log.
func (g *gate) refuse(why, ip string) {
	n := g.refused.Add(1)
	if g.onRefuse != nil {
		g.onRefuse()
	}
	if n == 1 || n%100 == 0 {
		g.log.Warn("connection refused", "why", why, "remote", ip, "refused_so_far", n)
	}
}

// authenticated moves the connection from remote from its group's pending
// connections to its authenticated ones. It reports false when the group
// already holds lim.authPer authenticated connections: the caller closes it.
func (g *gate) authenticated(remote net.Addr) bool {
	g.mu.Lock()
	gc := g.conns[remote.String()]
	if gc == nil {
		g.mu.Unlock()
		return true
	}
	g.releaseLocked(gc)
	if g.authed[gc.group] >= g.lim.authPer {
		g.mu.Unlock()
		g.refuse("too many authenticated connections from one address", gc.ip)
		gc.Close()
		return false
	}
	g.authed[gc.group]++
	gc.authed = true
	g.mu.Unlock()
	return true
}

// releaseLocked takes gc out of the pending lists, once.
func (g *gate) releaseLocked(gc *gatedConn) {
	if gc.released {
		return
	}
	gc.released = true
	delete(g.conns, gc.key)
	list := g.pending[gc.group]
	for i, c := range list {
		if c == gc {
			list = append(list[:i:i], list[i+1:]...)
			g.npend--
			break
		}
	}
	if len(list) == 0 {
		delete(g.pending, gc.group)
	} else {
		g.pending[gc.group] = list
	}
}

// pendingFrom is the number of unauthenticated connections of an
// address's group, for tests.
func (g *gate) pendingFrom(ip string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.pending[addrGroup(ip)])
}

// gatedConn is a connection the gate counts until it closes.
type gatedConn struct {
	net.Conn
	g     *gate
	ip    string
	group string
	key   string
	timer atomic.Pointer[time.Timer]
	spoke atomic.Bool

	released  bool // under g.mu
	authed    bool // under g.mu
	closeOnce sync.Once
}

// Read marks the connection as having spoken, which lifts the deadline for
// silent connections.
func (c *gatedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && !c.spoke.Load() {
		c.spoke.Store(true)
	}
	return n, err
}

func (c *gatedConn) Close() error {
	c.closeOnce.Do(func() {
		if t := c.timer.Load(); t != nil {
			t.Stop()
		}
		g := c.g
		g.mu.Lock()
		g.releaseLocked(c)
		if c.authed {
			if g.authed[c.group]--; g.authed[c.group] <= 0 {
				delete(g.authed, c.group)
			}
		}
		g.open--
		g.mu.Unlock()
	})
	return c.Conn.Close()
}

// addrGroup is the key under which the limits count an address: IPv4
// addresses one by one, IPv6 addresses by their /64, the block one
// subscriber (or one machine with privacy addresses) usually holds whole.
func addrGroup(ip string) string {
	a := net.ParseIP(ip)
	if a == nil {
		return ip
	}
	if v4 := a.To4(); v4 != nil {
		return v4.String()
	}
	return a.Mask(net.CIDRMask(64, 128)).String() + "/64"
}
