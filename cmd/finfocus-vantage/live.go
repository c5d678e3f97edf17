package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/rules"
	"github.com/rshade/finfocus-vantage/vantage"
	"github.com/rshade/finfocus-vantage/vantage/api"
	"github.com/urfave/cli/v2"
)

// The verdicts of a live check (trufflehog's model).
const (
	verdictVerified = "verified"
	verdictInvalid  = "invalid"
	verdictUnknown  = "unknown"
)

// baseURLFlag overrides the API root. A config file never can: a pull
// request could point it elsewhere.
var baseURLFlag = &cli.StringFlag{Name: "base-url", Usage: "Vantage API root `URL` (default https://api.vantage.sh/v2, or FINFOCUS_VANTAGE_BASE_URL); plain http only for loopback"}

// liveConfig is a plugin config read for a live check.
type liveConfig struct {
	file     *lint.File // nil when there is no config: the token comes from the environment
	cfg      *vantage.Config
	settings vantage.Settings
}

// loadConfig reads and parses a plugin config for auth or pull.
func loadConfig(path string) (*liveConfig, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, withCode(ExitUsage, fmt.Errorf("read config: %w", err))
	}
	cwd, _ := os.Getwd()
	abs := path
	if !strings.HasPrefix(abs, "/") {
		abs = cwd + "/" + path
	}
	f := lint.NewFile(lint.DisplayName(cwd, abs), src)
	f.Config, f.Kind = true, lint.KindYAML
	y := f.YAML()
	if y.Err != nil {
		return nil, withCode(ExitUsage, fmt.Errorf("%s: not valid YAML; run finfocus-vantage check --config %s for details", path, path))
	}
	cfg := vantage.FromAST(y.AST)
	return &liveConfig{file: f, cfg: cfg, settings: cfg.Settings()}, nil
}

// newClient builds the API client: base URL from --base-url, else
// FINFOCUS_VANTAGE_BASE_URL, else the default; timeout and retries from
// the config.
func newClient(c *cli.Context, e *env, token string, s vantage.Settings) (*api.Client, error) {
	opts := []api.Option{
		api.WithUserAgent("finfocus-vantage/" + Version()),
		api.WithTimeout(s.RequestTimeout),
		api.WithMaxRetries(s.MaxRetries),
	}
	base := c.String("base-url")
	if base == "" {
		base, _ = e.Lookup(vantage.EnvBaseURL)
	}
	if base != "" {
		opts = append(opts, api.WithBaseURL(base))
	}
	client, err := api.NewClient(token, opts...)
	if err != nil {
		return nil, withCode(ExitUsage, err)
	}
	if testClock != nil {
		testClock(client)
	}
	return client, nil
}

// testClock, set only by tests, replaces a new client's clock so that
// retry waits do not really sleep.
var testClock func(*api.Client)

// defaultSettings are used when auth runs without a config.
func defaultSettings() vantage.Settings {
	return vantage.Settings{RequestTimeout: 60 * time.Second, MaxRetries: 5, PageSize: vantage.MaxPageSize, Granularity: "day"}
}

// authOutcome is the result of a live check of one config.
type authOutcome struct {
	// client and creds are what the check used, for a pull to go on with.
	client   *api.Client
	creds    vantage.Credentials
	verdict  string
	err      error // why the verdict is unknown or invalid
	me       *api.Me
	report   *api.CostReport
	findings []lint.Finding
}

