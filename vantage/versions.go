package vantage

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/rshade/finfocus-vantage/internal/suggest"
)

// PluginVersion is one version of the FinFocus Vantage plugin as this
// package models it: where it takes its settings from and what makes it
// refuse to work. Every fact was read in the plugin's own code at Commit
// (Source names the files); docs/plugin.md cites each, and
// testdata/plugin-versions holds the verdict each version's code gave on
// a corpus of environments.
type PluginVersion struct {
	// Name is how --plugin-version names it; Also lists other names for
	// the same code.
	Name string
	Also []string
	// Commit is the plugin commit the facts were read at, Source the files
	// read, and About one line saying what the version is.
	Commit, Source, About string
	// File reports whether it reads a YAML config file (the loader at
	// 1c637b6). The releases read none: the environment, and a token the
	// FinFocus host may send with each request.
	File bool
	// Token, Report and BaseURL are the variables it reads the API token,
	// the cost report token and the API root from ("" for none).
	Token, Report, BaseURL string
	// Trim reports whether it trims blanks from the values it reads.
	Trim bool
	// Reads lists every environment variable it reads.
	Reads []string
}

// PluginVersions are the versions finfocus-vantage knows, newest first:
// the first is the default when none is chosen or detected.
var PluginVersions = []*PluginVersion{
	{
		Name: "v0.1.1", Also: []string{"0.1.1", "v0.1.0", "0.1.0"},
		Commit: "1c49346",
		Source: "internal/plugin/plugin.go at 1c49346 (New, clientForRequest), internal/vantageapi/client.go at e6beba2 (NewClient), CHANGELOG.md at 2dfed37 (v0.1.1 changed only the release build)",
		About:  "the released gRPC plugin (v0.1.0, v0.1.1): reads no config file, only FINFOCUS_VANTAGE_* variables and a per-request token",
		Token:  EnvToken, Report: EnvCostReportToken, BaseURL: EnvBaseURL, Trim: true,
		Reads: []string{EnvToken, EnvCostReportToken, EnvBaseURL},
	},
	{
		Name:   "1c637b6",
		Commit: "1c637b6",
		Source: "internal/vantage/adapter/config.go at 1c637b6 (LoadConfig, ValidateConfig)",
		About:  "the untagged YAML loader FinFocus's docs describe: a config file, PULUMICOST_VANTAGE_TOKEN and the two date variables",
		File:   true,
		Token:  PluginEnvToken,
		Reads:  []string{PluginEnvToken, PluginEnvStartDate, PluginEnvEndDate},
	},
}

// FindPluginVersion returns the version a user names, by its name or
// another name of the same code, or nil.
func FindPluginVersion(name string) *PluginVersion {
	for _, v := range PluginVersions {
		if v.Name == name || slices.Contains(v.Also, name) {
			return v
		}
	}
	return nil
}

// EnvProblem is what CheckEnv found about one variable.
type EnvProblem struct {
	// Var is the variable the problem is about.
	Var string
	// Refused means the version refuses to work with this environment (an
	// error); Warn, that it would work but not as the user evidently meant
	// (a warning); neither, a remark (a notice).
	Refused, Warn bool
	// Message says what the version does and what to do. It names
	// variables, never their values.
	Message string
}

// CheckEnv checks an environment the way v reads it: names lists the
// variables set (any order), env looks their values up, and c is the
// config file v would load, or nil.
func (v *PluginVersion) CheckEnv(names []string, env Lookup, c *Config) []EnvProblem {
	e := envCheck{v: v, env: env, names: names, c: c}
	if v.File {
		e.loader()
	} else {
		e.released()
	}
	e.ignored()
	slices.SortStableFunc(e.out, func(a, b EnvProblem) int { return strings.Compare(a.Var, b.Var) })
	return e.out
}

type envCheck struct {
	v     *PluginVersion
	env   Lookup
	names []string
	c     *Config
	out   []EnvProblem
}

func (e *envCheck) get(name string) (string, bool) {
	if e.env == nil {
		return "", false
	}
	return e.env(name)
}

func (e *envCheck) add(name string, refused, warn bool, format string, args ...any) {
	e.out = append(e.out, EnvProblem{Var: name, Refused: refused, Warn: warn, Message: fmt.Sprintf(format, args...)})
}

// alsoSet names the variables among those given that are set and not
// blank, for "you set X, which it does not read".
func (e *envCheck) alsoSet(names ...string) string {
	var set []string
	for _, n := range names {
		if val, ok := e.get(n); ok && strings.TrimSpace(val) != "" {
			set = append(set, n)
		}
	}
	if len(set) == 0 {
		return ""
	}
	return fmt.Sprintf(" (%s is set, but %s does not read it: move its value)", strings.Join(set, " and "), e.v.Name)
}

