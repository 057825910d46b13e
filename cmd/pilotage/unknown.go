package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// refuseUnknownSubcommands makes every command that only groups others (pilotage, import,
// seed, user…) fail on an unknown subcommand with a French message and a non-zero exit,
// where cobra would print the group's help and exit 0 (or, at the root, an English
// message). Without a subcommand, the group still prints its help.
func refuseUnknownSubcommands(cmd *cobra.Command) {
	for _, sub := range cmd.Commands() {
		refuseUnknownSubcommands(sub)
	}
	if !cmd.HasSubCommands() || cmd.Runnable() {
		return
	}
	cmd.Args = cobra.ArbitraryArgs
	cmd.SuggestionsMinimumDistance = 1 // a typo: "sed" for "seed"
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		msg := fmt.Sprintf("commande inconnue « %s %s »", cmd.CommandPath(), args[0])
		if near := cmd.SuggestionsFor(args[0]); len(near) > 0 {
			msg += " : vouliez-vous dire « " + strings.Join(near, " » ou « ") + " » ?"
		}
		return fmt.Errorf("%s ; « %s --help » liste les commandes", msg, cmd.CommandPath())
	}
}
