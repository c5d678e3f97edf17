package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/rules"
	"github.com/rshade/finfocus-vantage/vantage"
	"github.com/rshade/finfocus-vantage/vantage/api"
)

// Verdict is the result of a live check (trufflehog's model).
type Verdict string

// The verdicts, from best to worst for a pipeline.
const (
	// Verified means the API accepted the token (and found the report).
	Verified Verdict = "verified"
	// Unknown means the check itself failed: network, API, timeout.
	Unknown Verdict = "unknown"
	// Invalid means the API rejected the token (401 or 403).
	Invalid Verdict = "invalid"
	// Malformed means the token is not of a Vantage API token's shape, so
	// it was not sent: a token-format error, before any request.
	Malformed Verdict = "malformed"
)

// Options are what a live check needs beyond the config.
type Options struct {
	// BaseURL is the API root; "" means FINFOCUS_VANTAGE_BASE_URL from Env,
	// else the real API. A config file can never set it.
	BaseURL string
	// UserAgent is sent with every request.
	UserAgent string
	// Env looks environment variables up (token references, base URL).
	Env vantage.Lookup
	// Now is today, for the token's age.
	Now time.Time
	// Environment is assumed for configs that name none ("" for production).
	Environment string
	// NewClient, when set, is called on every client made (tests replace
	// its clock).
	NewClient func(*api.Client)
	// AllowEnv lists variables beyond the documented ones that ${NAME}
	// references may resolve.
	AllowEnv []string
	// Version is the plugin version whose reading of the environment is
	// followed: which variables hold the token, the report and the API
	// root; nil means the newest.
	Version *vantage.PluginVersion
}

// InputError is a problem with what the user gave (a token that cannot be
// resolved, a bad base URL): the command line's fault, not the API's.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Outcome is the result of a live check of one config.
type Outcome struct {
	// Client and Creds are what the check used, for a pull to go on with.
	Client *api.Client
	Creds  vantage.Credentials
	// Verdict, and Err saying why it is not Verified.
	Verdict Verdict
	Err     error
	// Me and Report are the API's answers, when it gave them.
	Me     *api.Me
	Report *api.CostReport
	// Findings are the live rules' findings at the config's positions.
	Findings []lint.Finding
}

// client builds the API client: base URL from the options, else the
// environment, else the default; timeout and retries from the config.
func (o Options) client(token string, s vantage.Settings) (*api.Client, error) {
	opts := []api.Option{
		api.WithUserAgent(o.UserAgent),
		api.WithTimeout(s.RequestTimeout),
		api.WithMaxRetries(s.MaxRetries),
	}
	base := o.BaseURL
	if v := o.version(); base == "" && o.Env != nil && v.BaseURL != "" {
		base, _ = o.Env(v.BaseURL)
	}
	if base != "" {
		opts = append(opts, api.WithBaseURL(base))
	}
	c, err := api.NewClient(token, opts...)
	if err != nil {
		return nil, &InputError{err}
	}
	if o.NewClient != nil {
		o.NewClient(c)
	}
	return c, nil
}

func (o Options) version() *vantage.PluginVersion {
	if o.Version != nil {
		return o.Version
	}
	return vantage.PluginVersions[0]
}

