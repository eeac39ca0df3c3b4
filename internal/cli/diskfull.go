package cli

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
)

// diskFull says, in one sentence, that the disk holding the data directory
// is full, when err looks like a write that failed for want of space:
// ENOSPC, SQLite's "database or disk is full", or its "disk I/O error",
// which is what SQLite reports when it cannot even grow its shared memory
// file on a full disk — then only if the disk really has (almost) no free
// space, so that a failing disk is not taken for a full one. Every command
// opens the store first, so every command says it the same way.
func (a *app) diskFull(err error) (string, bool) {
	msg := err.Error()
	sure := errors.Is(err, syscall.ENOSPC) || strings.Contains(msg, "no space left on device") || strings.Contains(msg, "database or disk is full")
	if a.data == "" || !sure && !strings.Contains(msg, "disk I/O error") {
		return "", false
	}
	if free, ok := freeBytes(a.data); !sure && (!ok || free > 1<<20) {
		return "", false
	}
	return fmt.Sprintf(a.t("le disque est plein : Revue ne peut plus rien écrire dans %s (ni même lire sa trace, qui a besoin d'un peu de place) ; libérez de la place sur ce disque, puis relancez : rien de ce qui était enregistré n'est perdu",
		"the disk is full: Revue cannot write anything more in %s (nor even read its trace, which needs a little room); free some space on that disk, then run again: nothing already recorded is lost"), a.data), true
}
