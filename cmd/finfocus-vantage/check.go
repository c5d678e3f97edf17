package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/rshade/finfocus-vantage/auth"
	"github.com/rshade/finfocus-vantage/internal/atomicfile"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/rules"
	"github.com/rshade/finfocus-vantage/scan"
	"github.com/rshade/finfocus-vantage/vantage"
	"github.com/urfave/cli/v2"
)

func checkCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "lint plugin configs and repositories for Vantage credential problems",
		ArgsUsage: "[PATH...]",
		Description: "With no PATH, checks the current directory. Directories inside a git work tree are\n" +
			"scanned as git would track them; files named explicitly are always scanned. A baseline\n" +
			"named " + DefaultBaseline + " at the repository root is applied without --baseline.\n\n" +
			"EXAMPLES:\n" +
			"   finfocus-vantage check                                   # the repository you are in\n" +
			"   finfocus-vantage check --diff origin/main --format sarif -o results.sarif\n" +
			"   finfocus-vantage check --resolve-env --env --live        # in the pipeline, before pull\n\n" +
			exitCodesHelp,
		Flags: append(scanFlags(),
			formatFlag(),
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to `FILE` instead of standard output"},
			&cli.StringFlag{Name: "fail-on", Value: "error", Usage: "exit 1 when a finding is at least `SEVERITY`: error, warning, notice or none"},
			&cli.StringFlag{Name: "baseline", Usage: "do not report findings recorded in baseline `FILE` (default: " + DefaultBaseline + " at the repository root, when there is one)"},
			&cli.StringSliceFlag{Name: "report", Usage: "also write the report as `FORMAT=FILE` (e.g. sarif=results.sarif); repeatable"},
			&cli.BoolFlag{Name: "live", Usage: "when the static rules pass, verify each config's token against the Vantage API (as the auth command does)"},
			&cli.BoolFlag{Name: "env", Usage: "also check this process's environment as the chosen plugin version reads it (rule plugin-env): run it where FinFocus runs"},
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
	extras, err := lint.ParseReportSpecs(c.StringSlice("report"))
	if err != nil {
		return withCode(exitUsage, err)
	}
	proj, err := loadProject(c)
	if err != nil {
		return err
	}
	if f := proj.settings().FailOn; f != "" && !c.IsSet("fail-on") {
		if failOn, err = lint.ParseSeverity(f); err != nil {
			return usageErrorf("the project file's fail-on: %v", err)
		}
	}
	pv, err := choosePluginWith(c, e, proj.settings().PluginVersion)
	if err != nil {
		return err
	}
	plan, err := prepareScan(c, e, pv, proj)
	if err != nil {
		return err
	}
	base, baseNote, err := loadBaseline(c, plan)
	if err != nil {
		return withCode(exitUsage, err)
	}
	res, runErr := plan.Run(c.Context)
	if res == nil {
		return runErr
	}
	findings := lint.Suppress(res.Findings, base, slices.Contains(plan.Rules, lint.StaleBaseline))
	notes := res.Notes
	if proj != nil {
		notes = append(notes, proj.note)
	}
	if baseNote != "" {
		notes = append(notes, baseNote)
	}
	if c.Bool("env") {
		var cfgs []*vantage.Config
		for _, f := range res.Configs {
			if m, ok := rules.ConfigOf(f); ok {
				cfgs = append(cfgs, m)
			}
		}
		envFindings := rules.EnvFindings(pv.v, e.names(), e.Lookup, cfgs)
		findings = lint.Finalize(append(findings, lint.Suppress(envFindings, base, false)...))
	}
	var live *auth.Live
	if c.Bool("live") && lint.Worst(findings) < failOn {
		s := plan.Settings()
		live, err = auth.CheckAll(c.Context, auth.Configs(res.Configs), authOptions(c, e, s.Now, s.Environment, pv))
		if err != nil {
			return authError(c, err)
		}
		findings = lint.Finalize(append(findings, live.Findings...))
		notes = append(notes, live.Notes...)
	} else if c.Bool("live") {
		notes = append(notes, fmt.Sprintf("live check skipped: the findings above reach --fail-on %s, and no token is sent while a config has them; fix them and run again", failOn))
	}
	rep := newReport(findings, plan.Rules, res.Stats)
	rep.Summary.Incomplete = rep.Summary.Incomplete || errors.Is(runErr, lint.ErrIncomplete)
	rep.Summary.Configs = len(res.Configs)
	if len(res.Configs) > 0 || c.Bool("env") {
		rep.Summary.Assumed = pv.String()
	}
	rep.Extra = map[string]any{"plugin_version": pv.fields()}
	rep.Notes = notes
	if live != nil {
		rep.Extra["live"] = live.Verdicts
	}
	if err := emit(c, write, rep); err != nil {
		return err
	}
	if format != "text" {
		for _, n := range rep.Notes {
			// stderr is read for workflow commands too: one line a note.
			fmt.Fprintf(c.App.ErrWriter, "finfocus-vantage: note: %s\n", lint.Printable(n))
		}
	}
	for _, x := range extras {
		var buf bytes.Buffer
		if err := x.Write(&buf, rep); err != nil {
			return fmt.Errorf("format report: %w", err)
		}
		if err := atomicfile.WriteFile(x.Path, buf.Bytes()); err != nil {
			return withCode(exitUsage, err)
		}
	}
	if format == "github" {
		summary, _ := e.Lookup("GITHUB_STEP_SUMMARY")
		outputs, _ := e.Lookup("GITHUB_OUTPUT")
		if err := lint.AppendGitHubFiles(summary, outputs, rep); err != nil {
			return err
		}
	}
	if err := incomplete(runErr, res.Stats); err != nil {
		return err
	}
	if live != nil && verdictCode(live.Worst) != exitOK {
		return &exitError{code: verdictCode(live.Worst)}
	}
	if lint.Worst(rep.Findings) >= failOn {
		return &exitError{code: exitFindings}
	}
	return nil
}