// released checks the variables of the gRPC releases: the token (the
// per-request one wins, the environment's is the fallback), the cost
// report token, which is required even with a per-request token, and the
// API root.
func (e *envCheck) released() {
	v := e.v
	e.add(v.Token, false, false, "plugin %s takes the token FinFocus sends with each request (x-finfocus-credential-vantage-token) when there is one, else %s; the environment cannot show the first, so this checks the fallback", v.Name, v.Token)
	tok, set := e.get(v.Token)
	switch {
	case !set:
		e.add(v.Token, true, false, "%s is not set: plugin %s answers every cost request with Unauthenticated (\"Vantage token is required\") unless FinFocus sends a token with it; export %s with a read-only Vantage API token%s",
			v.Token, v.Name, v.Token, e.alsoSet(PluginEnvToken, EnvToken+FileSuffix, "FINFOCUS_PLUGIN_VANTAGE_TOKEN"))
	case strings.TrimSpace(tok) == "":
		e.add(v.Token, true, false, "%s is set but blank: plugin %s trims it to nothing and answers Unauthenticated (\"Vantage token is required\"); set it to the token", v.Token, v.Name)
	default:
		e.tokenShape(v.Token, tok)
	}
	rep, set := e.get(v.Report)
	inFile := ""
	if e.c != nil && e.c.Text("params.cost_report_token") != "" {
		inFile = fmt.Sprintf(" (the config's params.cost_report_token is not read by %s: it reads no file)", v.Name)
	}
	switch {
	case !set:
		e.add(v.Report, true, false, "%s is not set: plugin %s needs it to choose the Cost Report, even when FinFocus sends a token, and answers FailedPrecondition (\"Vantage cost report token is required\"); export %s with the report's token from Vantage (rprt_…)%s%s",
			v.Report, v.Name, v.Report, inFile, e.alsoSet(EnvWorkspaceToken, EnvCostReportToken+FileSuffix, "FINFOCUS_PLUGIN_VANTAGE_COST_REPORT_TOKEN"))
	case strings.TrimSpace(rep) == "":
		e.add(v.Report, true, false, "%s is set but blank: plugin %s trims it to nothing and answers FailedPrecondition (\"Vantage cost report token is required\"); set it to the report's token (rprt_…)", v.Report, v.Name)
	default:
		switch ClassifyToken(strings.TrimSpace(rep)) {
		case APIToken, MalformedAPIToken:
			e.add(v.Report, false, true, "%s holds an API token, not a report's token: plugin %s sends it as the cost_report_token query parameter, where proxies and logs keep it; set the report's token (rprt_…) and rotate that API token", v.Report, v.Name)
		case WorkspaceID, WorkspaceToken:
			e.add(v.Report, false, true, "%s holds a workspace token: plugin %s selects costs by Cost Report only and Vantage will not find this one; set the report's token (rprt_…)", v.Report, v.Name)
		case Placeholder:
			e.add(v.Report, false, true, "%s holds a placeholder, not a report's token; set the report's token from Vantage (rprt_…)", v.Report)
		}
	}
	e.baseURL()
}

// tokenShape warns about a token plugin v would send but Vantage cannot
// accept.
func (e *envCheck) tokenShape(name, tok string) {
	t := strings.TrimSpace(tok)
	if t != tok && e.v.Trim {
		e.add(name, false, false, "%s has blanks around the token, which plugin %s trims (finfocus-vantage auth too)", name, e.v.Name)
	}
	for _, r := range t {
		if r < 0x21 || r > 0x7e {
			e.add(name, false, true, "%s holds characters other than printable ASCII, which no HTTP client sends in an Authorization header, so every request fails; copy the token again", name)
			return
		}
	}
	switch ClassifyToken(t) {
	case APIToken:
	case MalformedAPIToken:
		e.add(name, false, true, "%s starts like a Vantage API token but is not vntg_tkn_ and 40 hex digits (usually cut short when copied); copy it again", name)
	case ReportID, CostReportToken:
		e.add(name, false, true, "%s holds a cost report token, not an API token, and Vantage will answer 401; set the API token there and the report's token in %s", name, EnvCostReportToken)
	case WorkspaceID, WorkspaceToken:
		e.add(name, false, true, "%s holds a workspace token, not an API token, and Vantage will answer 401; set a read-only API token (vntg_tkn_…)", name)
	case Placeholder:
		e.add(name, false, true, "%s holds a placeholder, not a token; set a read-only Vantage API token (vntg_tkn_…)", name)
	default:
		e.add(name, false, false, "%s does not look like a Vantage API token (vntg_tkn_ and 40 hex digits), which is all the API issues today; finfocus-vantage auth says whether Vantage takes it", name)
	}
}

