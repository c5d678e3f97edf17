package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/rshade/finfocus-vantage/internal/atomicfile"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/urfave/cli/v2"
)

func checkCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "lint plugin configs and repositories for Vantage credential problems",
		ArgsUsage: "[PATH...]",
		Description: "With no PATH, checks the current directory. Directories inside a git work tree are\n" +
			"scanned as git would track them; files named explicitly are always scanned.",
		Flags: append(scanFlags(),
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output format: " + strings.Join(lint.Formats(), ", ")},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to `FILE` instead of standard output"},
			&cli.StringFlag{Name: "fail-on", Value: "error", Usage: "exit 1 when a finding is at least this severe: error, warning, notice or none"},
			&cli.StringFlag{Name: "baseline", Usage: "do not report findings recorded in baseline `FILE`"},
		),
		Action: func(c *cli.Context) error { return runCheck(c, e) },
	}
}

func runCheck(c *cli.Context, e *env) error {
	format := c.String("format")
	write, ok := lint.Writers[format]
	if !ok {
		return usageErrorf("unknown --format %q; use one of %s", format, strings.Join(lint.Formats(), ", "))
	}
	failOn, err := lint.ParseSeverity(c.String("fail-on"))
	if err != nil {
		return usageErrorf("--fail-on: %v", err)
	}
	var base *lint.Baseline
	if p := c.String("baseline"); p != "" {
		src, err := os.ReadFile(p)
		if err != nil {
			return usageErrorf("read baseline: %v", err)
		}
		if base, err = lint.ReadBaseline(p, src); err != nil {
			return withCode(ExitUsage, err)
		}
	}
	plan, err := prepareScan(c, e)
	if err != nil {
		return err
	}
	rep, runErr := plan.execute(c.Context)
	if rep == nil {
		return runErr
	}
	if base != nil {
		var stale []lint.Finding
		rep.Findings, stale = base.Apply(rep.Findings)
		if ruleEnabled(plan.rules, lint.StaleBaseline.ID) {
			rep.Findings = lint.SortFindings(append(rep.Findings, stale...))
		}
		recount(rep)
	}
	if err := emit(c, write, rep); err != nil {
		return err
	}
	if format != "text" {
		for _, n := range rep.Notes {
			fmt.Fprintf(c.App.ErrWriter, "finfocus-vantage: note: %s\n", n)
		}
	}
	if runErr != nil {
		return withCode(ExitUsage, fmt.Errorf("some rules failed, so the report may be incomplete: %w", runErr))
	}
	if lint.Worst(rep.Findings) >= failOn {
		return &exitError{code: ExitFindings}
	}
	return nil
}

// recount refreshes the severity counts after suppression.
func recount(rep *lint.Report) {
	n := lint.Count(rep.Findings)
	rep.Summary.Errors, rep.Summary.Warnings, rep.Summary.Notices, rep.Summary.Suppressed = n.Errors, n.Warnings, n.Notices, n.Suppressed
}

func ruleEnabled(list []*lint.Rule, id string) bool {
	for _, r := range list {
		if r.ID == id {
			return true
		}
	}
	return false
}

// emit writes the report to --output (atomically) or standard output.
func emit(c *cli.Context, write lint.Writer, rep *lint.Report) error {
	var buf bytes.Buffer
	if err := write(&buf, rep); err != nil {
		return fmt.Errorf("format report: %w", err)
	}
	if p := c.String("output"); p != "" {
		if err := atomicfile.WriteFile(p, buf.Bytes()); err != nil {
			return withCode(ExitUsage, err)
		}
		return nil
	}
	_, err := c.App.Writer.Write(buf.Bytes())
	return err
}
