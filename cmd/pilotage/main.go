// Command pilotage is the one binary of Pilotage ENT 1D: it serves the back-office,
// migrates the database, loads reference data and imports files.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCommand().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "erreur :", err)
		stop()
		os.Exit(1)
	}
}
