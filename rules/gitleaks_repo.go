package rules

import (
	"bufio"
	"bytes"
	"fmt"
	"path/filepath"
	"regexp" // what gitleaks' regexp package wraps in its default build
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/spf13/viper"
	"github.com/zricethezav/gitleaks/v8/config"

	"github.com/rshade/finfocus-vantage/lint"
)

// repoGitleaks is gitleaks' side of --all-secrets for one repository: its
// default rules, or the repository's .gitleaks.toml when it has one, and
// the repository's .gitleaksignore, applied as gitleaks applies them. The
// Vantage rules never see them: a pull request could add either file, and
// must not be able to silence a Vantage token.
type repoGitleaks struct {
	detector *detector
	// ignore holds .gitleaksignore's file:rule:line entries.
	ignore map[string]bool
	// applied names the files used, for the summary; notes says why one
	// was not.
	applied []string
	err     error
	// problems are the repository's rules that could not be used (a
	// regex that does not compile): each is dropped, the others run, and
	// each is reported once (reported).
	problems []string
	reported atomic.Bool
}

type repoGitleaksKey struct{ root string }

// gitleaksFor returns the gitleaks configuration of the repository at
// root ("" outside any: gitleaks' defaults), built once per run.
func gitleaksFor(s *lint.Settings, root string) *repoGitleaks {
	read := func(name string) ([]byte, bool) { return readRepoFile(root, name) }
	if s.RepoFile != nil {
		read = func(name string) ([]byte, bool) {
			src, ok := s.RepoFile(root, name)
			return src, ok && len(src) <= maxGitleaksFile
		}
	}
	return s.Memo(repoGitleaksKey{root}, func() any { return loadRepoGitleaks(root, read) }).(*repoGitleaks)
}

// maxGitleaksFile bounds what is read of a repository's gitleaks files.
const maxGitleaksFile = 1 << 20

// loadRepoGitleaks reads the repository's gitleaks files with read.
func loadRepoGitleaks(root string, read func(name string) ([]byte, bool)) *repoGitleaks {
	g := &repoGitleaks{ignore: map[string]bool{}}
	cfg, err := defaultGitleaksConfig()
	if err != nil {
		g.err = err
		return g
	}
	if root != "" {
		if src, ok := read(".gitleaks.toml"); ok {
			c, problems, err := repoGitleaksConfigChecked(src)
			g.problems = problems
			if err != nil {
				g.err = fmt.Errorf("%s: %w; fix it, or remove it to use gitleaks' defaults", filepath.Join(root, ".gitleaks.toml"), err)
				return g
			}
			cfg = c
			g.applied = append(g.applied, ".gitleaks.toml (gitleaks rules only)")
		}
		if src, ok := read(".gitleaksignore"); ok {
			sc := bufio.NewScanner(bytes.NewReader(src))
			for sc.Scan() {
				line := strings.TrimSpace(sc.Text())
				if line == "" || strings.HasPrefix(line, "#") {
					continue
				}
				// file:rule:line for files, commit:file:rule:line for
				// history (gitleaks' two fingerprint forms).
				if parts := strings.Split(line, ":"); len(parts) == 3 || len(parts) == 4 {
					parts[len(parts)-3] = strings.ReplaceAll(parts[len(parts)-3], "\\", "/")
					g.ignore[strings.Join(parts, ":")] = true
				}
			}
			g.applied = append(g.applied, ".gitleaksignore (gitleaks rules only)")
		}
	}
	// The Vantage rules run apart, unconfigured (secretDetector).
	for _, id := range vantageRuleIDs() {
		delete(cfg.Rules, id)
	}
	g.detector = detectorFor(cfg)
	g.detector.maxDecodeDepth = gitleaksDecodeDepth
	return g
}

// gitleaksDecodeDepth is gitleaks 8.30.1's default --max-decode-depth:
// its rules see what its decoder makes of the text, five passes deep.
const gitleaksDecodeDepth = 5

// readRepoFile reads a regular file at the top of a repository, never
// through a link, at most maxGitleaksFile bytes.
func readRepoFile(root, name string) ([]byte, bool) {
	src, err := lint.ReadFile(filepath.Join(root, name), false)
	if err != nil || len(src) > maxGitleaksFile {
		return nil, false
	}
	return src, true
}

// defaultGitleaksConfig is gitleaks' own default configuration.
func defaultGitleaksConfig() (config.Config, error) {
	cfg, err := repoGitleaksConfig([]byte(config.DefaultConfig))
	if err != nil {
		return cfg, fmt.Errorf("load gitleaks default rules: %w", err)
	}
	return cfg, nil
}

// repoGitleaksConfig reads a gitleaks configuration such as a
// repository's .gitleaks.toml. Extending another file or a URL is refused:
// the scanned tree must not make the tool read outside it or reach the
// network.
func repoGitleaksConfig(src []byte) (config.Config, error) {
	cfg, _, err := repoGitleaksConfigChecked(src)
	return cfg, err
}