// baseURL checks the API root as the releases' client reads it: taken as
// given (not trimmed); a value starting http:// is refused unless its host
// is loopback; any other value is used with HTTPS, its host being what
// precedes the first slash once https:// is cut.
func (e *envCheck) baseURL() {
	name := e.v.BaseURL
	u, set := e.get(name)
	if !set {
		return
	}
	host := pluginHost(u)
	shown := host
	if i := strings.LastIndexByte(shown, '@'); i >= 0 {
		shown = shown[i+1:] // never print credentials in a URL
	}
	switch {
	case u == "":
		e.add(name, false, false, "%s is set but empty, so plugin %s uses https://api.vantage.sh/v2", name, e.v.Name)
	case strings.HasPrefix(u, "http://") && !pluginLoopback(host):
		e.add(name, true, false, "%s is plain http:// to %q, which is not a loopback address: plugin %s refuses every request (InvalidArgument \"Vantage client configuration is invalid\"), so the token never travels unencrypted; use https://, and for an egress proxy leave %s unset and set HTTPS_PROXY",
			name, shown, e.v.Name, name)
	case strings.HasPrefix(u, "http://"):
		e.add(name, false, false, "%s is plain http:// to the loopback address %q (a local mock or tunnel), which plugin %s allows", name, shown, e.v.Name)
	case u != strings.TrimSpace(u):
		e.add(name, false, true, "%s has blanks around it, which plugin %s does not trim: it would ask the host %q and every request would fail; remove them", name, e.v.Name, shown)
	case !strings.HasPrefix(u, "https://") && strings.Contains(u, "://"):
		e.add(name, false, true, "%s does not start with https:// or http:// in lower case: plugin %s takes %q for the host name and every request would fail; write https://…", name, e.v.Name, shown)
	case !strings.HasPrefix(u, "https://"):
		e.add(name, false, false, "%s has no scheme; plugin %s connects to %q with HTTPS", name, e.v.Name, shown)
	case pluginLoopback(host):
	case !strings.EqualFold(strings.Split(shown, ":")[0], "api.vantage.sh"):
		e.add(name, false, true, "%s sends the token to %q, not api.vantage.sh: make sure that host is yours (a proxy or a mock), or unset it", name, shown)
	}
}

// pluginHost is the host part of an API root as the releases' client
// splits it: the scheme cut (https:// or http://, as written), then
// everything before the first slash.
func pluginHost(u string) string {
	u = strings.TrimPrefix(u, "https://")
	u = strings.TrimPrefix(u, "http://")
	host, _, _ := strings.Cut(u, "/")
	return host
}

