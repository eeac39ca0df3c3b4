package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
)

// servingMark says that a process serves sessions of the data directory,
// so that `revue propose` can tell the facilitator that a running server
// will show the new proposals (it reads the store about every second). The
// mark is a file, DATA/serving/PID.json, removed when the server stops; a
// mark left by a process that died is recognised and ignored.
type servingMark struct {
	PID     int    `json:"pid"`
	Addr    string `json:"addr"`
	Session string `json:"session,omitempty"` // "" serves every session
}

// markServing writes this process's mark and returns what removes it.
func (a *app) markServing(addr, only string) func() {
	dir := filepath.Join(a.data, "serving")
	path := filepath.Join(dir, strconv.Itoa(os.Getpid())+".json")
	b, _ := json.Marshal(servingMark{PID: os.Getpid(), Addr: addr, Session: only})
	if os.MkdirAll(dir, 0o700) != nil || os.WriteFile(path, b, 0o600) != nil {
		return func() {} // a hint only: serving goes on without it
	}
	return func() { _ = os.Remove(path) }
}

// servers returns the live marks of processes that serve this session.
func (a *app) servers(session string) []servingMark {
	paths, _ := filepath.Glob(filepath.Join(a.data, "serving", "*.json"))
	var out []servingMark
	for _, p := range paths {
		b, err := os.ReadFile(p)
		var m servingMark
		if err != nil || json.Unmarshal(b, &m) != nil || (m.Session != "" && m.Session != session) || !alive(m.PID) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// alive reports whether a process runs. Windows has no signal 0: there a
// process that can be opened counts as running.
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return runtime.GOOS == "windows" || p.Signal(syscall.Signal(0)) == nil
}

// sayServed tells the person running propose that a server will show its
// proposals to the room as they come.
func (a *app) sayServed(session string) {
	for _, m := range a.servers(session) {
		fmt.Fprintf(a.stdout, a.t("Un serveur sert cette session (processus %d, %s) : les écrans de la salle montreront les nouvelles propositions dans les 2 secondes.\n",
			"A server is serving this session (process %d, %s): the room's screens will show the new proposals within 2 seconds.\n"), m.PID, m.Addr)
	}
}
