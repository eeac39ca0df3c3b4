package session_test

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/coopdescommuns/revue/review"
	"github.com/coopdescommuns/revue/session"
)

// probe is a small interface for the server's own tests: it does what the
// real one does with a hub (join, subscribe, act) and shows what the server
// handed it, so that the server's mechanics are tested apart from tui.
type probe struct {
	req  session.ModelRequest
	w, h int
	sub  *session.Subscription
	snap *session.Snapshot
	err  string
	conn uint64
	// What the hub had kept for this person when they joined.
	draft session.Draft
	back  string
	done  int // actions answered
}

func newProbe(req session.ModelRequest) tea.Model { return &probe{req: req} }

type (
	joinedMsg struct {
		sub   *session.Subscription
		conn  uint64
		draft session.Draft
		back  string
		err   error
	}
	revMsg  struct{}
	doneMsg struct{ err error }
)

func (p *probe) Init() tea.Cmd {
	h := p.req.Hub
	if h == nil {
		return nil
	}
	key := p.req.Actor.Key()
	return func() tea.Msg {
		draft, _ := h.Draft(key)
		back := h.LastFocus(key)
		conn, err := h.Join(context.Background(), p.req.Actor, "ssh")
		if err != nil {
			return joinedMsg{err: err}
		}
		p.req.Seat.Take(h, conn)
		return joinedMsg{sub: h.Subscribe(), conn: conn, draft: draft, back: back}
	}
}

func (p *probe) wait() tea.Cmd {
	sub := p.sub
	return func() tea.Msg { <-sub.C; return revMsg{} }
}

func (p *probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		p.w, p.h = msg.Width, msg.Height
	case joinedMsg:
		if msg.err != nil {
			p.err = msg.err.Error()
			return p, nil
		}
		p.sub, p.conn, p.draft, p.back = msg.sub, msg.conn, msg.draft, msg.back
		p.snap = p.req.Hub.Snapshot()
		return p, p.wait()
	case revMsg:
		p.snap = p.req.Hub.Snapshot()
		return p, p.wait()
	case doneMsg:
		p.done++
		p.err = ""
		if msg.err != nil {
			p.err = msg.err.Error()
		}
	case tea.KeyPressMsg:
		switch msg.String() {
		case "q":
			return p, tea.Quit
		case "a":
			return p, p.accept()
		case "u":
			h, actor := p.req.Hub, p.req.Actor
			return p, func() tea.Msg {
				_, err := h.Undo(context.Background(), actor)
				return doneMsg{err}
			}
		case "!":
			panic("the probe was asked to panic")
		case "d":
			// Keeps a draft for the reconnection, as the interface does
			// while a person types.
			h, key := p.req.Hub, p.req.Actor.Key()
			return p, func() tea.Msg {
				h.SaveDraft(key, session.Draft{Proposal: "L2", Mode: "rephrase", Text: "brouillon à garder"})
				return doneMsg{}
			}
		case "j":
			h, conn := p.req.Hub, p.conn
			return p, func() tea.Msg {
				h.Focus(conn, "L2")
				return doneMsg{}
			}
		}
	}
	return p, nil
}

// accept votes for the first proposal, or decides it as a facilitator.
func (p *probe) accept() tea.Cmd {
	h, actor := p.req.Hub, p.req.Actor
	return func() tea.Msg {
		kind := review.KindVoteCast
		if actor.Role == review.Facilitator {
			kind = review.KindDecisionMade
		}
		_, err := h.Do(context.Background(), actor, kind, review.VoteData{Proposal: "L1", Verdict: review.Accept})
		return doneMsg{err}
	}
}

func (p *probe) View() tea.View {
	var b strings.Builder
	a := p.req.Actor
	fmt.Fprintf(&b, "probe user=%s role=%s lang=%s size=%dx%d\nfp=%s;\n", a.Name, a.Role, p.req.Lang, p.w, p.h, a.Fingerprint)
	switch {
	case p.req.Hub == nil:
		names, _ := p.req.Registry.List(context.Background())
		fmt.Fprintf(&b, "picker: %s\n", strings.Join(names, " "))
	case p.snap != nil:
		fmt.Fprintf(&b, "session=%s online=%d\n", p.snap.State.Name, len(p.snap.Online))
		for _, ps := range p.snap.State.Proposals {
			fmt.Fprintf(&b, "%s %s votes=%d\n", ps.ID, ps.Status, len(ps.Votes))
		}
		if p.draft.Text != "" {
			fmt.Fprintf(&b, "draft %s %s: %s\n", p.draft.Proposal, p.draft.Mode, p.draft.Text)
		}
		if p.back != "" {
			fmt.Fprintf(&b, "back at %s\n", p.back)
		}
		if p.snap.Closing != "" {
			fmt.Fprintf(&b, "closing: %s\n", p.snap.Closing)
		}
	}
	if p.req.Notice != "" {
		fmt.Fprintf(&b, "notice: %s\n", p.req.Notice)
	}
	if p.err != "" {
		fmt.Fprintf(&b, "error: %s\n", p.err)
	}
	if p.done > 0 {
		fmt.Fprintf(&b, "done=%d\n", p.done)
	}
	v := tea.NewView(b.String())
	v.AltScreen = true
	return v
}
