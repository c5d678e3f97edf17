package main

import (
	"bytes"
	"fmt"

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
			proj, err := loadProject(c)
			if err != nil {
				return err
			}
			pv, err := choosePluginWith(c, e, proj.settings().PluginVersion)
			if err != nil {
				return err
			}
			plan, err := prepareScan(c, e, pv, proj)
			if err != nil {
				return err
			}
			res, runErr := plan.Run(c.Context)
			if res == nil {
				return runErr
			}
			var buf bytes.Buffer
			if err := lint.WriteBaseline(&buf, res.Findings); err != nil {
				return err
			}
			if err := writeOut(c, buf.Bytes()); err != nil {
				return err
			}
			if p := c.String("output"); p != "" {
				n := lint.Count(res.Findings)
				fmt.Fprintf(c.App.ErrWriter, "recorded %d findings in %s\n", n.Errors+n.Warnings+n.Notices, p)
			}
			if runErr != nil {
				return rulesFailed("baseline", runErr)
			}
			return nil
		},
	}
}