// repoGitleaksConfigChecked is repoGitleaksConfig that drops each rule (and
// each allowlist pattern) whose regular expression does not compile, and
// says which, instead of failing whole: gitleaks itself would crash on
// such a file, and the rules that do compile must still run.
func repoGitleaksConfigChecked(src []byte) (config.Config, []string, error) {
	v := viper.New()
	v.SetConfigType("toml")
	if err := v.ReadConfig(bytes.NewReader(src)); err != nil {
		return config.Config{}, nil, fmt.Errorf("not valid TOML: %w", err)
	}
	var vc config.ViperConfig
	if err := v.Unmarshal(&vc); err != nil {
		return config.Config{}, nil, fmt.Errorf("not a gitleaks configuration: %w", err)
	}
	if vc.Extend.Path != "" || vc.Extend.URL != "" {
		return config.Config{}, nil, fmt.Errorf("[extend] path and url are not followed (they read outside the repository); use useDefault = true")
	}
	problems := dropUncompilable(&vc)
	cfg, err := translate(&vc)
	if err != nil {
		return config.Config{}, nil, fmt.Errorf("not a gitleaks configuration: %w", err)
	}
	return cfg, problems, nil
}

// translateMu serialises gitleaks' configuration translation, which keeps
// package-level state (how deep an [extend] chain is) that concurrent
// translations race on.
var translateMu sync.Mutex

// translate is vc.Translate() under translateMu.
func translate(vc *config.ViperConfig) (config.Config, error) {
	quietGitleaks()
	translateMu.Lock()
	defer translateMu.Unlock()
	return vc.Translate()
}

// vantageRuleIDs are the IDs of this project's gitleaks rules.
func vantageRuleIDs() []string {
	var ids []string
	for _, r := range vantageGitleaksRules() {
		ids = append(ids, r.RuleID)
	}
	return ids
}

// ignored reports whether .gitleaksignore lists a finding of a gitleaks
// rule at a file's line.
func (g *repoGitleaks) ignored(path, rule string, line int) bool {
	return g.ignore[path+":"+rule+":"+strconv.Itoa(line)]
}

// ignoredAt reports whether .gitleaksignore lists a history finding, in
// either of gitleaks' forms.
func (g *repoGitleaks) ignoredAt(commit, path, rule string, line int) bool {
	return g.ignored(path, rule, line) || g.ignore[commit+":"+path+":"+rule+":"+strconv.Itoa(line)]
}

// dropUncompilable removes from vc the rules whose path or regex does not
// compile, and the allowlist patterns that do not (a dropped allowlist
// entry reports more, never less), and says what it removed.
func dropUncompilable(vc *config.ViperConfig) []string {
	bad := func(pat string) error {
		if pat == "" {
			return nil
		}
		_, err := regexp.Compile(pat)
		return err
	}
	keep := func(pats []string, where string, problems *[]string) []string {
		var out []string
		for _, p := range pats {
			if err := bad(p); err != nil {
				*problems = append(*problems, fmt.Sprintf("%s: allowlist pattern %q does not compile (%v); it was left out", where, lint.Printable(p), err))
				continue
			}
			out = append(out, p)
		}
		return out
	}
	var problems []string
	rules := vc.Rules[:0]
	for _, r := range vc.Rules {
		err := bad(r.Regex)
		if err == nil {
			err = bad(r.Path)
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("rule %q does not compile (%v); it was not run, every other rule was", lint.Printable(r.ID), err))
			continue
		}
		for _, a := range append(r.Allowlists, r.AllowList) {
			if a != nil {
				a.Regexes = keep(a.Regexes, "rule "+r.ID, &problems)
				a.Paths = keep(a.Paths, "rule "+r.ID, &problems)
			}
		}
		rules = append(rules, r)
	}
	vc.Rules = rules
	for _, a := range append(vc.Allowlists, vc.AllowList) {
		if a != nil {
			a.Regexes = keep(a.Regexes, "the global allowlist", &problems)
			a.Paths = keep(a.Paths, "the global allowlist", &problems)
		}
	}
	return problems
}

// reportProblems reports, once per run and repository, the rules of its
// .gitleaks.toml that could not be used.
func (g *repoGitleaks) reportProblems(pass *lint.Pass, root string) {
	if len(g.problems) == 0 || !g.reported.CompareAndSwap(false, true) {
		return
	}
	name := lint.DisplayName(pass.Settings.Cwd, filepath.Join(root, ".gitleaks.toml"))
	for _, p := range g.problems {
		pass.Report(lint.Diagnostic{Path: name, Severity: lint.Warning, Span: lint.Span{Anchor: p},
			Message: ".gitleaks.toml " + p + "; fix its regular expression"})
	}
}