// authCheck verifies a config's token against the API: GET /me, then the
// cost report when one is configured. It reports live findings at the
// config's positions.
func authCheck(ctx context.Context, c *cli.Context, e *env, lc *liveConfig, now time.Time, defaultEnv string) (*authOutcome, error) {
	if lc == nil {
		lc = &liveConfig{settings: defaultSettings()}
	}
	res := vantage.Resolver{Env: e.Lookup}
	creds, err := res.Credentials(lc.cfg)
	if err != nil {
		return nil, withCode(ExitUsage, fmt.Errorf("resolve the token: %w", err))
	}
	client, err := newClient(c, e, creds.Token, lc.settings)
	if err != nil {
		return nil, err
	}
	out := &authOutcome{verdict: verdictVerified, client: client, creds: creds}
	runner := &lint.Runner{Redact: vantage.Redact, Mask: vantage.Mask}
	at := func(path string) lint.Diagnostic {
		if lc.file == nil {
			src := creds.TokenSource
			if path == "params.cost_report_token" {
				src = "params.cost_report_token"
			}
			return lint.Diagnostic{Path: "$" + src, Span: lint.Span{Line: 1, Col: 1, Anchor: path}}
		}
		d := lint.Diagnostic{File: lc.file, Span: lint.Span{Line: lc.cfg.Start.Line, Col: lc.cfg.Start.Col, Anchor: path}}
		if n := lc.cfg.Get(path); n != nil {
			r := n.Value
			d.Span = lint.Span{Line: r.Start.Line, Col: r.Start.Col, EndLine: r.End.Line, EndCol: r.End.Col, Anchor: path, Secret: path != "credentials.rotated_at"}
		}
		return d
	}
	report := func(rule *lint.Rule, d lint.Diagnostic, sev lint.Severity, format string, args ...any) {
		d.Severity = sev
		d.Message = fmt.Sprintf(format, args...)
		out.findings = append(out.findings, runner.Finding(rule, d))
	}

	me, err := client.Me(ctx)
	var authErr *api.AuthError
	switch {
	case errors.As(err, &authErr) && authErr.Status == 403:
		out.verdict, out.err = verdictInvalid, err
		report(rules.AuthForbidden, at("credentials.token"), 0, "%s", err)
		return out, nil
	case errors.As(err, &authErr):
		out.verdict, out.err = verdictInvalid, err
		report(rules.AuthRejected, at("credentials.token"), 0, "%s", err)
		return out, nil
	case err != nil:
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		out.verdict, out.err = verdictUnknown, err
		return out, nil
	}
	out.me = me
	if slices.Contains(me.BearerToken.Scope, "write") {
		report(rules.TokenWriteScope, at("credentials.token"), 0,
			"the token %q has write scope, but FinFocus only reads costs; create a read-only token in Vantage and revoke this one (least privilege)", me.BearerToken.Description)
	}
	if lc.settings.RotatedAt.IsZero() {
		if created := me.BearerToken.Created(); !created.IsZero() {
			envName, from := defaultEnv, "--environment"
			if lc.file != nil {
				envName, from = rules.Environment(lc.file, lc.cfg, &lint.Settings{Environment: defaultEnv})
			}
			if envName == "" {
				envName, from = "production", "the default"
			}
			if sev, msg, ok := rules.RotationProblem(created, now, envName, from, "created"); ok {
				report(rules.StaleRotation, at("credentials.token"), sev, "%s (from the API's created_at; the config has no rotated_at)", msg)
			}
		}
	}
	if creds.WorkspaceToken != "" && creds.CostReportToken == "" {
		found := false
		for _, w := range me.Workspaces {
			found = found || w.Token == creds.WorkspaceToken
		}
		if !found {
			report(rules.WorkspaceTokenMisuse, at("params.workspace_token"), lint.Error,
				"the configured workspace is not among the token's workspaces (GET /me lists %d); use a workspace token from the same account as the API token", len(me.Workspaces))
		}
	}
	if creds.CostReportToken != "" {
		rep, err := client.CostReport(ctx, creds.CostReportToken)
		var nf *api.NotFoundError
		switch {
		case errors.As(err, &nf):
			report(rules.ReportNotFound, at("params.cost_report_token"), 0,
				"the cost report %s was not found for this token (404); copy the report's token from Vantage, and check it is in a workspace the token can see", vantage.Mask(creds.CostReportToken))
		case errors.As(err, &authErr):
			out.verdict, out.err = verdictInvalid, err
			report(rules.AuthForbidden, at("params.cost_report_token"), 0, "%s", err)
		case err != nil:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			out.verdict, out.err = verdictUnknown, err
		default:
			out.report = rep
		}
	}
	return out, nil
}

// header is the one-line verdict printed before the findings.
func (o *authOutcome) header(now time.Time) string {
	switch o.verdict {
	case verdictUnknown:
		return "unknown: the token could not be checked: " + vantage.Redact(o.err.Error())
	case verdictInvalid:
		return "invalid: " + vantage.Redact(o.err.Error())
	}
	bt := o.me.BearerToken
	s := fmt.Sprintf("verified: token %q (scopes: %s)", bt.Description, strings.Join(bt.Scope, ", "))
	if created := bt.Created(); !created.IsZero() {
		s += fmt.Sprintf(", created %s (%d days ago)", created.Format(vantage.DateLayout), daysBetween(created, now))
	}
	if o.report != nil {
		s += fmt.Sprintf("; cost report %q", o.report.Title)
	}
	return s
}

// extra is the verdict as JSON fields.
func (o *authOutcome) extra(now time.Time) map[string]any {
	m := map[string]any{"verdict": o.verdict}
	if o.err != nil {
		m["error"] = vantage.Redact(o.err.Error())
	}
	if o.me != nil {
		bt := o.me.BearerToken
		m["description"], m["scopes"], m["created_at"] = bt.Description, bt.Scope, bt.CreatedAt
		if created := bt.Created(); !created.IsZero() {
			m["age_days"] = daysBetween(created, now)
		}
	}
	if o.report != nil {
		m["report_title"] = o.report.Title
	}
	return m
}

// verdictCode is the exit code for a verdict.
func verdictCode(v string) int {
	switch v {
	case verdictInvalid:
		return ExitAuth
	case verdictUnknown:
		return ExitAPI
	}
	return ExitOK
}

// daysBetween counts calendar days from a to b.
func daysBetween(a, b time.Time) int {
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	return int(day(b).Sub(day(a.UTC())).Hours() / 24)
}
