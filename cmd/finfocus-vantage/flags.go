package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rshade/finfocus-vantage/auth"
	"github.com/rshade/finfocus-vantage/docs"
	"github.com/rshade/finfocus-vantage/internal/atomicfile"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/scan"
	"github.com/rshade/finfocus-vantage/vantage"
	"github.com/rshade/finfocus-vantage/vantage/api"
	"github.com/urfave/cli/v2"
)

// Flags and helpers shared by the commands.

// nowFlag fixes "today" for reproducible runs.
var nowFlag = &cli.StringFlag{Name: "now", Usage: "treat `YYYY-MM-DD` as today, for reproducible runs"}

// baseURLFlag overrides the API root. A config file never can: a pull
// request could point it elsewhere.
var baseURLFlag = &cli.StringFlag{Name: "base-url", Usage: "Vantage API root `URL` (default https://api.vantage.sh/v2, or FINFOCUS_VANTAGE_BASE_URL); plain http only for loopback"}

// allowEnvFlag lets ${NAME} resolve a variable the plugin does not
// document.
var allowEnvFlag = &cli.StringSliceFlag{Name: "allow-env", Usage: "let ${`NAME`} references in a config resolve this variable too (repeatable); by default only the FINFOCUS_VANTAGE_* and PULUMICOST_VANTAGE_* names plugins read"}

// formatFlag chooses a report format.
func formatFlag() cli.Flag {
	return &cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output `FORMAT`: " + strings.Join(lint.Formats(), ", ")}
}

// reportWriter returns the writer of a report format, or a usage error
// listing the formats (from, for example, "--format").
func reportWriter(from, name string) (lint.Writer, error) {
	if w, ok := lint.Writers[name]; ok {
		return w, nil
	}
	return nil, usageErrorf("unknown %s %q; use one of %s", from, name, strings.Join(lint.Formats(), ", "))
}

// today is --now when given, else the current UTC time.
func today(c *cli.Context) (time.Time, error) {
	s := c.String("now")
	if s == "" {
		return time.Now().UTC(), nil
	}
	t, err := time.Parse(vantage.DateLayout, s)
	if err != nil {
		return time.Time{}, usageErrorf("--now %q is not a date; write YYYY-MM-DD", s)
	}
	return t, nil
}

// tool describes this program in reports.
func tool() lint.Tool {
	return lint.Tool{
		Name:           "finfocus-vantage",
		Version:        toolVersion(),
		URL:            "https://github.com/rshade/finfocus-vantage",
		Tags:           []string{"security", "secrets", "vantage"},
		FingerprintKey: "finfocusVantage/v1",
	}
}

// newReport makes the report of final findings, with rule help.
func newReport(fs []lint.Finding, ran []*lint.Rule, st lint.Stats) *lint.Report {
	rep := lint.NewReport(tool(), fs, ran, st)
	rep.Docs = docs.ForReport
	return rep
}

// emit writes a report to --output (atomically) or standard output.
func emit(c *cli.Context, write lint.Writer, rep *lint.Report) error {
	if e, ok := c.App.Metadata["env"].(*env); ok && c.String("output") == "" && (c.String("format") == "" || c.String("format") == "text") {
		rep.Color = termOf(c).colorOn(e, c.App.Writer)
	}
	var buf bytes.Buffer
	if err := write(&buf, rep); err != nil {
		return fmt.Errorf("format report: %w", err)
	}
	return writeOut(c, buf.Bytes())
}

// writeOut writes data to --output (atomically) or standard output.
func writeOut(c *cli.Context, data []byte) error {
	if p := c.String("output"); p != "" {
		if err := atomicfile.WriteFile(p, data); err != nil {
			return withCode(exitUsage, err)
		}
		return nil
	}
	_, err := c.App.Writer.Write(data)
	return err
}

// testClock, set only by tests, replaces a new client's clock so that
// retry waits do not really sleep.
var testClock func(*api.Client)

