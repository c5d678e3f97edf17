package main

import (
	"strings"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/rules"
	"github.com/urfave/cli/v2"
)

func authCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "auth",
		Usage: "verify the token against the Vantage API (verified, invalid or unknown)",
		Description: "Resolves the token exactly as the plugin does, calls GET /me and, when a cost report\n" +
			"is configured, GET /cost_reports/{token}. Exit 0 verified, 3 rejected, 4 unknown\n" +
			"(the check itself failed), 1 for other error findings (report not found).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "plugin config `FILE` (default: the token from FINFOCUS_VANTAGE_TOKEN alone)"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output format: " + strings.Join(lint.Formats(), ", ")},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to `FILE`"},
			&cli.StringFlag{Name: "environment", Usage: "environment when the config names none"},
			&cli.StringFlag{Name: "now", Usage: "treat `YYYY-MM-DD` as today"},
			baseURLFlag,
		},
		Action: func(c *cli.Context) error {
			write, ok := lint.Writers[c.String("format")]
			if !ok {
				return usageErrorf("unknown --format %q; use one of %s", c.String("format"), strings.Join(lint.Formats(), ", "))
			}
			now, err := today(c)
			if err != nil {
				return err
			}
			var lc *liveConfig
			if p := c.String("config"); p != "" {
				var err error
				if lc, err = loadConfig(p); err != nil {
					return err
				}
			}
			out, err := authCheck(c.Context, c, e, lc, now, c.String("environment"))
			if err != nil {
				return err
			}
			fs := lint.Finalize(out.findings)
			rep := lint.NewReport(lint.Tool{Name: "finfocus-vantage", Version: Version()}, fs, rules.Live)
			if lc != nil {
				rep.Summary.Configs = 1
			}
			rep.Docs = ruleDoc
			rep.Header = out.header(now)
			rep.Extra = map[string]any{"auth": out.extra(now)}
			if err := emit(c, write, rep); err != nil {
				return err
			}
			if code := verdictCode(out.verdict); code != ExitOK {
				return &exitError{code: code}
			}
			if lint.Worst(fs) >= lint.Error {
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
}
