package rules

import (
	"fmt"
	"strings"

	"github.com/rshade/finfocus-vantage/internal/lazyre"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// TokenLogged reports scripts, Makefiles, Dockerfiles and workflow steps
// that print a Vantage token or bake it into an image, and the shell blocks
// of Markdown documentation that tell readers to (a warning: readers paste
// them into scripts and CI jobs).
var TokenLogged = &lint.Rule{
	ID:        "token-logged",
	Summary:   "scripts that print a Vantage token or bake it into images",
	Severity:  lint.Error,
	Kinds:     []lint.Kind{lint.KindShell, lint.KindDockerfile, lint.KindWorkflow, lint.KindText, lint.KindYAML},
	Prefilter: mentionsVantage,
	Check:     checkTokenLogged,
}

var (
	// varRefRe finds variable references: $X, ${X}, $(X) (make),
	// ${{ secrets.X }} and ${{ env.X }} (GitHub Actions).
	varRefRe   = lazyre.New(`\$\{\{\s*(?:secrets|env|vars)\.([A-Za-z0-9_]+)\s*\}\}|\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$\(([A-Za-z_][A-Za-z0-9_]*)\)|\$(?:env:)?([A-Za-z_][A-Za-z0-9_]*)`)
	printCmdRe = lazyre.New(cmdStart + `(?:[;&|({]\s*|\bthen\s+|\bdo\s+|@)?` + `(echo|printf|Write-Host|Write-Output)\b`)
	catCmdRe   = lazyre.New(cmdStart + `(?:[;&|({]\s*|@)?` + `(cat|head|tail|less|more)\b`)
	dumpEnvRe  = lazyre.New(cmdStart + `(?:[;&({]\s*|@)?` + `(printenv|env|export -p|declare -p|declare -x|set)\s*(?:$|\||;|&&|#|'|")`)
	// encodeRe finds a print piped to an encoder: the runner masks a
	// secret's value in logs, not its base64 or hex.
	encodeRe     = lazyre.New(`\|\s*(base64|xxd|od|hexdump|rev|openssl\s+(?:enc|base64))\b`)
	printenvRe   = lazyre.New(`\bprintenv\s+([A-Za-z_][A-Za-z0-9_]*)`)
	xtraceRe     = lazyre.New(`(?:^|[;&]\s*|run:\s*)set\s+(?:-[a-wyzA-Z]*x[a-zA-Z]*|-o\s+xtrace)\b|^#!.*\bsh\s+-[a-z]*x|\bbash\s+-[a-z]*x\b`)
	curlVerbose  = lazyre.New(`\bcurl\b.*(?:\s-v\b|\s-[a-zA-Z]*v[a-zA-Z]*\s|--verbose\b|--trace(?:-ascii)?\b)`)
	authHeaderRe = lazyre.New(`(?i)authorization`)
	dockerVarRe  = lazyre.New(`^\s*(ENV|ARG)\s+(.*)$`)
	addMaskRe    = lazyre.New(`::add-mask::`)
	tokenPathRe  = lazyre.New(`(?i)[\w./-]*vantage[\w.-]*token[\w.-]*`)
)

// ciJobRe finds the script keys of a GitLab CI job: a YAML file that has
// them is CI even under another name (a file a .gitlab-ci.yml includes).
var ciJobRe = lazyre.New(`(?m)^\s+(?:script|before_script|after_script)\s*:`)

// cmdStart is where a shell command can start on a line of a script, a
// Makefile recipe, a Dockerfile RUN, or a CI pipeline: after a YAML list
// dash, after a step key (run:, script:, command:, bash:, pwsh:,
// inlineScript:…), or inside a Jenkinsfile's sh '…'.
const cmdStart = `(?:^|[;&|({]\s*|\bthen\s+|\bdo\s+|@|^RUN\s+|` +
	`^(?:-\s+)?(?:(?:run|script|command|commands|bash|sh|pwsh|powershell|inlineScript|before_script|after_script)\s*:\s*[|>]?[-+]?\s*["']?)?(?:-\s+)?|` +
	`\b(?:sh|bat|powershell)\s*\(?\s*(?:script\s*:\s*)?(?:'{3}|"{3}|'|")\s*)`

// tokenRefs returns the token-carrying variables referenced in s.
func tokenRefs(s string, files bool) []string {
	var out []string
	for _, m := range varRefRe().FindAllStringSubmatch(s, -1) {
		name := m[1] + m[2] + m[3] + m[4]
		if files {
			if strings.HasSuffix(strings.ToUpper(name), "_FILE") && envTokenNameRe().MatchString(name) {
				out = append(out, name)
			}
		} else if isTokenName(name) {
			out = append(out, name)
		}
	}
	return out
}

// workspaceFileRe finds a print sent to a file by a relative path: in a
// CI job that is the checked-out workspace, which artifact and cache
// uploads publish. Absolute paths, variables ($RUNNER_TEMP, $GITHUB_ENV)
// and home-relative paths are elsewhere.
var workspaceFileRe = lazyre.New(`(?:>>?|\|\s*tee(?:\s+-a)?)\s*["']?([A-Za-z0-9_.][A-Za-z0-9_./-]*)`)

// unredirected reports whether the command at the end of s prints to the
// log: its output is not sent to a file or another program.
func unredirected(s string) bool {
	return !strings.ContainsAny(s, ">|")
}

func checkTokenLogged(pass *lint.Pass) error {
	f := pass.File
	var inShell []bool
	var sev lint.Severity
	switch {
	case isMarkdown(f):
		inShell, sev = shellFenceLines(f), lint.Warning
	case f.Kind == lint.KindText, f.Kind == lint.KindYAML && !ciJobRe().Match(f.Src):
		return nil
	}
	src := string(f.Src)
	tokenVar := vantage.EnvToken // the variable messages name
	if refs := tokenRefs(src, false); len(refs) > 0 {
		tokenVar = refs[0]
	}
	usesToken := tokenVar != vantage.EnvToken || strings.Contains(src, vantage.EnvToken)
	reportAt := func(sev lint.Severity, line int, text, needle, format string, args ...any) {
		col := strings.Index(text, needle)
		if col < 0 {
			col = 0
		}
		c := len([]rune(text[:col])) + 1
		msg := fmt.Sprintf(format, args...)
		if inShell != nil {
			name := tokenVar
			if refs := tokenRefs(text, false); len(refs) > 0 {
				name = refs[0]
			} else if m := printenvRe().FindStringSubmatch(text); m != nil {
				name = m[1]
			}
			msg = fmt.Sprintf("this documentation example prints %s (%s): readers paste examples into scripts and CI jobs, whose logs others read; show a check that prints nothing secret, such as [ -n \"$%s\" ] && echo set", name, needle, name)
		}
		pass.Report(lint.Diagnostic{Span: lint.Span{Line: line, Col: c, EndLine: line, EndCol: c + len([]rune(needle))}, Severity: sev, Message: msg})
	}
	report := func(line int, text, needle, format string, args ...any) {
		reportAt(sev, line, text, needle, format, args...)
	}
	for n := 1; n <= f.LineCount(); n++ {
		if inShell != nil && !inShell[n] {
			continue
		}
		raw := f.Line(n)
		text := strings.TrimSpace(raw)
		if inShell != nil {
			text = strings.TrimPrefix(text, "$ ") // a console prompt
		}
		if text == "" || (strings.HasPrefix(text, "#") && !strings.HasPrefix(text, "#!")) {
			continue
		}
		// Join continued lines so a curl split over several lines is one command.
		logical := text
		for m := n; strings.HasSuffix(logical, "\\") && m < f.LineCount(); m++ {
			logical = strings.TrimSuffix(logical, "\\") + " " + strings.TrimSpace(f.Line(m+1))
		}
		if f.Kind == lint.KindDockerfile {
			if m := dockerVarRe().FindStringSubmatch(text); m != nil {
				checkDockerVar(pass, n, raw, m[1], m[2])
				continue
			}
		}
		if m := printCmdRe().FindStringSubmatchIndex(text); m != nil && !addMaskRe().MatchString(text) {
			rest := text[m[2]:]
			if e := encodeRe().FindStringSubmatch(rest); e != nil {
				if refs := tokenRefs(rest, false); len(refs) > 0 {
					report(n, raw, text[m[2]:m[3]], "%s pipes %s to %s: the runner masks the token's value in the log, not its encoding, so the encoded token is printed in the clear; remove the line", text[m[2]:m[3]], refs[0], e[1])
					continue
				}
			}
			if w := workspaceFileRe().FindStringSubmatch(rest); w != nil && f.Kind == lint.KindWorkflow {
				if refs := tokenRefs(rest, false); len(refs) > 0 {
					reportAt(lint.Warning, n, raw, text[m[2]:m[3]], "%s writes %s to %s in the job's workspace, which artifact and cache uploads can publish (and the runner does not mask files); pass it to the program in an environment variable, or write it under $RUNNER_TEMP and remove it after use", text[m[2]:m[3]], refs[0], w[1])
					continue
				}
			}
			if refs := tokenRefs(rest, false); len(refs) > 0 && unredirected(rest) {
				report(n, raw, text[m[2]:m[3]], "%s prints %s to the log, where anyone who can read the job output sees it; remove the line (to check the token is set, test it: [ -n \"$%s\" ])", text[m[2]:m[3]], refs[0], refs[0])
				continue
			}
		}
		if m := catCmdRe().FindStringSubmatchIndex(text); m != nil {
			rest := text[m[2]:]
			refs := tokenRefs(rest, true)
			if p := tokenPathRe().FindString(rest); p != "" {
				refs = append(refs, p)
			}
			if len(refs) > 0 && unredirected(rest) {
				report(n, raw, text[m[2]:m[3]], "%s prints the token file %s to the log; pass the file to the program that needs it instead", text[m[2]:m[3]], refs[0])
				continue
			}
		}
		if m := printenvRe().FindStringSubmatch(text); m != nil && isTokenName(m[1]) {
			report(n, raw, "printenv", "printenv %s prints the token to the log; remove the line", m[1])
			continue
		}
		if m := dumpEnvRe().FindStringSubmatch(text); m != nil && usesToken && !strings.Contains(text, "grep") {
			report(n, raw, m[1], "%s dumps every variable, %s included, to the log; print only the variables you need", m[1], tokenVar)
			continue
		}
		if usesToken && xtraceRe().MatchString(text) {
			report(n, raw, xtraceNeedle(text), "shell tracing echoes every command with its variables expanded, so %s reaches the log; remove it, or turn it off (set +x) around commands that use the token", tokenVar)
			continue
		}
		if curlVerbose().MatchString(logical) && authHeaderRe().MatchString(logical) {
			report(n, raw, "curl", "curl in verbose mode prints the Authorization header, token included; drop -v/--verbose/--trace")
		}
	}
	return nil
}

// checkDockerVar reports ENV and ARG instructions that bake a token into
// the image.
func checkDockerVar(pass *lint.Pass, line int, raw, instr, args string) {
	for _, part := range strings.Fields(args) {
		name, value, hasValue := strings.Cut(part, "=")
		if !hasValue && instr == "ENV" && !strings.Contains(args, "=") {
			fields := strings.Fields(args)
			name, value = fields[0], strings.Join(fields[1:], " ")
		}
		value = strings.Trim(value, `"'`)
		literal := vantage.ClassifyToken(value).IsSecret()
		fromVar := len(tokenRefs(value, false)) > 0
		if !isTokenName(name) && !literal && !fromVar {
			continue
		}
		col := strings.Index(raw, name)
		c := len([]rune(raw[:max(col, 0)])) + 1
		sp := lint.Span{Line: line, Col: c, EndLine: line, EndCol: c + len([]rune(name))}
		what := "the token variable " + name
		if literal {
			what = "a literal Vantage token (" + vantage.Mask(value) + ")"
		}
		pass.Reportf(sp, "%s %s bakes %s into the image, where `docker history` and anyone who pulls the image can read it; use a build secret (RUN --mount=type=secret,id=vantage_token) or pass the token at run time", instr, name, what)
		if instr == "ENV" && !strings.Contains(args, "=") {
			return
		}
	}
}

func xtraceNeedle(text string) string {
	for _, n := range []string{"set -o xtrace", "bash -", "sh -"} {
		if strings.Contains(text, n) {
			return n
		}
	}
	return "set"
}