// loadBaseline reads --baseline. Under review (--diff) a baseline inside
// the reviewed repository is read as the base revision holds it: a change
// cannot baseline its own finding; when the base has none, none applies
// and the note says so. A baseline that is a link inside the working
// directory is refused unread.
// DefaultBaseline is the baseline check finds at the repository root
// without --baseline, as gitleaks finds .gitleaksignore.
const DefaultBaseline = ".finfocus-vantage-baseline.json"

func loadBaseline(c *cli.Context, plan *scan.Plan) (*lint.Baseline, string, error) {
	p := c.String("baseline")
	if p == "" {
		return discoverBaseline(c, plan)
	}
	src, inReview, err := plan.ReviewFile(c.Context, p)
	switch {
	case errors.Is(err, scan.ErrNotInBase):
		return nil, fmt.Sprintf("the baseline was not applied: %v; a baseline a change adds applies once it is merged", err), nil
	case err != nil:
		return nil, "", err
	case inReview:
		b, err := lint.ReadBaseline(tool().Name, p, src)
		return b, fmt.Sprintf("baseline %s read from base revision %s, not from the change", p, c.String("diff")), err
	}
	if err := atomicfile.CheckNoLinks(p); err != nil {
		return nil, "", fmt.Errorf("--baseline: %w", err)
	}
	b, err := lint.LoadBaseline(tool().Name, p)
	return b, "", err
}

// discoverBaseline reads DefaultBaseline at the root of the repository
// holding the working directory (else the working directory), when there
// is one, and names it in the notes; under --diff only the base revision's
// copy counts, never one the change adds or edits.
func discoverBaseline(c *cli.Context, plan *scan.Plan) (*lint.Baseline, string, error) {
	root := "."
	if s := plan.Settings(); s != nil && s.RepoRoot != nil {
		if r := s.RepoRoot("."); r != "" {
			root = r
		}
	}
	p := filepath.Join(root, DefaultBaseline)
	if rel, err := filepath.Rel(".", p); err == nil {
		p = rel
	}
	src, inReview, err := plan.ReviewFile(c.Context, p)
	switch {
	case inReview && errors.Is(err, scan.ErrNotInBase):
		return nil, "", nil // the base has none: a baseline the change adds waives nothing yet
	case err != nil:
		return nil, "", err
	case inReview:
		b, err := lint.ReadBaseline(tool().Name, p, src)
		return b, fmt.Sprintf("baseline %s (found at the repository root) read from base revision %s, not from the change", p, c.String("diff")), err
	}
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return nil, "", nil // none, or a link or special file: never read unasked
	}
	b, err := lint.LoadBaseline(tool().Name, p)
	return b, fmt.Sprintf("baseline %s found at the repository root and applied (--baseline FILE names another)", p), err
}
