package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/rshade/finfocus-vantage/auth"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/pull"
	"github.com/rshade/finfocus-vantage/scan"
	"github.com/rshade/finfocus-vantage/vantage/api"
	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"
)

func pullCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "pull",
		Usage: "pull cost data from Vantage to a file (jsonl, csv, FOCUS)",
		Description: "Checks the config (exit 1 on errors; --skip-check to bypass), verifies the token,\n" +
			"then streams every page of GET /costs to --output. The rows must add up to the API's\n" +
			"total_cost exactly, else exit 4 and no output file. Output is written atomically.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Required: true, Usage: "plugin config `FILE`"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write rows to `FILE` (default: standard output)"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "jsonl", Usage: "row format: " + strings.Join(pull.Formats, ", ")},
			&cli.StringFlag{Name: "start-date", Usage: "first day `YYYY-MM-DD` (default: the config's, else 30 complete days ago)"},
			&cli.StringFlag{Name: "end-date", Usage: "last day `YYYY-MM-DD` (default: the config's, else yesterday)"},
			&cli.BoolFlag{Name: "skip-check", Usage: "do not run the config rules first"},
			nowFlag,
			baseURLFlag,
		},
		Action: func(c *cli.Context) error { return runPull(c, e) },
	}
}

func runPull(c *cli.Context, e *env) error {
	ctx := c.Context
	format := c.String("format")
	if err := oneOf("--format", format, pull.Formats); err != nil {
		return err
	}
	now, err := today(c)
	if err != nil {
		return err
	}
	cfg, err := auth.Load(c.String("config"))
	if err != nil {
		return withCode(exitUsage, err)
	}
	if !c.Bool("skip-check") {
		fs, err := scan.CheckConfig(ctx, cfg.File, now, e.Lookup)
		if err != nil {
			return err
		}
		if lint.Worst(fs) >= lint.Error {
			writeFindings(c.App.ErrWriter, fs)
			return withCode(exitFindings, fmt.Errorf("%s has errors, so nothing was pulled; fix them, or pass --skip-check to pull anyway", cfg.File.Name))
		}
	}
	// The auth check: a rejected token stops here, before any output.
	out, err := auth.Check(ctx, cfg, authOptions(c, e, now, ""))
	if err != nil {
		return authError(c, err)
	}
	if code := verdictCode(out.Verdict); code != exitOK {
		return withCode(code, fmt.Errorf("%s", out.Header(now)))
	}
	if fs := lint.Finalize(out.Findings); lint.Worst(fs) >= lint.Error {
		writeFindings(c.App.ErrWriter, fs)
		return &exitError{code: exitFindings}
	}

	s := cfg.Settings
	start, end, err := pull.Period(c.String("start-date"), c.String("end-date"), s, now)
	if err != nil {
		return withCode(exitUsage, err)
	}
	// Go on with the token and client the auth check verified.
	creds, client := out.Creds, out.Client
	prog := newProgress(c.App.ErrWriter)
	client.OnWait = prog.wait
	res, err := pull.Run(ctx, client, pull.Options{
		Query: api.CostsQuery{
			CostReportToken: creds.CostReportToken, WorkspaceToken: creds.WorkspaceToken,
			StartDate: start, EndDate: end, DateBin: s.Granularity, Groupings: s.GroupBys, Limit: s.PageSize,
		},
		Format: format,
		Output: c.String("output"),
		Stdout: c.App.Writer,
		OnPage: prog.page,
	})
	prog.done()
	if err != nil {
		var authErr *api.AuthError
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.As(err, &authErr):
			return withCode(exitAuth, err)
		}
		return withCode(exitAPI, fmt.Errorf("pull: %w", err))
	}
	printSummary(c.App.ErrWriter, res, start, end, c.String("output"))
	return nil
}

func writeFindings(w io.Writer, fs []lint.Finding) {
	for _, f := range fs {
		if !f.Suppressed {
			fmt.Fprintln(w, f.String())
		}
	}
}

// progress draws a one-line status on a terminal: pages, rows, rate and
// waits. Off when stderr is not a terminal, so CI logs stay clean.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	on      bool
	started time.Time
	last    pull.Progress
	note    string
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, started: time.Now()}
	if f, ok := w.(*os.File); ok {
		p.on = isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
	}
	return p
}

func (p *progress) page(pr pull.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last, p.note = pr, ""
	p.draw()
}

func (p *progress) wait(d time.Duration, reason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.note = fmt.Sprintf(" · waiting %s (%s)", d.Round(time.Second), reason)
	p.draw()
}

func (p *progress) draw() {
	if !p.on {
		return
	}
	pages := fmt.Sprintf("page %d", p.last.Page)
	if p.last.LastPage > 0 {
		pages += fmt.Sprintf("/%d", p.last.LastPage)
	}
	rate := float64(p.last.Rows) / max(time.Since(p.started).Seconds(), 0.001)
	fmt.Fprintf(p.w, "\r\033[K%s · %d rows · %.0f rows/s%s", pages, p.last.Rows, rate, p.note)
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// printSummary writes rows, period, totals per provider and top services.
func printSummary(w io.Writer, r *pull.Result, start, end, output string) {
	dest := "standard output"
	if output != "" {
		dest = output
	}
	fmt.Fprintf(w, "pulled %d rows in %d pages (%s … %s) to %s; total %s %s, reconciled with the API\n",
		r.Rows, r.Pages, start, end, dest, r.Total.StringFixed(2), r.Currency)
	top := func(m map[string]decimal.Decimal, n int) string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if c := m[keys[i]].Cmp(m[keys[j]]); c != 0 {
				return c > 0
			}
			return keys[i] < keys[j]
		})
		var parts []string
		for i, k := range keys {
			if i == n {
				parts = append(parts, fmt.Sprintf("and %d more", len(keys)-n))
				break
			}
			parts = append(parts, fmt.Sprintf("%s %s", k, m[k].StringFixed(2)))
		}
		return strings.Join(parts, ", ")
	}
	if r.Rows > 0 {
		fmt.Fprintf(w, "  by provider: %s\n  top services: %s\n", top(r.ByProvider, 10), top(r.ByService, 5))
	}
}
