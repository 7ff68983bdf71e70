package main

import (
	"context"
	"fmt"

	"github.com/sneller-re/sneller/internal/version"
)

func init() {
	register(&command{
		name:  "version",
		short: "print the version of this build",
		run: func(_ context.Context, e *env, args []string) error {
			if len(args) != 0 {
				return usagef("version takes no arguments")
			}
			fmt.Fprintf(e.stdout, "sdb %s\n", version.String())
			return nil
		},
	})
}
