package main

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/rshade/finfocus-vantage/internal/atomicfile"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/rules"
	"github.com/rshade/finfocus-vantage/vantage"
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
			&cli.StringSliceFlag{Name: "report", Usage: "also write the report as `FORMAT=FILE` (e.g. sarif=results.sarif); repeatable"},
			&cli.BoolFlag{Name: "live", Usage: "when the static rules pass, verify each config's token against the Vantage API (as `auth`)"},
			baseURLFlag,
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
	type extraReport struct {
		write lint.Writer
		path  string
	}
	var extras []extraReport
	for _, spec := range c.StringSlice("report") {
		f, path, ok := strings.Cut(spec, "=")
		w, known := lint.Writers[f]
		if !ok || path == "" || !known {
			return usageErrorf("--report %q: write FORMAT=FILE with FORMAT one of %s", spec, strings.Join(lint.Formats(), ", "))
		}
		extras = append(extras, extraReport{w, path})
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
		if slices.Contains(plan.rules, lint.StaleBaseline) {
			rep.Findings = lint.SortFindings(append(rep.Findings, stale...))
		}
		recount(rep)
	}
	liveCode := ExitOK
	if c.Bool("live") && lint.Worst(rep.Findings) < failOn {
		if liveCode, err = checkLive(c, e, plan, rep); err != nil {
			return err
		}
	}
	if err := emit(c, write, rep); err != nil {
		return err
	}
	if format != "text" {
		for _, n := range rep.Notes {
			fmt.Fprintf(c.App.ErrWriter, "finfocus-vantage: note: %s\n", n)
		}
	}
	for _, x := range extras {
		var buf bytes.Buffer
		if err := x.write(&buf, rep); err != nil {
			return fmt.Errorf("format report: %w", err)
		}
		if err := atomicfile.WriteFile(x.path, buf.Bytes()); err != nil {
			return withCode(ExitUsage, err)
		}
	}
	if format == "github" {
		if err := appendStepSummary(e, rep); err != nil {
			return err
		}
		if err := appendOutputs(e, rep); err != nil {
			return err
		}
	}
	if runErr != nil {
		return withCode(ExitUsage, fmt.Errorf("some rules failed, so the report may be incomplete: %w", runErr))
	}
	if liveCode != ExitOK {
		return &exitError{code: liveCode}
	}
	if lint.Worst(rep.Findings) >= failOn {
		return &exitError{code: ExitFindings}
	}
	return nil
}

// checkLive runs the auth check on every plugin config the scan found (or,
// with none, on the token in the environment) and folds the findings and
// verdicts into the report. It returns 3 when a token was rejected, 4 when
// a check could not be made.
func checkLive(c *cli.Context, e *env, plan *scanPlan, rep *lint.Report) (int, error) {
	var targets []*liveConfig
	for _, f := range plan.configs {
		if v, ok := rules.ConfigOf(f); ok {
			targets = append(targets, &liveConfig{file: f, cfg: v, settings: v.Settings()})
		}
	}
	if len(targets) == 0 {
		targets = append(targets, nil)
	}
	code := ExitOK
	var verdicts []map[string]any
	for _, lc := range targets {
		out, err := authCheck(c.Context, c, e, lc, plan.runner.Settings.Now, plan.runner.Settings.Environment)
		if err != nil {
			return 0, err
		}
		rep.Findings = append(rep.Findings, out.findings...)
		name := "$" + vantage.EnvToken
		if lc != nil {
			name = lc.file.Name
		}
		rep.Notes = append(rep.Notes, fmt.Sprintf("live check of %s: %s", name, out.header(plan.runner.Settings.Now)))
		v := out.extra(plan.runner.Settings.Now)
		v["config"] = name
		verdicts = append(verdicts, v)
		switch c := verdictCode(out.verdict); {
		case c == ExitAuth:
			code = ExitAuth
		case c == ExitAPI && code == ExitOK:
			code = ExitAPI
		}
	}
	rep.Findings = lint.Finalize(rep.Findings)
	recount(rep)
	rep.Extra = map[string]any{"live": verdicts}
	return code, nil
}

// recount refreshes the severity counts after suppression.
func recount(rep *lint.Report) {
	n := lint.Count(rep.Findings)
	rep.Summary.Errors, rep.Summary.Warnings, rep.Summary.Notices, rep.Summary.Suppressed = n.Errors, n.Warnings, n.Notices, n.Suppressed
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

// stepSummaryRows caps the findings table of the job summary.
const stepSummaryRows = 50

// appendStepSummary appends the markdown summary to the file named by
// GITHUB_STEP_SUMMARY, when it is set (inside GitHub Actions).
func appendStepSummary(e *env, rep *lint.Report) error {
	path, ok := e.Lookup("GITHUB_STEP_SUMMARY")
	if !ok || path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("open the job summary: %w", err)
	}
	if err := lint.WriteStepSummary(f, rep, stepSummaryRows); err != nil {
		f.Close()
		return fmt.Errorf("write the job summary: %w", err)
	}
	return f.Close()
}

// appendOutputs sets the step outputs findings, errors, warnings and
// notices in the file named by GITHUB_OUTPUT, when it is set.
func appendOutputs(e *env, rep *lint.Report) error {
	path, ok := e.Lookup("GITHUB_OUTPUT")
	if !ok || path == "" {
		return nil
	}
	s := rep.Summary
	out := fmt.Sprintf("findings=%d\nerrors=%d\nwarnings=%d\nnotices=%d\n", s.Errors+s.Warnings+s.Notices, s.Errors, s.Warnings, s.Notices)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("open the step outputs: %w", err)
	}
	if _, err := f.WriteString(out); err != nil {
		f.Close()
		return fmt.Errorf("write the step outputs: %w", err)
	}
	return f.Close()
}
