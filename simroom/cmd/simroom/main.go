// Command simroom lets simulated participants join a running Revue server,
// for a facilitator who rehearses alone and for the demo recording:
//
//	simroom --addr 127.0.0.1:2222 --session atelier --people 3
//
// It waits for the server to listen (up to --wait), lets the people in one
// by one and stops them cleanly on Ctrl+C or SIGTERM. `revue demo --room N`
// does the same inside the demo.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/coopdescommuns/revue/simroom"
)

func main() {
	var cfg simroom.Config
	var wait, after time.Duration
	flag.StringVar(&cfg.Addr, "addr", "127.0.0.1:2222", "adresse du serveur Revue / the Revue server's address")
	flag.StringVar(&cfg.Session, "session", "", "session à rejoindre (vide : la seule servie) / session to join (empty: the only one served)")
	flag.IntVar(&cfg.People, "people", 3, "nombre de participants / number of participants")
	flag.Int64Var(&cfg.Seed, "seed", 1, "graine : mêmes noms et mêmes choix / seed: same names and choices")
	flag.StringVar(&cfg.Lang, "lang", "fr", "fr ou/or en")
	flag.DurationVar(&cfg.Pace, "pace", simroom.DefaultPace, "temps moyen entre deux actions / mean time between actions")
	flag.StringVar(&cfg.Passcode, "passcode", "", "code d'accès du serveur / the server's passcode")
	flag.DurationVar(&wait, "wait", time.Minute, "attendre que le serveur écoute / wait this long for the server to listen")
	flag.DurationVar(&after, "after", 0, "puis attendre encore avant d'entrer / then wait this long before joining")
	flag.Parse()
	cfg.Stdout = os.Stdout

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := listening(ctx, cfg.Addr, wait); err != nil {
		fmt.Fprintln(os.Stderr, "simroom:", err)
		os.Exit(1)
	}
	select {
	case <-ctx.Done():
		return
	case <-time.After(after):
	}
	if err := simroom.Run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, strings.TrimPrefix(err.Error(), "simroom: "))
		os.Exit(1)
	}
}

// listening waits until something accepts connections at addr: the
// recording starts the room and the server together.
func listening(ctx context.Context, addr string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("personne n'écoute sur %s après %v (lancez revue serve ou revue demo) / nobody listens at %s after %v (start revue serve or revue demo): %w", addr, limit, addr, limit, err)
		}
		select {
		case <-ctx.Done():
			return errors.New("interrompu / interrupted")
		case <-time.After(250 * time.Millisecond):
		}
	}
}
