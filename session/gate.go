package session

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/log/v2"
)

// gate is the server's listener below the cap on connections: it counts,
// per remote address, the connections that have not authenticated yet, and
// closes at once a new one beyond perAddr. Without it, one address that
// opens connections and says nothing fills every slot of Config.MaxConns
// until the handshake timeout frees them, and keeps the room out by
// renewing them (260 such connections made a participant wait 25 s). An
// address with perAddr connections in its handshake loses nothing else:
// its authenticated people are not counted, and other addresses are not
// touched.
//
// It also closes a connection that has not started to authenticate
// preAuth after it was accepted: an SSH client sends its first
// authentication request (the "none" method) within a round trip or two of
// the key exchange, so only a silent or stuck connection meets this
// deadline; Config.HandshakeTimeout still bounds the whole handshake,
// passcode included.
type gate struct {
	net.Listener
	perAddr int
	preAuth time.Duration
	log     *log.Logger

	mu      sync.Mutex
	pending map[string]int        // address → connections not yet authenticated
	conns   map[string]*gatedConn // remote "ip:port" → connection, until authenticated
	refused int64                 // connections closed for the cap, for the log
}

func newGate(l net.Listener, perAddr int, preAuth time.Duration, logger *log.Logger) *gate {
	return &gate{Listener: l, perAddr: perAddr, preAuth: preAuth, log: logger,
		pending: map[string]int{}, conns: map[string]*gatedConn{}}
}

// Accept returns the next connection within its address's cap, closing
// those beyond it.
func (g *gate) Accept() (net.Conn, error) {
	for {
		c, err := g.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ip := hostOf(c.RemoteAddr())
		g.mu.Lock()
		if g.pending[ip] >= g.perAddr {
			g.refused++
			n := g.refused
			g.mu.Unlock()
			c.Close()
			// One line for the first and then every hundredth, so that a
			// flood cannot fill the log either.
			if n == 1 || n%100 == 0 {
				g.log.Warn("connection refused: too many unauthenticated connections from one address",
					"remote", ip, "cap", g.perAddr, "refused_so_far", n)
			}
			continue
		}
		g.pending[ip]++
		gc := &gatedConn{Conn: c, g: g, ip: ip, key: c.RemoteAddr().String()}
		g.conns[gc.key] = gc
		g.mu.Unlock()
		gc.timer.Store(time.AfterFunc(g.preAuth, func() {
			if !gc.spoke.Load() {
				g.log.Warn("connection closed: no authentication started", "remote", ip, "after", g.preAuth)
				gc.Close()
			}
		}))
		return gc, nil
	}
}

// started marks the connection from remote as having begun to
// authenticate, which lifts the pre-authentication deadline.
func (g *gate) started(remote net.Addr) {
	g.mu.Lock()
	gc := g.conns[remote.String()]
	g.mu.Unlock()
	if gc != nil {
		gc.spoke.Store(true)
	}
}

// authenticated takes the connection from remote out of its address's
// count of unauthenticated connections.
func (g *gate) authenticated(remote net.Addr) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if gc := g.conns[remote.String()]; gc != nil {
		gc.spoke.Store(true)
		g.releaseLocked(gc)
	}
}

// releaseLocked uncounts gc, once.
func (g *gate) releaseLocked(gc *gatedConn) {
	if gc.released {
		return
	}
	gc.released = true
	delete(g.conns, gc.key)
	if g.pending[gc.ip]--; g.pending[gc.ip] <= 0 {
		delete(g.pending, gc.ip)
	}
}

// pendingFrom is the number of unauthenticated connections of an address,
// for tests.
func (g *gate) pendingFrom(ip string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.pending[ip]
}

// gatedConn is a connection the gate counts until it authenticates or
// closes.
type gatedConn struct {
	net.Conn
	g     *gate
	ip    string
	key   string
	timer atomic.Pointer[time.Timer]
	spoke atomic.Bool

	released  bool // under g.mu
	closeOnce sync.Once
}

func (c *gatedConn) Close() error {
	c.closeOnce.Do(func() {
		if t := c.timer.Load(); t != nil {
			t.Stop()
		}
		c.g.mu.Lock()
		c.g.releaseLocked(c)
		c.g.mu.Unlock()
	})
	return c.Conn.Close()
}
