package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rshade/finfocus-vantage/auth"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/pull"
	"github.com/rshade/finfocus-vantage/scan"
	"github.com/rshade/finfocus-vantage/vantage"
	"github.com/rshade/finfocus-vantage/vantage/api"
	"github.com/urfave/cli/v2"
)

func pullCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "pull",
		Usage: "pull cost data from Vantage to a file (jsonl, csv, Parquet, FOCUS 1.2)",
		Description: "Checks the config (exit 1 on errors; --skip-check to bypass), verifies the token,\n" +
			"(without --config: the token, report and API root from the environment, as the plugin reads them)\n" +
			"then streams every page of GET /costs to --output. The exact sum of the rows, rounded\n" +
			"to cents, must equal the API's total_cost, else exit 4 and no output file. Output is\n" +
			"written atomically, with a metadata sidecar (FILE.meta.json) saying what the numbers mean.\n\n" +
			"EXAMPLES:\n" +
			"   finfocus-vantage pull --output costs.parquet             # the last 30 complete days\n" +
			"   finfocus-vantage pull --format focus-csv --start-date 2026-10-01 --end-date 2026-10-31 -o oct.csv\n" +
			"   finfocus-vantage pull --dataset costs/                   # a partition per month, manifest.json last\n\n" +
			"EXIT CODES: 0 pulled and reconciled, 1 config or token errors, 2 usage or a local write failure\n" +
			"   (a missing folder, permissions, a full disk), 3 token rejected, 4 API failure or totals\n" +
			"   that do not reconcile (no file written), 130 interrupted.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "plugin config `FILE` (default: the environment alone, as the released plugin reads it: FINFOCUS_VANTAGE_TOKEN and FINFOCUS_VANTAGE_COST_REPORT_TOKEN)"},
			pluginVersionFlag(),
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write rows to `FILE` (default: standard output)"},
			&cli.StringFlag{Name: "dataset", Usage: "write a dataset to `DIR`: DIR/billing_period=YYYY-MM/part-0.parquet per month and DIR/manifest.json (format focus-parquet unless --format says)"},
			&cli.IntFlag{Name: "restate", Value: 2, Usage: "with --dataset, pull again the latest `N` billing periods the dataset already holds (the open month and the one before: providers restate a closed month for weeks)"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "jsonl", Usage: "row `FORMAT`: " + strings.Join(pull.Formats, ", ") + " (default: from the --output name's .parquet, .csv or .jsonl, else jsonl)"},
			&cli.StringFlag{Name: "start-date", Usage: "first day `YYYY-MM-DD` (default: the config's, else 30 complete days ago)"},
			&cli.StringFlag{Name: "end-date", Usage: "last day `YYYY-MM-DD` (default: the config's, else yesterday)"},
			&cli.BoolFlag{Name: "skip-check", Usage: "do not run the config rules first"},
			&cli.BoolFlag{Name: "csv-raw", Usage: "write csv cells as they are (by default a text cell that a spreadsheet would run as a formula gets a leading ')"},
			nowFlag,
			allowEnvFlag,
			baseURLFlag,
		},
		Action: func(c *cli.Context) error { return runPull(c, e) },
	}
}