// authOptions are the live check's options from the flags.
func authOptions(c *cli.Context, e *env, now time.Time, environment string, pv chosenPlugin) auth.Options {
	return auth.Options{
		Version:     pv.v,
		BaseURL:     c.String("base-url"),
		UserAgent:   "finfocus-vantage/" + toolVersion(),
		Env:         e.Lookup,
		Now:         now,
		Environment: environment,
		NewClient: func(cl *api.Client) {
			// Every wait and retry is one line on stderr (none under -q).
			errw := termOf(c).stderr(c)
			cl.OnWait = func(_ time.Duration, line string) { fmt.Fprintln(errw, line) }
			// A local fake (loopback only) may be pulled from unpaced, to
			// measure the tool rather than Vantage's limits (bench/pull.sh).
			if v, _ := e.Lookup("FINFOCUS_VANTAGE_PACING"); v == "off" && api.IsLoopbackHost(cl.BaseURL.Hostname()) {
				cl.Limits = nil
			}
			if testClock != nil {
				testClock(cl)
			}
		},
		AllowEnv: c.StringSlice("allow-env"),
	}
}

// authError maps a live check's error to an exit code: the user's input,
// or an interruption.
func authError(c *cli.Context, err error) error {
	if c.Context.Err() != nil {
		return c.Context.Err()
	}
	return withCode(exitUsage, err)
}

// verdictCode is the exit code for a verdict.
func verdictCode(v auth.Verdict) int {
	switch v {
	case auth.Invalid:
		return exitAuth
	case auth.Unknown:
		return exitAPI
	case auth.Malformed:
		return exitFindings // a token-format error: nothing was sent
	}
	return exitOK
}

// scanFlags are the flags shared by check and baseline: what to scan,
// which rules, and the settings rules see.
func scanFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "config", Aliases: []string{"c"}, Usage: "check `FILE` as a plugin config whatever its content (repeatable)"},
		&cli.StringFlag{Name: "stdin-filename", Usage: "with PATH -, the `NAME` standard input is checked as (deploy/vantage.yaml, a workflow's path…); default stdin"},
		&cli.StringSliceFlag{Name: "enable", Usage: "also run rule `ID` (repeatable, or comma-separated)"},
		&cli.StringSliceFlag{Name: "disable", Usage: "do not run rule `ID` (repeatable, or comma-separated)"},
		&cli.StringSliceFlag{Name: "only", Usage: "run only rule `ID` (repeatable, or comma-separated)"},
		&cli.BoolFlag{Name: "resolve-env", Usage: "resolve ${NAME} references from the environment and check the values"},
		allowEnvFlag,
		&cli.StringFlag{Name: "environment", Usage: "the `ENV` (environment) of configs that name none: production, staging or development"},
		nowFlag,
		&cli.StringFlag{Name: "max-file-size", Usage: "skip files larger than `SIZE` (bytes, or with KiB/MiB/GiB); default no limit: files over 16 MiB are read in 4 MiB windows"},
		&cli.BoolFlag{Name: "staged", Usage: "scan the staged (index) content of staged files"},
		&cli.BoolFlag{Name: "pre-commit", Usage: "the pre-commit hook's mode (first after check): file names git tracks, last on the line, are files whatever they look like; their index content is scanned"},
		&cli.StringFlag{Name: "diff", Usage: "scan only files changed between `REV` and the work tree, for pull requests"},
		&cli.BoolFlag{Name: "history", Usage: "also scan the whole git history for tokens (rule token-in-history)"},
		&cli.StringFlag{Name: "history-range", Usage: "limit the history scan to `A..B` (implies --history)"},
		&cli.BoolFlag{Name: "all-secrets", Usage: "detect every kind of secret gitleaks knows, not only Vantage credentials"},
		pluginVersionFlag(),
	}
}

