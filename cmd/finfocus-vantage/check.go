package main

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/rshade/finfocus-vantage/auth"
	"github.com/rshade/finfocus-vantage/internal/atomicfile"
	"github.com/rshade/finfocus-vantage/internal/textsafe"
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
			formatFlag(),
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to `FILE` instead of standard output"},
			&cli.StringFlag{Name: "fail-on", Value: "error", Usage: "exit 1 when a finding is at least this severe: error, warning, notice or none"},
			&cli.StringFlag{Name: "baseline", Usage: "do not report findings recorded in baseline `FILE`"},
			&cli.StringSliceFlag{Name: "report", Usage: "also write the report as `FORMAT=FILE` (e.g. sarif=results.sarif); repeatable"},
			&cli.BoolFlag{Name: "live", Usage: "when the static rules pass, verify each config's token against the Vantage API (as `auth`)"},
			baseURLFlag,
		),
		Action: func(c *cli.Context) error { return runCheck(c, e) },
	}
}

func runCheck(c *cli.Context, e *env) error {
	format := c.String("format")
	write, err := reportWriter("--format", format)
	if err != nil {
		return err
	}
	failOn, err := lint.ParseSeverity(c.String("fail-on"))
	if err != nil {
		return usageErrorf("--fail-on: %v", err)
	}
	type extraReport struct {
		write lint.Writer
		path  string
	}
	var extras []extraReport
	for _, spec := range c.StringSlice("report") {
		f, path, ok := strings.Cut(spec, "=")
		w, err := reportWriter("--report format", f)
		if !ok || path == "" || err != nil {
			return usageErrorf("--report %q: write FORMAT=FILE with FORMAT one of %s", spec, strings.Join(lint.Formats(), ", "))
		}
		extras = append(extras, extraReport{w, path})
	}
	var base *lint.Baseline
	if p := c.String("baseline"); p != "" {
		src, err := lint.ReadFile(p, true)
		if err != nil {
			return usageErrorf("read baseline: %v", err)
		}
		if base, err = lint.ReadBaseline(tool().Name, p, src); err != nil {
			return withCode(exitUsage, err)
		}
	}
	plan, err := prepareScan(c, e)
	if err != nil {
		return err
	}
	res, runErr := plan.Run(c.Context)
	if res == nil {
		return runErr
	}
	findings := lint.Suppress(res.Findings, base, slices.Contains(plan.Rules, lint.StaleBaseline))
	notes := res.Notes
	var live *auth.Live
	if c.Bool("live") && lint.Worst(findings) < failOn {
		s := plan.Settings()
		live, err = auth.CheckAll(c.Context, auth.Configs(res.Configs), authOptions(c, e, s.Now, s.Environment))
		if err != nil {
			return authError(c, err)
		}
		findings = lint.Finalize(append(findings, live.Findings...))
		notes = append(notes, live.Notes...)
	}
	rep := newReport(findings, plan.Rules, res.Stats)
	rep.Summary.Configs = len(res.Configs)
	rep.Notes = notes
	if live != nil {
		rep.Extra = map[string]any{"live": live.Verdicts}
	}
	if err := emit(c, write, rep); err != nil {
		return err
	}
	if format != "text" {
		for _, n := range rep.Notes {
			// stderr is read for workflow commands too: one line a note.
			fmt.Fprintf(c.App.ErrWriter, "finfocus-vantage: note: %s\n", textsafe.Line(n))
		}
	}
	for _, x := range extras {
		var buf bytes.Buffer
		if err := x.write(&buf, rep); err != nil {
			return fmt.Errorf("format report: %w", err)
		}
		if err := atomicfile.WriteFile(x.path, buf.Bytes()); err != nil {
			return withCode(exitUsage, err)
		}
	}
	if format == "github" {
		if err := githubFiles(e, rep); err != nil {
			return err
		}
	}
	if runErr != nil {
		return rulesFailed("report", runErr)
	}
	if live != nil && verdictCode(live.Worst) != exitOK {
		return &exitError{code: verdictCode(live.Worst)}
	}
	if lint.Worst(rep.Findings) >= failOn {
		return &exitError{code: exitFindings}
	}
	return nil
}

// stepSummaryRows caps the findings table of the job summary.
const stepSummaryRows = 50

// githubFiles appends the job summary and the step outputs to the files
// GitHub Actions names in GITHUB_STEP_SUMMARY and GITHUB_OUTPUT, when set.
func githubFiles(e *env, rep *lint.Report) error {
	if p, _ := e.Lookup("GITHUB_STEP_SUMMARY"); p != "" {
		if err := lint.AppendStepSummary(p, rep, stepSummaryRows); err != nil {
			return err
		}
	}
	if p, _ := e.Lookup("GITHUB_OUTPUT"); p != "" {
		return lint.AppendOutputs(p, rep)
	}
	return nil
}
