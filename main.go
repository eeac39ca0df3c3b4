// Command revue lets a group review, together and live, the links a local AI
// proposes between documents and criteria. The command line lives in
// internal/cli, one file per command; this file only hands it the process.
package main

import (
	"os"

	"github.com/coopdescommuns/revue/internal/cli"
)

// version and commit are set by the release build:
// -ldflags "-X main.version=1.2.3 -X main.commit=abc…" (.goreleaser.yaml).
// Without them the build information Go records stands in.
var version, commit string

func main() {
	os.Exit(cli.Main(os.Args[1:], version, commit))
}
