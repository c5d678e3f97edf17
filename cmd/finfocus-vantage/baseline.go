package main

import (
	"bytes"
	"fmt"

	"github.com/rshade/finfocus-vantage/internal/atomicfile"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/urfave/cli/v2"
)

func baselineCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "baseline",
		Usage:     "record the current findings so check reports only new ones",
		ArgsUsage: "[PATH...]",
		Flags: append(scanFlags(),
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the baseline to `FILE` (default: standard output)"},
		),
		Action: func(c *cli.Context) error {
			plan, err := prepareScan(c, e)
			if err != nil {
				return err
			}
			rep, runErr := plan.execute(c.Context)
			if rep == nil {
				return runErr
			}
			var buf bytes.Buffer
			if err := lint.WriteBaseline(&buf, rep.Findings); err != nil {
				return err
			}
			if p := c.String("output"); p != "" {
				if err := atomicfile.WriteFile(p, buf.Bytes()); err != nil {
					return withCode(ExitUsage, err)
				}
				n := lint.Count(rep.Findings)
				fmt.Fprintf(c.App.ErrWriter, "recorded %d findings in %s\n", n.Errors+n.Warnings+n.Notices, p)
			} else if _, err := c.App.Writer.Write(buf.Bytes()); err != nil {
				return err
			}
			if runErr != nil {
				return withCode(ExitUsage, fmt.Errorf("some rules failed, so the baseline may be incomplete: %w", runErr))
			}
			return nil
		},
	}
}