// pluginLoopback is the releases' loopback test: localhost (with a port or
// not), or an address that parses as loopback once a last :port is cut.
// [::1] in brackets does not parse, so the client refuses it with http.
func pluginLoopback(host string) bool {
	if host == "localhost" || strings.HasPrefix(host, "localhost:") {
		return true
	}
	h := host
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i+1:], ":") {
		h = host[:i]
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// loader checks the variables of the YAML loader at 1c637b6: the token
// overrides the file's credentials.token when not empty (blanks are not
// trimmed), and the two dates override the file's.
func (e *envCheck) loader() {
	v := e.v
	tok, _ := e.get(v.Token)
	fileTok := ""
	if e.c != nil {
		if n := e.c.getFold("credentials.token"); n != nil && n.Kind == Scalar && n.Type == "string" {
			fileTok = n.Text
		}
	}
	switch {
	case tok == "" && e.c != nil && fileTok == "":
		e.add(v.Token, true, false, "%s is not set and the config has no credentials.token: plugin %s refuses to load (\"credentials.token is required\"); export %s with a read-only Vantage API token%s",
			v.Token, v.Name, v.Token, e.alsoSet(EnvToken, EnvToken+FileSuffix, "FINFOCUS_PLUGIN_VANTAGE_TOKEN"))
	case tok == "" && e.c == nil:
		e.add(v.Token, false, true, "%s is not set: plugin %s then needs credentials.token in its config file; pass --config FILE to check both", v.Token, v.Name)
	case tok == "":
	case strings.TrimSpace(tok) == "":
		e.add(v.Token, false, true, "%s is set but blank: plugin %s does not trim it, uses the blanks as the token (over the file's) and Vantage answers 401; set it to the token or unset it", v.Token, v.Name)
	default:
		e.tokenShape(v.Token, tok)
	}
	var dates [2]time.Time
	for i, name := range []string{PluginEnvStartDate, PluginEnvEndDate} {
		val, _ := e.get(name)
		if val == "" {
			if e.c != nil {
				dates[i] = e.c.date([]string{"params.start_date", "params.end_date"}[i])
			}
			continue
		}
		t, err := time.Parse(DateLayout, val)
		if err != nil {
			e.add(name, true, false, "%s is not a date written YYYY-MM-DD: plugin %s refuses to load; fix it or unset it", name, v.Name)
			continue
		}
		dates[i] = t
	}
	if !dates[0].IsZero() && !dates[1].IsZero() && dates[1].Before(dates[0]) {
		e.add(PluginEnvEndDate, true, false, "the end date (%s) is before the start date (%s) once %s and %s override the config's: plugin %s refuses to load; fix the dates",
			dates[1].Format(DateLayout), dates[0].Format(DateLayout), PluginEnvStartDate, PluginEnvEndDate, v.Name)
	}
}

// ignored warns about variables v does not read that a user evidently
// meant for it, naming the one it reads.
func (e *envCheck) ignored() {
	v := e.v
	seen := map[string]bool{}
	for _, name := range e.names {
		if seen[name] || slices.Contains(v.Reads, name) || name == EnvPluginVersion {
			continue
		}
		seen[name] = true
		val, _ := e.get(name)
		if strings.TrimSpace(val) == "" {
			continue // nothing meant
		}
		if want := v.Instead(name, e.env); want != "" {
			e.add(name, false, true, "plugin %s does not read %s; %s", v.Name, name, want)
		}
	}
}

// Instead says what to set instead of a variable v does not read but a
// user evidently meant for the plugin (an older or a neighbouring name),
// or "" when v reads it or it is not meant for the plugin. env, when not
// nil, lets it say when the two names hold different values.
func (v *PluginVersion) Instead(name string, env Lookup) string {
	if slices.Contains(v.Reads, name) || name == EnvPluginVersion {
		return ""
	}
	upper := strings.ToUpper(name)
	suffix := ""
	for _, p := range []string{"PULUMICOST_VANTAGE_", "FINFOCUS_PLUGIN_VANTAGE_", EnvPrefix} {
		if s, ok := strings.CutPrefix(upper, p); ok {
			suffix = s
			break
		}
	}
	if suffix == "" {
		return ""
	}
	file := strings.HasSuffix(suffix, FileSuffix)
	base := strings.TrimSuffix(suffix, FileSuffix)
	target := ""
	switch base {
	case "TOKEN", "API_TOKEN", "ACCESS_TOKEN":
		target = v.Token
	case "COST_REPORT_TOKEN", "REPORT_TOKEN", "COST_REPORT":
		target = v.Report
	case "BASE_URL", "API_URL", "ENDPOINT":
		target = v.BaseURL
	case "START_DATE", "END_DATE":
		if v.File {
			target = "PULUMICOST_VANTAGE_" + base
		} else {
			return "it reads no dates: FinFocus sends the period with each request (finfocus cost actual --from and --to)"
		}
	case "WORKSPACE_TOKEN":
		if v.File {
			return "put the workspace token in the config file as params.workspace_token (it is an identifier, not a secret)"
		}
		return fmt.Sprintf("no release reads a workspace token: it selects costs by Cost Report, so set %s to the report's token (rprt_…)", v.Report)
	}
	switch {
	case target == "" && v.File && base == "COST_REPORT_TOKEN":
		return "put the report's token in the config file as params.cost_report_token (it is an identifier, not a secret)"
	case target == "":
		msg := fmt.Sprintf("the variables it reads are %s", strings.Join(v.Reads, ", "))
		if s := suggest.Closest(name, v.Reads); s != "" {
			msg = fmt.Sprintf("did you mean %s? %s", s, msg)
		}
		return msg
	case file:
		return fmt.Sprintf("it reads no _FILE variables: give %s the value itself (in a shell, export %s=\"$(cat FILE)\"; in Kubernetes, valueFrom.secretKeyRef)", target, target)
	case target == name:
		return "" // read after all
	}
	if env != nil {
		val, _ := env(name)
		if other, ok := env(target); ok && strings.TrimSpace(other) != "" && strings.TrimSpace(other) != strings.TrimSpace(val) {
			return fmt.Sprintf("%s and %s hold different values and it uses %s; unset %s so there is one", name, target, target, name)
		}
	}
	return fmt.Sprintf("set %s instead", target)
}
