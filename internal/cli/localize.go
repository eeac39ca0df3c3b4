package cli

// This file holds the translation of other packages' messages into French,
// at the command line's boundary, from each package's catalogue.

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/coopdescommuns/revue/corpus"
	"github.com/coopdescommuns/revue/propose"
	"github.com/coopdescommuns/revue/session"
	"github.com/coopdescommuns/revue/store"
)

// localize returns err's message in the user's language. The packages below
// the command line (corpus, store, propose, session) write their errors in
// English, each one sentence that names the input and says what to do; the
// command line translates them here, at its boundary, so that those
// packages stay free of the interface's languages, with the catalogue each
// of them keeps beside its code (corpus/messages.go...): the English
// template is the message's code. The catalogues are matched piece by
// piece, because messages nest ("open store X: mkdir X: permission
// denied"); a piece they do not know stays in English.
// TestLibraryMessagesHaveFrench walks those packages' messages and fails on
// one their catalogue misses.
func (a *app) localize(err error) string { return a.localizeText(err.Error()) }

// localizeText is localize for a library's text that is not an error,
// such as the formula of an energy estimate recorded in the trace.
func (a *app) localizeText(s string) string {
	if a.lang != "fr" {
		return s
	}
	return toFrench(s)
}

// toFrench translates every known piece of an English message.
func toFrench(s string) string {
	for _, e := range french() {
		s = e.re.ReplaceAllString(s, e.fr)
	}
	return s
}

// frenchEntry is one piece of the catalogue: an English template in which
// {} stands for a value (a file, a number, a quoted name), and its French.
type frenchEntry struct {
	en, fr string
	re     *regexp.Regexp
}

// catalogue is every package's French, in the order they are applied:
// each package's own catalogue, beside the code that writes its messages,
// then the system's own words, which end many of those messages.
var catalogue = slices.Concat(corpus.French, store.French, propose.French, session.French, systemFrench)

// systemFrench translates the operating system's own words, at the end of
// a message ("open X: permission denied").
var systemFrench = [][2]string{
	{"no such file or directory", "fichier ou dossier introuvable"},
	{"permission denied", "accès refusé"},
	{"not a directory", "n'est pas un dossier"},
	{"is a directory", "est un dossier"},
	{"file exists", "le fichier existe déjà"},
	{"read-only file system", "système de fichiers en lecture seule"},
	{"no space left on device", "plus de place sur le disque"},
	{"address already in use", "adresse déjà utilisée"},
	{"cannot assign requested address", "cette adresse n'est pas celle de cette machine"},
	{"connection refused", "connexion refusée"},
	{"too many levels of symbolic links", "trop de niveaux de liens symboliques"},
}

// french compiles the catalogue once: {} becomes a group, lazy inside a
// template and greedy at its end, and the French names the groups in order.
var french = sync.OnceValue(func() []frenchEntry {
	out := make([]frenchEntry, 0, len(catalogue))
	for _, pair := range catalogue {
		parts := strings.Split(pair[0], "{}")
		var re strings.Builder
		for i, p := range parts {
			re.WriteString(regexp.QuoteMeta(p))
			if i < len(parts)-1 {
				if i == len(parts)-2 && parts[len(parts)-1] == "" {
					re.WriteString("(.+)")
				} else {
					re.WriteString("(.+?)")
				}
			}
		}
		frParts := strings.Split(strings.ReplaceAll(pair[1], "$", "$$"), "{}")
		var fr strings.Builder
		for i, p := range frParts {
			fr.WriteString(p)
			if i < len(frParts)-1 {
				fmt.Fprintf(&fr, "${%d}", i+1)
			}
		}
		out = append(out, frenchEntry{en: pair[0], fr: fr.String(), re: regexp.MustCompile(re.String())})
	}
	return out
})