// prepareScan maps the scan flags to a scan plan, for the plugin version
// chosen.
func prepareScan(c *cli.Context, e *env, pv chosenPlugin, proj *loadedProject) (*scan.Plan, error) {
	ps := proj.settings()
	paths, stdin, err := stdinInput(c, e)
	if err != nil {
		return nil, err
	}
	scan.TuneGC(e.Lookup)
	now, err := today(c)
	if err != nil {
		return nil, err
	}
	var maxSize int64
	if s := c.String("max-file-size"); s != "" {
		if maxSize, err = lint.ParseSize(s); err != nil {
			return nil, usageErrorf("--max-file-size: %v", err)
		}
	}
	// Output is never written through a link inside what is scanned.
	untrusted := []string{"."}
	for _, p := range c.Args().Slice() {
		if fi, err := os.Lstat(p); err == nil && fi.IsDir() {
			untrusted = append(untrusted, p)
		}
	}
	atomicfile.SetUntrusted(untrusted...)
	for _, p := range c.StringSlice("config") {
		// A config that is a link inside the tree is refused unread: a
		// committed link could point at any file, and a parse error
		// would quote it.
		if err := atomicfile.CheckNoLinks(p); err != nil {
			return nil, withCode(exitUsage, fmt.Errorf("--config: %w", err))
		}
	}
	plan, err := scan.Prepare(c.Context, scan.Options{
		Paths:         paths,
		Stdin:         stdin,
		Configs:       c.StringSlice("config"),
		Enable:        append(ps.Enable, c.StringSlice("enable")...),
		Disable:       append(ps.Disable, c.StringSlice("disable")...),
		Only:          onlyRules(c.StringSlice("only"), ps.Only),
		Staged:        c.Bool("staged"),
		PreCommit:     c.Bool("pre-commit"),
		Diff:          c.String("diff"),
		History:       c.Bool("history"),
		HistoryRange:  c.String("history-range"),
		ResolveEnv:    c.Bool("resolve-env"),
		AllowEnv:      c.StringSlice("allow-env"),
		Env:           e.Lookup,
		Environment:   c.String("environment"),
		Now:           now,
		MaxFileSize:   maxSize,
		AllSecrets:    c.Bool("all-secrets"),
		PluginVersion: pv.v.Name,
		Trace:         verboseTrace(c),
		Skip:          proj.skip(),
	})
	if err != nil {
		return nil, withCode(exitUsage, err)
	}
	return plan, nil
}

// rulesFailed is the error of a run in which some rules failed.
func rulesFailed(what string, err error) error {
	return withCode(exitUsage, fmt.Errorf("some rules failed, so the %s may be incomplete: %w", what, err))
}

// incomplete is the error of a scan that could not cover what it was
// asked to (exit 5), else of failed rules (exit 2), else nil.
func incomplete(runErr error, st lint.Stats) error {
	switch {
	case errors.Is(runErr, lint.ErrIncomplete):
		return withCode(exitIncomplete, runErr)
	case runErr != nil:
		return rulesFailed("report", runErr)
	case len(st.Unreadable) > 0:
		return withCode(exitIncomplete, fmt.Errorf("%w: %d files or folders could not be read (see the notes); fix their permissions or leave them out", lint.ErrIncomplete, len(st.Unreadable)))
	}
	return nil
}

// onlyRules is --only when given, else the project file's only.
func onlyRules(flag, project []string) []string {
	if len(flag) > 0 {
		return flag
	}
	return project
}

// maxStdin bounds what check - reads from standard input.
const maxStdin = 256 << 20

// stdinInput is check -: standard input scanned as one file named by
// --stdin-filename (default "stdin"), whose name decides what kind of file
// it is checked as. Other paths come back as they were.
func stdinInput(c *cli.Context, e *env) ([]string, *lint.Input, error) {
	args := c.Args().Slice()
	if !slices.Contains(args, "-") {
		if c.String("stdin-filename") != "" {
			return nil, nil, usageErrorf("--stdin-filename names standard input: use it with check -")
		}
		return args, nil, nil
	}
	if len(args) != 1 || c.Bool("staged") || c.String("diff") != "" || c.Bool("pre-commit") || c.Bool("history") || c.String("history-range") != "" {
		return nil, nil, usageErrorf("check - scans standard input alone: no other path, --staged, --diff, --pre-commit or --history with it")
	}
	name := c.String("stdin-filename")
	if name == "" {
		name = "stdin"
	}
	clean := filepath.ToSlash(filepath.Clean(name))
	if filepath.IsAbs(name) || clean == ".." || strings.HasPrefix(clean, "../") || lint.Printable(name) != name {
		return nil, nil, usageErrorf("--stdin-filename %q: give a relative path such as deploy/vantage.yaml (it names the content; nothing is read or written there)", lint.Printable(name))
	}
	if e.stdin == nil {
		return nil, nil, usageErrorf("check -: no standard input")
	}
	data, err := io.ReadAll(io.LimitReader(e.stdin, maxStdin+1))
	if err != nil {
		return nil, nil, withCode(exitUsage, fmt.Errorf("read standard input: %w", err))
	}
	if len(data) > maxStdin {
		return nil, nil, usageErrorf("standard input is larger than %d MiB; write it to a file and check the file", maxStdin>>20)
	}
	return nil, &lint.Input{Name: clean, Read: func() ([]byte, error) { return data, nil }}, nil
}
