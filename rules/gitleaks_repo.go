package rules

import (
	"bufio"
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

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
			c, err := repoGitleaksConfig(src)
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
	return g
}

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
	v := viper.New()
	v.SetConfigType("toml")
	if err := v.ReadConfig(bytes.NewReader(src)); err != nil {
		return config.Config{}, fmt.Errorf("not valid TOML: %w", err)
	}
	var vc config.ViperConfig
	if err := v.Unmarshal(&vc); err != nil {
		return config.Config{}, fmt.Errorf("not a gitleaks configuration: %w", err)
	}
	if vc.Extend.Path != "" || vc.Extend.URL != "" {
		return config.Config{}, fmt.Errorf("[extend] path and url are not followed (they read outside the repository); use useDefault = true")
	}
	cfg, err := translate(&vc)
	if err != nil {
		return config.Config{}, fmt.Errorf("not a gitleaks configuration: %w", err)
	}
	return cfg, nil
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
