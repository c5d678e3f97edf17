package rules

import (
	"path"
	"strings"

	"github.com/rshade/finfocus-vantage/internal/lazyre"
	"github.com/rshade/finfocus-vantage/lint"
)

// isMarkdown reports whether f is a Markdown document.
func isMarkdown(f *lint.File) bool {
	switch strings.ToLower(path.Ext(f.Name)) {
	case ".md", ".markdown", ".mdx":
		return true
	}
	return false
}

// mdFenceRe matches a fence line: three or more backticks or tildes, then
// the info string.
var mdFenceRe = lazyre.New("^\\s{0,3}(`{3,}|~{3,})\\s*([^`\\s]*)")

// shellLanguages are the info strings of fenced blocks that readers run in
// a shell; a block without one is usually a command too.
var shellLanguages = map[string]bool{"": true, "sh": true, "bash": true, "shell": true, "zsh": true, "console": true, "shell-session": true, "shellsession": true, "terminal": true}

type shellFenceKey struct{}

// shellFenceLines returns, indexed by line number, which lines of a
// Markdown file are inside a fenced block of shell commands.
func shellFenceLines(f *lint.File) []bool {
	return f.Memo(shellFenceKey{}, func() any {
		in := make([]bool, f.LineCount()+1)
		open, shell := "", false
		for n := 1; n <= f.LineCount(); n++ {
			m := mdFenceRe().FindStringSubmatch(f.Line(n))
			switch {
			case open == "" && m != nil:
				open, shell = m[1], shellLanguages[strings.ToLower(m[2])]
			case open != "" && m != nil && m[1][0] == open[0] && len(m[1]) >= len(open) && m[2] == "":
				open = ""
			case open != "":
				in[n] = shell
			}
		}
		return in
	}).([]bool)
}
