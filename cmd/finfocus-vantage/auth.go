package main

import (
	"github.com/rshade/finfocus-vantage/auth"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/rules"
	"github.com/urfave/cli/v2"
)

func authCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "auth",
		Usage: "verify the token against the Vantage API (verified, invalid or unknown)",
		Description: "Resolves the token exactly as the chosen plugin version does (the releases:\n" +
			"FINFOCUS_VANTAGE_TOKEN, FINFOCUS_VANTAGE_COST_REPORT_TOKEN and FINFOCUS_VANTAGE_BASE_URL, trimmed),\n" +
			"calls GET /me and, when a cost report\n" +
			"is configured, GET /cost_reports/{token}. A token of the wrong shape is never sent.\n\n" +
			"EXAMPLES:\n" +
			"   finfocus-vantage auth                                    # the environment, as the plugin reads it\n" +
			"   finfocus-vantage check --env && finfocus-vantage auth    # before finfocus cost actual\n" +
			"   finfocus-vantage auth --config deploy/vantage.yaml --format json\n\n" +
			"EXIT CODES: 0 verified, 1 error findings (a malformed token, a report not found),\n" +
			"   2 usage, 3 rejected by the API, 4 the check itself failed (network, API), 130 interrupted.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "plugin config `FILE` (default: the environment alone, read as the plugin version reads it)"},
			pluginVersionFlag(),
			formatFlag(),
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to `FILE`"},
			&cli.StringFlag{Name: "environment", Usage: "the `ENV` (environment: production, staging or development) when the config names none"},
			nowFlag,
			allowEnvFlag,
			baseURLFlag,
		},
		Action: func(c *cli.Context) error {
			write, err := reportWriter("--format", c.String("format"))
			if err != nil {
				return err
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
			if p := c.String("config"); p != "" {
				if cfg, err = auth.Load(p); err != nil {
					return withCode(exitUsage, err)
				}
			}
			out, err := auth.Check(c.Context, cfg, authOptions(c, e, now, c.String("environment"), pv))
			if err != nil {
				return authError(c, err)
			}
			fs := lint.Finalize(out.Findings)
			rep := newReport(fs, rules.Live, lint.Stats{})
			if cfg != nil {
				rep.Summary.Configs = 1
			}
			rep.Header = out.Header(now)
			rep.Extra = map[string]any{"auth": out.Fields(now)}
			if err := emit(c, write, rep); err != nil {
				return err
			}
			if code := verdictCode(out.Verdict); code != exitOK {
				return &exitError{code: code}
			}
			if lint.Worst(fs) >= lint.Error {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
}
