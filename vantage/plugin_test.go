package vantage

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml/parser"
)

// corpusVerdict is one line of testdata/realworld/verdicts.tsv: what the
// real plugin's loader did with a config.
type corpusVerdict struct {
	file, verdict, reason string
}

func readVerdicts(t *testing.T) []corpusVerdict {
	t.Helper()
	f, err := os.Open("../testdata/realworld/verdicts.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusVerdict
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") || sc.Text() == "" {
			continue
		}
		parts := strings.SplitN(sc.Text(), "\t", 3)
		v := corpusVerdict{file: parts[0], verdict: parts[1]}
		if len(parts) == 3 {
			v.reason = parts[2]
		}
		out = append(out, v)
	}
	if len(out) < 60 {
		t.Fatalf("only %d verdicts", len(out))
	}
	return out
}

// TestModelAgreesWithThePlugin checks the plugin model against the real
// plugin's verdicts: a config the plugin refused has a problem the model
// says the plugin refuses, and a config it loaded has none.
func TestModelAgreesWithThePlugin(t *testing.T) {
	files, _ := filepath.Glob("../testdata/realworld/configs/*.yaml")
	verdicts := readVerdicts(t)
	if len(files) != len(verdicts) {
		t.Fatalf("%d configs but %d verdicts: run testdata/realworld/oracle/oracle.sh", len(files), len(verdicts))
	}
	for _, v := range verdicts {
		t.Run(v.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("../testdata/realworld/configs", v.file))
			if err != nil {
				t.Fatal(err)
			}
			ast, err := parser.ParseBytes(src, parser.ParseComments, parser.AllowDuplicateMapKey())
			if err != nil {
				t.Fatal(err)
			}
			var pluginRefuses []string
			for _, p := range FromAST(ast).Validate() {
				if p.RefusedBy&Plugin != 0 {
					pluginRefuses = append(pluginRefuses, p.Message)
				}
			}
			switch v.verdict {
			case "refused":
				if len(pluginRefuses) == 0 {
					t.Errorf("the plugin refused it (%s), the model finds nothing it refuses", v.reason)
				}
			case "loaded":
				if len(pluginRefuses) > 0 {
					t.Errorf("the plugin loaded it, the model says it refuses: %q", pluginRefuses)
				}
			default:
				t.Fatalf("verdict %q", v.verdict)
			}
		})
	}
}

