package main

import (
	"fmt"
	"io"
	"os"

	"github.com/mattn/go-isatty"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
	"github.com/urfave/cli/v2"
)

// term holds the terminal habits of gitleaks, tflint and actionlint:
// --no-color, -q/--quiet and --verbose, taken anywhere on the command line
// before "--", and NO_COLOR (no-color.org: set and not empty).
type term struct {
	noColor, quiet, verbose bool
}

// termFlags are shown in the help; takeTermFlags reads them.
func termFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "no-color", Usage: "no colour in text output (also: NO_COLOR set to anything); colour is only ever used on a terminal"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "findings and errors only: no progress, wait, retry or summary lines on stderr"},
		&cli.BoolFlag{Name: "verbose", Usage: "say on stderr what was scanned, skipped and why"},
	}
}

// takeTermFlags removes the terminal flags from args, wherever they stand
// before "--", and returns what they asked.
func takeTermFlags(args []string) ([]string, term) {
	var t term
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...), t
		}
		switch a {
		case "--no-color", "-no-color":
			t.noColor = true
		case "-q", "--quiet", "-quiet":
			t.quiet = true
		case "--verbose", "-verbose":
			t.verbose = true
		default:
			out = append(out, a)
			continue
		}
		if i == 0 {
			out = append(out, a) // the program's name, whatever it is
		}
	}
	return out, t
}

// termOf returns the terminal habits of a run.
func termOf(c *cli.Context) term {
	if t, ok := c.App.Metadata["term"].(term); ok {
		return t
	}
	return term{}
}

// colorOn reports whether text written to w may be coloured: w is a
// terminal, and neither --no-color nor NO_COLOR says otherwise.
func (t term) colorOn(e *env, w io.Writer) bool {
	if t.noColor {
		return false
	}
	if v, ok := e.Lookup("NO_COLOR"); ok && v != "" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// stderr is where progress, wait and retry lines go: nowhere under -q.
func (t term) stderr(c *cli.Context) io.Writer {
	if t.quiet {
		return io.Discard
	}
	return c.App.ErrWriter
}

// verboseTrace writes what became of each input to stderr under --verbose
// ("verbose: deploy/vantage.yaml: scanned"); nil otherwise.
func verboseTrace(c *cli.Context) func(name, what string) {
	if !termOf(c).verbose {
		return nil
	}
	w := c.App.ErrWriter
	return func(name, what string) {
		// A file's name is written by whoever named it: masked like any text.
		fmt.Fprintf(w, "verbose: %s: %s\n", lint.Printable(vantage.Redact(name)), lint.Printable(vantage.Redact(what)))
	}
}