// Check verifies a config's token against the API: GET /me, then the cost
// report when one is configured. cfg nil means the token from the
// environment alone. The returned error is an *InputError or the
// context's error; the API's failures are verdicts, not errors.
func Check(ctx context.Context, cfg *Config, o Options) (*Outcome, error) {
	settings := DefaultSettings()
	var model *vantage.Config
	if cfg != nil {
		settings, model = cfg.Settings, cfg.Model
	}
	creds, err := vantage.Resolver{Env: o.Env, ReadFile: func(p string) ([]byte, error) { return lint.ReadFile(p, true) }, Allow: o.AllowEnv, Version: o.Version}.Credentials(model)
	if err != nil {
		return nil, &InputError{fmt.Errorf("resolve the token: %w", err)}
	}
	out := &Outcome{Verdict: Verified, Creds: creds}
	rep := reporter{cfg: cfg, creds: creds, runner: &lint.Runner{Redact: vantage.Redact, Mask: vantage.Mask}, out: out}
	for _, note := range creds.Notes {
		rep.report(rules.PluginCompat, "credentials.token", lint.Notice, "%s", note)
	}
	// A token of the wrong shape (abc, a report ID, a truncated paste) is
	// said so here: it is never sent for the API to answer 401.
	if kind := vantage.ClassifyToken(creds.Token); creds.Token != "" && kind != vantage.APIToken && kind != vantage.EnvReference {
		out.Verdict = Malformed
		out.Err = fmt.Errorf("the token is a %s, not a Vantage API token (vntg_tkn_ and 40 hex digits), so it was not sent; copy it again from Vantage (Settings, API Access Tokens)", kind)
		rep.report(rules.TokenFormat, "credentials.token", lint.Error, "%s", out.Err)
		return out, nil
	}
	client, err := o.client(creds.Token, settings)
	if err != nil {
		return nil, err
	}
	for _, s := range []string{creds.CostReportToken, creds.WorkspaceToken} {
		if k := vantage.ClassifyToken(s); s != "" && k != vantage.ReportID && k != vantage.WorkspaceID {
			client.AddSecret(s) // a credential, or something unknown: never echoed
		}
	}
	out.Client = client

	me, err := client.Me(ctx)
	var authErr *api.AuthError
	switch {
	case errors.As(err, &authErr) && authErr.Status == 403:
		out.Verdict, out.Err = Invalid, err
		rep.report(rules.AuthForbidden, "credentials.token", 0, "%s", err)
		return out, nil
	case errors.As(err, &authErr):
		out.Verdict, out.Err = Invalid, err
		rep.report(rules.AuthRejected, "credentials.token", 0, "%s", err)
		return out, nil
	case err != nil:
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		out.Verdict, out.Err = Unknown, err
		rep.report(rules.AuthUnverified, "credentials.token", 0, "the token could not be checked, so it is neither verified nor rejected: %s; check the network and --base-url, then run again", vantage.Redact(err.Error()))
		return out, nil
	}
	out.Me = me
	if slices.Contains(me.BearerToken.Scope, "write") {
		rep.report(rules.TokenWriteScope, "credentials.token", 0,
			"the token %q has write scope, but FinFocus only reads costs; create a read-only token in Vantage and revoke this one (least privilege)", me.BearerToken.Description)
	}
	if created := me.BearerToken.Created(); settings.RotatedAt.IsZero() && !created.IsZero() {
		envName, from := o.Environment, "--environment"
		if cfg != nil {
			envName, from = rules.Environment(cfg.File, cfg.Model, &lint.Settings{Environment: o.Environment})
		}
		if envName == "" {
			envName, from = "production", "the default"
		}
		if sev, msg, ok := rules.RotationProblem(created, o.Now, envName, from, "created"); ok {
			rep.report(rules.StaleRotation, "credentials.token", sev, "%s (from the API's created_at; the config has no rotated_at)", msg)
		}
	}
	if creds.WorkspaceToken != "" && creds.CostReportToken == "" &&
		!slices.ContainsFunc(me.Workspaces, func(w api.Workspace) bool { return w.Token == creds.WorkspaceToken }) {
		rep.report(rules.WorkspaceTokenMisuse, "params.workspace_token", lint.Error,
			"the configured workspace is not among the token's workspaces (GET /me lists %d); use a workspace token from the same account as the API token", len(me.Workspaces))
	}
	if creds.CostReportToken == "" {
		return out, nil
	}
	report, err := client.CostReport(ctx, creds.CostReportToken)
	var nf *api.NotFoundError
	switch {
	case errors.As(err, &nf):
		rep.report(rules.ReportNotFound, "params.cost_report_token", 0,
			"the cost report %s was not found for this token (404); copy the report's token from Vantage, and check it is in a workspace the token can see", vantage.Mask(creds.CostReportToken))
	case errors.As(err, &authErr):
		out.Verdict, out.Err = Invalid, err
		rep.report(rules.AuthForbidden, "params.cost_report_token", 0, "%s", err)
	case err != nil:
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		out.Verdict, out.Err = Unknown, err
		rep.report(rules.AuthUnverified, "params.cost_report_token", 0, "the cost report could not be checked: %s; check the network and --base-url, then run again", vantage.Redact(err.Error()))
	default:
		out.Report = report
	}
	return out, nil
}

// reporter places live findings: at a key of the config, or, without a
// config, on the environment variable the token came from.
type reporter struct {
	cfg    *Config
	creds  vantage.Credentials
	runner *lint.Runner
	out    *Outcome
}

func (r reporter) report(rule *lint.Rule, path string, sev lint.Severity, format string, args ...any) {
	d := lint.Diagnostic{Severity: sev, Message: fmt.Sprintf(format, args...)}
	switch {
	case r.cfg == nil:
		src := r.creds.TokenSource
		if path == "params.cost_report_token" {
			src = path
		}
		d.Path, d.Span = "$"+src, lint.Span{Line: 1, Col: 1, Anchor: path}
	default:
		d.File = r.cfg.File
		d.Span = lint.Span{Line: r.cfg.Model.Start.Line, Col: r.cfg.Model.Start.Col, Anchor: path}
		if n := r.cfg.Model.Get(path); n != nil {
			v := n.Value
			d.Span = lint.Span{Line: v.Start.Line, Col: v.Start.Col, EndLine: v.End.Line, EndCol: v.End.Col, Anchor: path, Secret: path != "credentials.rotated_at"}
		}
	}
	r.out.Findings = append(r.out.Findings, r.runner.Finding(rule, d))
}

// Live is the live check of every config a scan found (check --live).
type Live struct {
	// Findings of every check, and one note per config with its verdict.
	Findings []lint.Finding
	Notes    []string
	// Verdicts are the JSON fields of each check, with "config" added.
	Verdicts []map[string]any
	// Worst is the worst verdict: Invalid, else Unknown, else Verified.
	Worst Verdict
}

// CheckAll checks each config, or, with none, the token in the
// environment.
func CheckAll(ctx context.Context, cfgs []*Config, o Options) (*Live, error) {
	if len(cfgs) == 0 {
		cfgs = []*Config{nil}
	}
	live := &Live{Worst: Verified}
	for _, cfg := range cfgs {
		out, err := Check(ctx, cfg, o)
		if err != nil {
			return nil, err
		}
		live.Findings = append(live.Findings, out.Findings...)
		name := "$" + vantage.EnvToken
		if cfg != nil {
			name = cfg.File.Name
		}
		live.Notes = append(live.Notes, fmt.Sprintf("live check of %s: %s", name, out.Header(o.Now)))
		v := out.Fields(o.Now)
		v["config"] = name
		live.Verdicts = append(live.Verdicts, v)
		if out.Verdict == Invalid || (out.Verdict == Unknown && live.Worst == Verified) {
			live.Worst = out.Verdict
		}
	}
	return live, nil
}
