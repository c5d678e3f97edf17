package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/rshade/finfocus-vantage/internal/atomicfile"
	"github.com/rshade/finfocus-vantage/internal/suggest"

	"github.com/rshade/finfocus-vantage/internal/argv"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/scan"
	"github.com/rshade/finfocus-vantage/vantage"
	"github.com/urfave/cli/v2"
)

// version is stamped at release time with -ldflags "-X main.version=…".
var version = ""

// Version returns the stamped version, else the module version from the
// build info (go install …@v1.2.0), else for a build from a git checkout
// "0.0.0-dev+REVISION" (".dirty" when the tree had changes), else
// "0.0.0-dev" (numeric, as SARIF consumers expect).
func toolVersion() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "0.0.0-dev"
	}
	if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return devVersion(bi.Settings)
}

// devVersion is the version of a source build: its VCS revision, when the
// build recorded one.
func devVersion(settings []debug.BuildSetting) string {
	rev, dirty := "", false
	for _, s := range settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	switch {
	case rev == "":
		return "0.0.0-dev"
	case dirty:
		return "0.0.0-dev+" + rev + ".dirty"
	}
	return "0.0.0-dev+" + rev
}

// env is the process environment the commands see; tests pass their own.
type env struct {
	vars  map[string]string
	stdin io.Reader
}

func newEnv(environ []string, stdin io.Reader) *env {
	e := &env{vars: map[string]string{}, stdin: stdin}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			e.vars[k] = v
		}
	}
	return e
}

// names lists the variables set, sorted.
func (e *env) names() []string {
	return slices.Sorted(maps.Keys(e.vars))
}

// Lookup is a vantage.Lookup over the environment.
func (e *env) Lookup(name string) (string, bool) {
	v, ok := e.vars[name]
	return v, ok
}

// run runs the command line and returns the exit code. main only wires
// the process to it, so tests run the whole CLI in-process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, environ []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return runContext(ctx, args, stdin, stdout, stderr, environ)
}

func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, environ []string) int {
	e := newEnv(environ, stdin)
	// A link in the working directory may have been committed by anyone:
	// no output is written through one (prepareScan adds scanned folders).
	atomicfile.SetUntrusted(".")
	app := newApp(e, stdout, stderr)
	// pre-commit's file names are put after "--" first: a tracked file
	// named -q or --verbose is a file to scan, never a flag.
	args, err := preCommitArgs(ctx, args)
	if err == nil {
		var t term
		args, t = takeTermFlags(args)
		app.Metadata = map[string]any{"term": t, "env": e}
		err = app.RunContext(ctx, permuteArgs(app, args))
	}
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "finfocus-vantage: interrupted")
		return exitInterrupted
	}
	var ee *exitError
	if err != nil && (!errors.As(err, &ee) || ee.err != nil) {
		fmt.Fprintf(stderr, "finfocus-vantage: %s\n", lint.Printable(vantage.Redact(err.Error())))
	}
	return exitCode(err)
}

func newApp(e *env, stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:            "finfocus-vantage",
		Usage:           "keep FinFocus Vantage plugin credentials safe and working",
		Version:         toolVersion(),
		HideVersion:     true,
		HideHelpCommand: true,
		Writer:          stdout,
		ErrWriter:       stderr,
		ExitErrHandler:  func(*cli.Context, error) {},
		Flags: append([]cli.Flag{
			&cli.BoolFlag{Name: "version", Aliases: []string{"v"}, Usage: "print the version"},
		}, termFlags()...),
		Action: func(c *cli.Context) error {
			if c.Bool("version") {
				return printVersion(c)
			}
			if c.Args().Len() > 0 {
				name := c.Args().First()
				var names []string
				for _, cmd := range c.App.Commands {
					names = append(names, cmd.Name)
				}
				if s := suggest.Closest(name, names); s != "" {
					return usageErrorf("unknown command %q; did you mean %q? (finfocus-vantage --help lists them)", name, s)
				}
				return usageErrorf("unknown command %q; run finfocus-vantage --help", name)
			}
			return cli.ShowAppHelp(c)
		},
		OnUsageError: onUsageError,
		Commands: []*cli.Command{
			checkCommand(e),
			baselineCommand(e),
			authCommand(e),
			pullCommand(e),
			rulesCommand(),
			versionCommand(),
			completionCommand(),
		},
	}
	for _, c := range app.Commands {
		c.OnUsageError = usageErrorFor(c.Flags)
	}
	return app
}

func onUsageError(c *cli.Context, err error, sub bool) error {
	return usageErrorFor(c.App.Flags)(c, err, sub)
}

// usageErrorFor makes a command's usage errors one line, with the flag
// meant when a flag is misspelt ("--fromat": did you mean --format?).
func usageErrorFor(flags []cli.Flag) cli.OnUsageErrorFunc {
	return func(_ *cli.Context, err error, _ bool) error {
		msg := err.Error()
		if bad, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
			var names []string
			for _, f := range append(flags, termFlags()...) {
				names = append(names, f.Names()...)
			}
			name := strings.TrimLeft(bad, "-")
			if s := suggest.Closest(name, names); s != "" {
				dash := "--"
				if len(s) == 1 {
					dash = "-"
				}
				return usageErrorf("unknown flag %s; did you mean %s%s? (--help lists them)", bad, dash, s)
			}
			return usageErrorf("unknown flag %s; run with --help for the flags", bad)
		}
		return usageErrorf("%s; run with --help for usage", msg)
	}
}

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:   "version",
		Usage:  "print the version",
		Action: printVersion,
	}
}

func printVersion(c *cli.Context) error {
	var b strings.Builder
	fmt.Fprintf(&b, "finfocus-vantage %s\n", toolVersion())
	b.WriteString("plugin versions known (--plugin-version; the first is the default):\n")
	for _, v := range vantage.PluginVersions {
		names := v.Name
		if len(v.Also) > 0 {
			names += " (also " + strings.Join(v.Also, ", ") + ")"
		}
		fmt.Fprintf(&b, "  %s: %s; read at commit %s\n", names, v.About, v.Commit)
	}
	_, err := io.WriteString(c.App.Writer, b.String())
	return err
}

// permuteArgs moves a command's flags before its positional arguments, so
// that `check . --format json` works as users expect (urfave/cli stops
// parsing flags at the first positional argument).
func permuteArgs(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	var cmd *cli.Command
	at := 1
	for ; at < len(args); at++ {
		if !strings.HasPrefix(args[at], "-") {
			cmd = app.Command(args[at])
			break
		}
	}
	if cmd == nil {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	return argv.Permute(args, at, takesValue)
}

// preCommitArgs puts "--" before the file names pre-commit appended to
// `check --pre-commit` (see scan.SplitPreCommit), so none is read as an
// option.
func preCommitArgs(ctx context.Context, args []string) ([]string, error) {
	if len(args) < 3 || args[1] != "check" || args[2] != "--pre-commit" {
		return args, nil
	}
	// The options of check that take a value: a value such as "error" in
	// args: [--fail-on, error] is never a file name, tracked or not.
	valued := map[string]bool{}
	for _, f := range checkCommand(nil).Flags {
		if _, isBool := f.(*cli.BoolFlag); isBool {
			continue
		}
		for _, n := range f.Names() {
			valued["-"+n], valued["--"+n] = true, true
		}
	}
	opts, files, err := scan.SplitPreCommit(ctx, args[3:], func(opt string) bool { return valued[opt] })
	if err != nil {
		return nil, withCode(exitUsage, err)
	}
	out := append([]string{args[0], "check", "--pre-commit"}, opts...)
	return append(append(out, "--"), files...), nil
}
