package room

import (
	"fmt"
	"strings"
	"time"
)

// digits are the timer's big figures, five rows of three cells each: the one
// place where the wall draws its own type, because a countdown is read from
// the back of the room at a glance. Text is never drawn this way.
var digits = map[rune][5]string{
	'0': {"███", "█ █", "█ █", "█ █", "███"},
	'1': {"  █", "  █", "  █", "  █", "  █"},
	'2': {"███", "  █", "███", "█  ", "███"},
	'3': {"███", "  █", "███", "  █", "███"},
	'4': {"█ █", "█ █", "███", "  █", "  █"},
	'5': {"███", "█  ", "███", "  █", "███"},
	'6': {"███", "█  ", "███", "█ █", "███"},
	'7': {"███", "  █", "  █", "  █", "  █"},
	'8': {"███", "█ █", "███", "█ █", "███"},
	'9': {"███", "█ █", "███", "  █", "███"},
	':': {" ", "█", " ", "█", " "},
}

// remaining is the time left on a running timer, rounded up to the second
// (a timer shows 0:00 only once it has run out), and whether it has.
func (sc *scene) remaining() (time.Duration, bool) {
	end := sc.timer.start.Add(time.Duration(sc.timer.seconds) * time.Second)
	left := end.Sub(sc.now)
	if left <= 0 {
		return 0, true
	}
	return (left + time.Second - 1).Truncate(time.Second), false
}

// minSec writes a duration as m:ss.
func minSec(d time.Duration) string {
	s := int(d / time.Second)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// timerBlock is the timer of the link, in big figures when big and there is
// room, else on one line; nothing when no timer runs.
func (v *View) timerBlock(sc *scene, w int, big bool) []string {
	if !sc.hasTimer || !sc.timer.shows(sc.now) {
		return nil
	}
	left, up := sc.remaining()
	if !sc.timer.stopped.IsZero() {
		left, up = 0, true
	}
	style := v.st.Timer
	label := strings.ToUpper(v.t.Timer)
	if up {
		style, label = v.st.TimeUp, strings.ToUpper(v.t.TimeUp)
	}
	s := minSec(left)
	if !big || 5*len(s) > w {
		line := v.st.Faint.Render(v.t.Timer+v.t.Colon) + style.Render(s)
		if up {
			line += "  " + style.Render(v.t.TimeUp)
		}
		return []string{cut(line, w)}
	}
	out := []string{v.st.Faint.Render(label)}
	for row := range 5 {
		var b strings.Builder
		for i, r := range s {
			if i > 0 {
				// Figures two cells apart, the colon one: m:ss reads
				// as one number from afar.
				if r == ':' || s[i-1] == ':' {
					b.WriteString(" ")
				} else {
					b.WriteString("  ")
				}
			}
			b.WriteString(digits[r][row])
		}
		out = append(out, style.Render(b.String()))
	}
	return out
}