func runPull(c *cli.Context, e *env) error {
	ctx := c.Context
	format := c.String("format")
	if !slices.Contains(pull.Formats, format) {
		return usageErrorf("unknown --format %q; use one of %s", format, strings.Join(pull.Formats, ", "))
	}
	dataset := c.String("dataset")
	if dataset != "" {
		if c.IsSet("output") {
			return usageErrorf("--dataset and --output do not go together: a dataset writes one file per month into its folder")
		}
		if !c.IsSet("format") {
			format = "focus-parquet"
		}
		if c.Int("restate") < 1 {
			return usageErrorf("--restate %d: pull at least the open month again (1 or more)", c.Int("restate"))
		}
	}
	if out := c.String("output"); out != "" {
		ext := strings.ToLower(filepath.Ext(out))
		fits := pull.FormatsFor(ext)
		switch {
		case len(fits) == 0:
		case !c.IsSet("format"):
			format = fits[0] // the extension says which
		case !slices.Contains(fits, format):
			return usageErrorf("--format %s does not write %s files (%s): use --format %s, or an --output name that ends as the format does", format, ext, out, strings.Join(fits, " or "))
		}
	}
	now, err := today(c)
	if err != nil {
		return err
	}
	pv, err := choosePlugin(c, e)
	if err != nil {
		return err
	}
	var cfg *auth.Config
	settings := auth.DefaultSettings()
	switch p := c.String("config"); {
	case p != "":
		if cfg, err = auth.Load(p); err != nil {
			return withCode(exitUsage, err)
		}
		settings = cfg.Settings
	case pv.v.File:
		return usageErrorf("plugin %s reads its settings from a config file: pass --config FILE, or choose a release with --plugin-version", pv.v.Name)
	}
	if cfg != nil && !c.Bool("skip-check") {
		fs, err := scan.CheckConfig(ctx, cfg.File, now, e.Lookup, c.StringSlice("allow-env"), pv.v.Name)
		if err != nil {
			return err
		}
		if lint.Worst(fs) >= lint.Error {
			writeFindings(c.App.ErrWriter, fs)
			return withCode(exitFindings, fmt.Errorf("%s has errors, so nothing was pulled; fix them, or pass --skip-check to pull anyway", cfg.File.Name))
		}
	}
	// The auth check: a rejected token stops here, before any output.
	out, err := auth.Check(ctx, cfg, authOptions(c, e, now, "", pv))
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
	if out.Creds.CostReportToken == "" && out.Creds.WorkspaceToken == "" {
		return usageErrorf("no Cost Report to pull: set %s to the report's token (rprt_…), as the plugin reads it, or pass --config FILE", vantage.EnvCostReportToken)
	}

	s := settings
	if pv.v.File {
		s = s.WithPluginEnv(e.Lookup)
	}
	start, end, err := pull.Period(c.String("start-date"), c.String("end-date"), s, now)
	if err != nil {
		return withCode(exitUsage, err)
	}
	// Go on with the token and client the auth check verified.
	creds, client := out.Creds, out.Client
	prog := pull.NewStatusLine(termOf(c).stderr(c))
	client.OnWait = prog.Wait
	query := api.CostsQuery{
		CostReportToken: creds.CostReportToken, WorkspaceToken: creds.WorkspaceToken,
		StartDate: start, EndDate: end, DateBin: s.Granularity, Groupings: pull.Groupings(format, s.GroupBys), Limit: s.PageSize,
		Settings: api.Settings{IncludeCredits: s.Costs.IncludeCredits, IncludeRefunds: s.Costs.IncludeRefunds, IncludeDiscounts: s.Costs.IncludeDiscounts,
			IncludeTax: s.Costs.IncludeTax, Amortize: s.Costs.Amortize, Unallocated: s.Costs.Unallocated, AggregateBy: "cost"},
	}
	if dataset != "" {
		dres, err := pull.PullDataset(ctx, client, pull.DatasetOptions{
			Dir: dataset, Query: query, Format: format, RawCSV: c.Bool("csv-raw"), Tool: "finfocus-vantage " + toolVersion(),
			Restate: c.Int("restate"), Now: now, OnPage: prog.Page, Say: prog.Say,
		})
		prog.Done()
		if err != nil {
			return pullError(ctx, err)
		}
		fmt.Fprint(termOf(c).stderr(c), client.Scrub(dres.Summary(dataset)))
		return nil
	}
	res, err := pull.Run(ctx, client, pull.Options{
		Query:  query,
		Format: format,
		Output: c.String("output"),
		Stdout: c.App.Writer,
		RawCSV: c.Bool("csv-raw"),
		Tool:   "finfocus-vantage " + toolVersion(),
		OnPage: prog.Page,
		Say:    prog.Say,
	})
	prog.Done()
	if err != nil {
		return pullError(ctx, err)
	}
	// Provider and service names come from the server: scrubbed like
	// any text it sends.
	var summary strings.Builder
	res.WriteSummary(&summary, start, end, c.String("output"))
	fmt.Fprint(termOf(c).stderr(c), client.Scrub(summary.String()))
	return nil
}

// pullError maps a failed pull to its exit code: this machine's write
// failures and a busy or mismatched dataset are the user's (2), a
// rejected token 3, the API or its data 4.
func pullError(ctx context.Context, err error) error {
	var authErr *api.AuthError
	var writeErr *pull.WriteError
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, &writeErr):
		return withCode(exitUsage, err)
	case errors.Is(err, pull.ErrDatasetBusy), errors.Is(err, pull.ErrDatasetMismatch):
		return withCode(exitUsage, err)
	case errors.As(err, &authErr):
		return withCode(exitAuth, err)
	}
	return withCode(exitAPI, fmt.Errorf("pull: %w", err))
}

func writeFindings(w io.Writer, fs []lint.Finding) {
	for _, f := range fs {
		if !f.Suppressed {
			fmt.Fprintln(w, lint.TextLine(f.String()))
		}
	}
}
