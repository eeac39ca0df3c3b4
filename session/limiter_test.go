package session

import (
	"fmt"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	lim := limits{userBurst: 2, userPer: time.Second, ipBurst: 4, ipPer: time.Second}
	type try struct {
		after    time.Duration // since the previous try
		ip, user string
		want     bool
	}
	tests := []struct {
		name  string
		tries []try
	}{
		{"one person's burst, then refill", []try{
			{0, "10.0.0.1", "ana", true},
			{0, "10.0.0.1", "ana", true},
			{0, "10.0.0.1", "ana", false},
			{time.Second, "10.0.0.1", "ana", true},
		}},
		{"a room behind one router is not one person", []try{
			{0, "10.0.0.1", "ana", true},
			{0, "10.0.0.1", "ana", true},
			{0, "10.0.0.1", "ana", false},
			{0, "10.0.0.1", "bob", true},
			{0, "10.0.0.1", "chloé", true},
		}},
		{"the address has its own, larger, bucket", []try{
			{0, "10.0.0.1", "a", true},
			{0, "10.0.0.1", "b", true},
			{0, "10.0.0.1", "c", true},
			{0, "10.0.0.1", "d", true},
			{0, "10.0.0.1", "e", false},
			{0, "10.0.0.2", "e", true},
		}},
		{"a refused try costs nothing", []try{
			{0, "10.0.0.1", "ana", true},
			{0, "10.0.0.1", "ana", true},
			{0, "10.0.0.1", "ana", false},
			{0, "10.0.0.1", "ana", false},
			{0, "10.0.0.1", "bob", true},
			{0, "10.0.0.1", "bob", true},
			{0, "10.0.0.1", "ana", false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
			l := newLimiter(lim)
			l.now = func() time.Time { return now }
			for i, tr := range tt.tries {
				now = now.Add(tr.after)
				if got := l.allow(tr.ip, tr.user); got != tr.want {
					t.Fatalf("try %d (%s@%s): allowed %v, want %v", i, tr.user, tr.ip, got, tr.want)
				}
			}
		})
	}
}

func TestLimiterMemoryIsBounded(t *testing.T) {
	now := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	l := newLimiter(limits{userBurst: 2, userPer: time.Second, ipBurst: 4, ipPer: time.Second})
	l.now = func() time.Time { return now }
	ip := func(i int) string { return fmt.Sprintf("10.%d.%d.%d", i>>16, i>>8&255, i&255) }
	// Each client makes two buckets (its address, its address and name).
	for i := range maxBuckets/2 + 1 {
		l.allow(ip(i), "ana")
	}
	now = now.Add(time.Hour) // every bucket is full again
	l.allow("192.168.0.1", "ana")
	if n := len(l.buckets); n != 2 {
		t.Fatalf("%d buckets kept after an hour, want only the newest 2", n)
	}
	// Without time to refill, nothing is full: the limits start afresh.
	for i := range 3 * maxBuckets {
		l.allow(ip(i), "bob")
		if n := len(l.buckets); n > maxBuckets+2 {
			t.Fatalf("%d buckets after %d clients, want at most %d", n, i+1, maxBuckets+2)
		}
	}
}

func TestClientLang(t *testing.T) {
	tests := []struct {
		env  []string
		want string
	}{
		// No locale, or a neutral one: "", the session's language.
		{nil, ""},
		{[]string{"LANG="}, ""},
		{[]string{"LANG=C"}, ""},
		{[]string{"LANG=POSIX"}, ""},
		{[]string{"LANG=C.UTF-8"}, ""},
		{[]string{"LANG=fr_FR.UTF-8", "LC_ALL=C.UTF-8"}, ""},
		{[]string{"TERM=xterm"}, ""},
		// A locale naming a language wins.
		{[]string{"LANG=fr_FR.UTF-8"}, "fr"},
		{[]string{"LANG=fr"}, "fr"},
		{[]string{"LANG=de_DE.UTF-8"}, "en"},
		{[]string{"LANG=en_US.UTF-8"}, "en"},
		{[]string{"LANG=en_US.UTF-8", "LC_MESSAGES=fr_BE.UTF-8"}, "fr"},
	}
	for _, tt := range tests {
		if got := clientLang(tt.env); got != tt.want {
			t.Errorf("clientLang(%q) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

func TestCleanName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"alice", "alice"},
		{"", "anonymous"},
		{"  ", "anonymous"},
		{"mal\x1b]52;c;ZXZpbA==\x07lory", "mallory"},
		{"0123456789012345678901234567890123456789", "01234567890123456789012345678901"},
	}
	for _, tt := range tests {
		if got := cleanName(tt.in); got != tt.want {
			t.Errorf("cleanName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
