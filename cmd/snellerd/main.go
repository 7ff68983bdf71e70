// Command snellerd is the query daemon: it answers SQL over HTTP for clients that present a
// bearer token. This package holds flags and wiring only; the service lives in package server.
package main

import (
	"fmt"
	"os"

	"github.com/sneller-re/sneller/internal/version"
)

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "version" || os.Args[1] == "-version") {
		fmt.Printf("snellerd %s\n", version.String())
		return
	}
	fmt.Fprintln(os.Stderr, "snellerd: not implemented yet")
	os.Exit(1)
}
