package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/rules"
	"github.com/rshade/finfocus-vantage/vantage"
	"github.com/urfave/cli/v2"
)

// scanFlags are the flags shared by check and baseline: what to scan,
// which rules, and the settings rules see.
func scanFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "config", Aliases: []string{"c"}, Usage: "check `FILE` as a plugin config whatever its content (repeatable)"},
		&cli.StringSliceFlag{Name: "enable", Usage: "also run rule `ID` (repeatable, or comma-separated)"},
		&cli.StringSliceFlag{Name: "disable", Usage: "do not run rule `ID` (repeatable, or comma-separated)"},
		&cli.StringSliceFlag{Name: "only", Usage: "run only rule `ID` (repeatable, or comma-separated)"},
		&cli.BoolFlag{Name: "resolve-env", Usage: "resolve ${NAME} references from the environment and check the values"},
		&cli.StringFlag{Name: "environment", Usage: "environment of configs that name none: production, staging or development"},
		&cli.StringFlag{Name: "now", Usage: "treat `YYYY-MM-DD` as today, for reproducible runs"},
		&cli.StringFlag{Name: "max-file-size", Value: "10MiB", Usage: "skip files larger than `SIZE` (bytes, or with KiB/MiB/GiB)"},
	}
}

// scanPlan is a prepared scan: inputs, runner and rules.
type scanPlan struct {
	inputs []lint.Input
	runner *lint.Runner
	rules  []*lint.Rule
	cwd    string
}

func prepareScan(c *cli.Context, e *env) (*scanPlan, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("find the working directory: %w", err)
	}
	selected, err := selectRules(c.StringSlice("enable"), c.StringSlice("disable"), c.StringSlice("only"))
	if err != nil {
		return nil, err
	}
	settings := &lint.Settings{
		Now:         time.Now().UTC(),
		ResolveEnv:  c.Bool("resolve-env"),
		LookupEnv:   e.Lookup,
		ReadFile:    os.ReadFile,
		Environment: c.String("environment"),
	}
	if s := c.String("now"); s != "" {
		t, err := time.Parse(vantage.DateLayout, s)
		if err != nil {
			return nil, usageErrorf("--now %q is not a date; write YYYY-MM-DD", s)
		}
		settings.Now = t
	}
	if s := settings.Environment; s != "" && !slices.Contains(vantage.Environments, s) {
		return nil, usageErrorf("--environment %q is not one of %s", s, strings.Join(vantage.Environments, ", "))
	}
	maxSize, err := parseSize(c.String("max-file-size"))
	if err != nil {
		return nil, usageErrorf("--max-file-size: %v", err)
	}

	paths := c.Args().Slice()
	configs := c.StringSlice("config")
	if len(paths) == 0 && len(configs) == 0 {
		paths = []string{"."}
	}
	inputs, err := lint.Collect(c.Context, cwd, paths)
	if err != nil {
		return nil, withCode(ExitUsage, err)
	}
	for _, p := range append(configs, explicitFiles(paths)...) {
		if err := readable(p); err != nil {
			return nil, withCode(ExitUsage, err)
		}
	}
	for _, p := range configs {
		abs, _ := filepath.Abs(p)
		name := lint.DisplayName(cwd, abs)
		inputs = slices.DeleteFunc(inputs, func(in lint.Input) bool { return in.Name == name })
		inputs = append(inputs, lint.Input{Name: name, Path: abs, Config: true})
	}
	return &scanPlan{
		inputs: inputs,
		rules:  selected,
		cwd:    cwd,
		runner: &lint.Runner{
			Rules:       selected,
			Known:       rules.IDs(),
			Settings:    settings,
			Redact:      vantage.Redact,
			Mask:        vantage.Mask,
			MaxFileSize: maxSize,
			Keep:        rules.IsConfig,
		},
	}, nil
}

// explicitFiles returns the paths that name files rather than folders.
func explicitFiles(paths []string) []string {
	var out []string
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			out = append(out, p)
		}
	}
	return out
}

// readable checks that an explicitly named file can be opened.
func readable(p string) error {
	f, err := os.Open(p)
	if err != nil {
		if os.IsNotExist(err) {
			return fmt.Errorf("%s: no such file", p)
		}
		if os.IsPermission(err) {
			return fmt.Errorf("%s: permission denied; make it readable or leave it out", p)
		}
		return fmt.Errorf("open %s: %w", p, err)
	}
	return f.Close()
}

// execute runs the scan and builds the report.
func (p *scanPlan) execute(ctx context.Context) (*lint.Report, error) {
	res, err := p.runner.Run(ctx, p.inputs)
	if res == nil {
		return nil, err
	}
	rep := lint.NewReport(lint.Tool{Name: "finfocus-vantage", Version: Version()}, res.Findings, p.rules)
	rep.Summary.FilesScanned = res.Stats.Scanned
	rep.Summary.SkippedBinary = res.Stats.Binary
	rep.Summary.SkippedLarge = res.Stats.Large
	for _, f := range res.Files {
		if rules.IsConfig(f) {
			rep.Summary.Configs++
		}
	}
	for _, u := range res.Stats.Unreadable {
		rep.Notes = append(rep.Notes, "could not read "+u)
	}
	return rep, err
}

// selectRules applies --only, --enable and --disable to the registry.
func selectRules(enable, disable, only []string) ([]*lint.Rule, error) {
	split := func(list []string) ([]string, error) {
		var out []string
		for _, item := range list {
			for _, id := range strings.Split(item, ",") {
				id = strings.TrimSpace(id)
				if id == "" {
					continue
				}
				if rules.ByID(id) == nil {
					msg := fmt.Sprintf("unknown rule %q", id)
					if s := vantage.Suggest(id, rules.IDs()); s != "" {
						msg += fmt.Sprintf("; did you mean %q?", s)
					}
					return nil, usageErrorf("%s (run finfocus-vantage rules for the list)", msg)
				}
				out = append(out, id)
			}
		}
		return out, nil
	}
	en, err := split(enable)
	if err != nil {
		return nil, err
	}
	dis, err := split(disable)
	if err != nil {
		return nil, err
	}
	on, err := split(only)
	if err != nil {
		return nil, err
	}
	var out []*lint.Rule
	for _, r := range rules.All {
		want := !r.Optional || slices.Contains(en, r.ID)
		if len(on) > 0 {
			want = slices.Contains(on, r.ID)
		}
		if slices.Contains(dis, r.ID) {
			want = false
		}
		if want {
			out = append(out, r)
		}
	}
	return out, nil
}

// parseSize parses a byte count with an optional KiB, MiB or GiB suffix.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	upper := strings.ToUpper(strings.TrimSpace(s))
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}} {
		if strings.HasSuffix(upper, u.suffix) {
			upper, mult = strings.TrimSpace(strings.TrimSuffix(upper, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(upper, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size; write a number of bytes or e.g. 10MiB", s)
	}
	return n * mult, nil
}
