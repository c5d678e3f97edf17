package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
)

// completionCommand prints a shell completion script for the commands and
// their flags, made from the command definitions themselves.
func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh, fish or powershell",
		ArgsUsage: "SHELL",
		Description: "Load it in your shell's startup file, for example:\n" +
			"  bash:        source <(finfocus-vantage completion bash)\n" +
			"  zsh:         source <(finfocus-vantage completion zsh)\n" +
			"  fish:        finfocus-vantage completion fish | source\n" +
			"  powershell:  finfocus-vantage completion powershell | Out-String | Invoke-Expression",
		Action: func(c *cli.Context) error {
			shell := c.Args().First()
			cmds := completionSpec(c.App)
			switch shell {
			case "bash":
				return writeBash(c.App.Writer, cmds, false)
			case "zsh":
				return writeBash(c.App.Writer, cmds, true)
			case "fish":
				return writeFish(c.App.Writer, cmds)
			case "powershell", "pwsh":
				return writePowerShell(c.App.Writer, cmds)
			case "":
				return usageErrorf("completion needs a shell: bash, zsh, fish or powershell")
			}
			return usageErrorf("completion %q: the shells are bash, zsh, fish and powershell", shell)
		},
	}
}

type completionCmd struct {
	name, usage string
	flags       []completionFlag
}

type completionFlag struct{ name, usage string }

func completionSpec(app *cli.App) []completionCmd {
	var out []completionCmd
	for _, c := range app.Commands {
		if c.Hidden {
			continue
		}
		cc := completionCmd{name: c.Name, usage: c.Usage}
		for _, f := range append(append([]cli.Flag{}, c.Flags...), termFlags()...) {
			usage := ""
			if d, ok := f.(cli.DocGenerationFlag); ok {
				usage = d.GetUsage()
			}
			for _, n := range f.Names() {
				if len(n) > 1 {
					cc.flags = append(cc.flags, completionFlag{"--" + n, usage})
				}
			}
		}
		sort.Slice(cc.flags, func(i, j int) bool { return cc.flags[i].name < cc.flags[j].name })
		out = append(out, cc)
	}
	return out
}

func writeBash(w io.Writer, cmds []completionCmd, zsh bool) error {
	var b strings.Builder
	b.WriteString("# finfocus-vantage completion\n")
	if zsh {
		b.WriteString("(( $+functions[compdef] )) || { autoload -U +X compinit && compinit -u }\nautoload -U +X bashcompinit && bashcompinit\n")
	}
	var names []string
	for _, c := range cmds {
		names = append(names, c.name)
	}
	b.WriteString("_finfocus_vantage() {\n  local cur=${COMP_WORDS[COMP_CWORD]}\n  COMPREPLY=()\n")
	fmt.Fprintf(&b, "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n    COMPREPLY=($(compgen -W %q -- \"$cur\"))\n    return\n  fi\n", strings.Join(names, " "))
	b.WriteString("  case \"${COMP_WORDS[1]}\" in\n")
	for _, c := range cmds {
		var fl []string
		for _, f := range c.flags {
			fl = append(fl, f.name)
		}
		fmt.Fprintf(&b, "    %s) [[ $cur == -* ]] && COMPREPLY=($(compgen -W %q -- \"$cur\")) ;;\n", c.name, strings.Join(fl, " "))
	}
	b.WriteString("  esac\n}\ncomplete -o default -F _finfocus_vantage finfocus-vantage\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// quoteSingle quotes for fish and PowerShell single-quoted strings.
func quoteSingle(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\n", " "), "'", "''")
	return "'" + s + "'"
}

func writeFish(w io.Writer, cmds []completionCmd) error {
	var b strings.Builder
	b.WriteString("# finfocus-vantage completion\ncomplete -c finfocus-vantage -f\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "complete -c finfocus-vantage -n __fish_use_subcommand -a %s -d %s\n", c.name, strings.ReplaceAll(quoteSingle(c.usage), "''", `\'`))
		for _, f := range c.flags {
			fmt.Fprintf(&b, "complete -c finfocus-vantage -n '__fish_seen_subcommand_from %s' -l %s -d %s\n", c.name, strings.TrimPrefix(f.name, "--"), strings.ReplaceAll(quoteSingle(f.usage), "''", `\'`))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writePowerShell(w io.Writer, cmds []completionCmd) error {
	var b strings.Builder
	b.WriteString("# finfocus-vantage completion\nRegister-ArgumentCompleter -Native -CommandName finfocus-vantage -ScriptBlock {\n")
	b.WriteString("  param($wordToComplete, $commandAst, $cursorPosition)\n  $words = $commandAst.CommandElements | ForEach-Object { $_.ToString() }\n  $flags = @{\n")
	var names []string
	for _, c := range cmds {
		names = append(names, quoteSingle(c.name))
		var fl []string
		for _, f := range c.flags {
			fl = append(fl, quoteSingle(f.name))
		}
		fmt.Fprintf(&b, "    %s = @(%s)\n", quoteSingle(c.name), strings.Join(fl, ", "))
	}
	fmt.Fprintf(&b, "  }\n  $candidates = @(%s)\n", strings.Join(names, ", "))
	b.WriteString("  if ($words.Count -gt 1 -and $flags.ContainsKey($words[1])) { $candidates = $flags[$words[1]] }\n")
	b.WriteString("  $candidates | Where-Object { $_ -like \"$wordToComplete*\" } | ForEach-Object {\n    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)\n  }\n}\n")
	_, err := io.WriteString(w, b.String())
	return err
}