func TestPluginReadings(t *testing.T) {
	for _, tc := range []struct {
		yaml string
		want int
	}{
		{"credentials:\n  token: ${PULUMICOST_VANTAGE_TOKEN}\n", 0},
		{"credentials:\n  token: ${FINFOCUS_VANTAGE_TOKEN}\n", 1},
		{"params:\n  cost_report_token: ${FINFOCUS_VANTAGE_COST_REPORT_TOKEN}\n", 1},
		{"params:\n  cost_report_token: rprt_3f9a1c2b7d4e6f80\n", 0},
		{"environment: ${X}\n", 0},
	} {
		ast, err := parser.ParseBytes([]byte(tc.yaml), 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := PluginReadings(FromAST(ast)); len(got) != tc.want {
			t.Errorf("%q: %d readings %v, want %d", tc.yaml, len(got), got, tc.want)
		}
	}
}

// TestTokenPrecedence: auth and pull use the token the chosen plugin
// version would. The loader at 1c637b6: PULUMICOST_VANTAGE_TOKEN, else
// credentials.token, else FINFOCUS_VANTAGE_TOKEN. The releases read no
// file and no PULUMICOST name: the config's token (finfocus-vantage's own
// file), else FINFOCUS_VANTAGE_TOKEN trimmed. A note when set sources
// differ.
func TestTokenPrecedence(t *testing.T) {
	const a, b, c = "vntg_tkn_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "vntg_tkn_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "vntg_tkn_cccccccccccccccccccccccccccccccccccccccc"
	withToken := func(tok string) *Config {
		ast, err := parser.ParseBytes([]byte("credentials:\n  token: "+tok+"\n"), 0)
		if err != nil {
			t.Fatal(err)
		}
		return FromAST(ast)
	}
	for _, tc := range []struct {
		name      string
		version   string
		cfg       *Config
		env       map[string]string
		want, src string
		notes     int
	}{
		{"plugin variable wins", "1c637b6", withToken("${FINFOCUS_VANTAGE_TOKEN}"), map[string]string{PluginEnvToken: a, EnvToken: b}, a, PluginEnvToken, 1},
		{"plugin variable over a literal", "1c637b6", withToken(c), map[string]string{PluginEnvToken: a}, a, PluginEnvToken, 1},
		{"same token twice is no news", "1c637b6", withToken("${FINFOCUS_VANTAGE_TOKEN}"), map[string]string{PluginEnvToken: a, EnvToken: a}, a, PluginEnvToken, 0},
		{"file next", "1c637b6", withToken("${FINFOCUS_VANTAGE_TOKEN}"), map[string]string{EnvToken: b}, b, "credentials.token", 0},
		{"literal over the FinFocus variable", "1c637b6", withToken(c), map[string]string{EnvToken: b}, c, "credentials.token", 1},
		{"FinFocus variable last", "1c637b6", nil, map[string]string{EnvToken: b}, b, EnvToken, 0},
		{"an empty plugin variable is skipped", "1c637b6", nil, map[string]string{PluginEnvToken: "", EnvToken: b}, b, EnvToken, 0},
		{"release: no PULUMICOST name", "v0.1.1", withToken("${FINFOCUS_VANTAGE_TOKEN}"), map[string]string{PluginEnvToken: a, EnvToken: b}, b, "credentials.token", 0},
		{"release: the environment alone, trimmed", "v0.1.1", nil, map[string]string{PluginEnvToken: a, EnvToken: "  " + b + "\n"}, b, EnvToken, 0},
		{"release: a literal over the variable", "v0.1.1", withToken(c), map[string]string{EnvToken: b}, c, "credentials.token", 1},
		{"release: a blank variable is no token", "v0.1.1", withToken(c), map[string]string{EnvToken: "  "}, c, "credentials.token", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Resolver{Env: func(n string) (string, bool) { v, ok := tc.env[n]; return v, ok }, Version: FindPluginVersion(tc.version)}
			cr, err := r.Credentials(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if cr.Token != tc.want || cr.TokenSource != tc.src || len(cr.Notes) != tc.notes {
				t.Errorf("got %s from %s, notes %q; want %s from %s, %d notes", Mask(cr.Token), cr.TokenSource, cr.Notes, Mask(tc.want), tc.src, tc.notes)
			}
			for _, n := range cr.Notes {
				if strings.Contains(n, "vntg_tkn_") {
					t.Errorf("note leaks a token: %s", n)
				}
			}
		})
	}
	if _, err := (Resolver{}).Credentials(nil); err == nil {
		t.Error("no token anywhere: want an error")
	}
	blank := Resolver{Env: func(n string) (string, bool) { return " ", n == EnvToken }}
	if _, err := blank.Credentials(nil); err == nil {
		t.Error("a blank FINFOCUS_VANTAGE_TOKEN under the release: want an error, as the plugin refuses it")
	}
	// The releases read FINFOCUS_VANTAGE_TOKEN by its name alone: a
	// FINFOCUS_VANTAGE_TOKEN_FILE holds no token for them.
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte(a+"\n"), 0o600)
	fileOnly := func(v string) Resolver {
		return Resolver{Env: func(n string) (string, bool) { return tokenFile, n == EnvToken+FileSuffix }, Version: FindPluginVersion(v)}
	}
	if _, err := fileOnly("v0.1.1").Credentials(nil); err == nil || !strings.Contains(err.Error(), "by that name alone: no FINFOCUS_VANTAGE_TOKEN_FILE") {
		t.Errorf("release with only a token file: %v", err)
	}
	report := Resolver{Env: func(n string) (string, bool) {
		return map[string]string{EnvToken: a, EnvCostReportToken: " rprt_0123456789abcdef "}[n], n == EnvToken || n == EnvCostReportToken
	}}
	if cr, err := report.Credentials(nil); err != nil || cr.CostReportToken != "rprt_0123456789abcdef" {
		t.Errorf("release without a config: the report comes from %s, trimmed; got %q, %v", EnvCostReportToken, cr.CostReportToken, err)
	}
}

func TestPluginDateOverrides(t *testing.T) {
	s := Settings{StartDate: "2026-01-01", EndDate: "2026-01-31"}
	env := map[string]string{PluginEnvStartDate: "2026-02-01", PluginEnvEndDate: ""}
	got := s.WithPluginEnv(func(n string) (string, bool) { v, ok := env[n]; return v, ok })
	if got.StartDate != "2026-02-01" || got.EndDate != "2026-01-31" {
		t.Errorf("got %s..%s; want the start from the environment, the end from the config (an empty variable is unset)", got.StartDate, got.EndDate)
	}
}

// TestDocShort holds the package's surface small: go doc -short lists at
// most 50 lines (constants, variables, functions and types).
func TestDocShort(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command("go", "doc", "-short", ".").Output()
	if err != nil {
		t.Fatalf("go doc: %v", err)
	}
	if n := strings.Count(string(out), "\n"); n > 50 {
		t.Errorf("go doc -short ./vantage is %d lines; keep it at 50 or fewer (unexport what other packages do not use):\n%s", n, out)
	}
}
