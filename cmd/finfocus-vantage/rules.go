package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/rshade/finfocus-vantage/docs"
	"github.com/rshade/finfocus-vantage/rules"
	"github.com/urfave/cli/v2"
)

func rulesCommand() *cli.Command {
	return &cli.Command{
		Name:      "rules",
		Usage:     "list the rules, or print one rule's documentation",
		ArgsUsage: "[ID]",
		Action: func(c *cli.Context) error {
			if c.Args().Len() > 1 {
				return usageErrorf("rules takes at most one rule ID")
			}
			if id := c.Args().First(); id != "" {
				if rules.ByID(id) == nil {
					return usageErrorf("%s", rules.UnknownID(id))
				}
				page, err := docs.Page(id)
				if err != nil {
					return fmt.Errorf("read documentation of %s: %w", id, err)
				}
				_, err = c.App.Writer.Write(page)
				return err
			}
			tw := tabwriter.NewWriter(c.App.Writer, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tSUMMARY")
			for _, r := range rules.All {
				summary := r.Summary
				if r.Optional {
					summary += " (off by default; --history)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, summary)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			_, err := fmt.Fprintln(c.App.Writer, "\nRun `finfocus-vantage rules ID` for a rule's documentation.")
			return err
		},
	}
}
