package rules_test

import (
	"context"
	"flag"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/rules"
	"github.com/rshade/finfocus-vantage/vantage"
)

var update = flag.Bool("update", false, "rewrite the .want files of golden cases")

// goldenNow is "today" in every golden case.
var goldenNow = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

const goldenRoot = "../testdata/rules"

// goldenCase is one file (or folder of files) to check.
type goldenCase struct {
	name   string // X in err/X.yaml or err/X/
	path   string
	isDir  bool
	env    map[string]string // from X.env; nil when absent
	envSet bool
	// allowEnv is --allow-env, from "# allow-env: A B" lines in X.env.
	allowEnv []string
	// version is the plugin version checked for: "" (the newest) in ok/
	// and err/, V in ok@V/ and err@V/.
	version string
}

func listCases(t *testing.T, dir string) []goldenCase {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		t.Fatal(err)
	}
	var out []goldenCase
	for _, e := range entries {
		name := e.Name()
		ext := filepath.Ext(name)
		if !e.IsDir() && (ext == ".want" || ext == ".env") {
			continue
		}
		c := goldenCase{name: strings.TrimSuffix(name, ext), path: filepath.Join(dir, name), isDir: e.IsDir()}
		_, c.version, _ = strings.Cut(filepath.Base(dir), "@")
		if e.IsDir() {
			c.name = name
		}
		if b, err := os.ReadFile(filepath.Join(dir, c.name+".env")); err == nil {
			c.env, c.envSet = map[string]string{}, true
			for _, line := range strings.Split(string(b), "\n") {
				if names, ok := strings.CutPrefix(strings.TrimSpace(line), "# allow-env:"); ok {
					c.allowEnv = append(c.allowEnv, strings.Fields(names)...)
					continue
				}
				if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok && !strings.HasPrefix(k, "#") {
					c.env[k] = v
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// casesIn lists the cases of kind (ok or err) under a rule's folder: in
// kind/ for the newest plugin version, and in kind@V/ for version V.
func casesIn(t *testing.T, dir, kind string) []goldenCase {
	t.Helper()
	out := listCases(t, filepath.Join(dir, kind))
	subs, _ := filepath.Glob(filepath.Join(dir, kind+"@*"))
	for _, sub := range subs {
		if vantage.FindPluginVersion(strings.TrimPrefix(filepath.Base(sub), kind+"@")) == nil {
			t.Errorf("%s: no plugin version of that name", sub)
		}
		out = append(out, listCases(t, sub)...)
	}
	return out
}

// runCase checks a golden case with the given rules and returns the
// findings and the source text the case read.
func runCase(t *testing.T, c goldenCase, selected []*lint.Rule) ([]lint.Finding, string) {
	t.Helper()
	var inputs []lint.Input
	var src strings.Builder
	add := func(path, name string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
		inputs = append(inputs, lint.Input{Name: name, Path: path, Config: strings.Contains(name, ".explicit.")})
	}
	base := filepath.Dir(c.path)
	var ignored func(string) (bool, bool)
	if c.isDir {
		// A folder case is checked as a git work tree of its own, so
		// rules that ask git (config-not-ignored) see real answers.
		base = t.TempDir()
		if err := os.CopyFS(base, os.DirFS(c.path)); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("git", "init", "-q", base).CombinedOutput(); err != nil {
			t.Fatalf("git init: %v %s", err, out)
		}
		ignores := &lint.IgnoreChecker{Cwd: base}
		ignored = ignores.Ignored
		// Walk it as check does: what git would track.
		collected, err := lint.Collect(context.Background(), base, []string{"."})
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range collected {
			add(in.Path, in.Name)
		}
	} else {
		add(c.path, filepath.Base(c.path))
	}
	settings := &lint.Settings{
		Ignored:       ignored,
		Cwd:           base,
		Now:           goldenNow,
		ReaderVersion: c.version,
		ResolveEnv:    c.envSet,
		AllowEnv:      c.allowEnv,
		LookupEnv: func(name string) (string, bool) {
			v, ok := c.env[name]
			return v, ok
		},
		ReadFile: func(p string) ([]byte, error) {
			if !filepath.IsAbs(p) {
				p = filepath.Join(base, p)
			}
			return os.ReadFile(p)
		},
	}
	for _, v := range c.env {
		src.WriteString("\n" + v)
	}
	r := rules.NewRunner(selected, settings)
	res, err := r.Run(context.Background(), inputs)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return res.Findings, src.String()
}

// secretsIn finds every full credential in text, to assert none is printed.
var secretRe = regexp.MustCompile(`vntg_tkn_[0-9a-f]{40}|\b(?:cr|ws)_[A-Za-z0-9]{12,}\b`)

func assertNoSecret(t *testing.T, src string, fs []lint.Finding) {
	t.Helper()
	secrets := secretRe.FindAllString(src, -1)
	for _, f := range fs {
		for _, s := range secrets {
			if vantage.IsPlaceholder(s) {
				continue
			}
			for _, out := range []string{f.String(), f.Snippet, f.Fingerprint} {
				if strings.Contains(out, s) {
					t.Errorf("output leaks a secret: %s", out)
				}
			}
		}
	}
}

// withoutReadingNotices drops plugin-compat's notices: the FinFocus
// docs' ${NAME} style, which the plugin reads literally, is allowed in
// clean examples.
func withoutReadingNotices(fs []lint.Finding) []lint.Finding {
	var out []lint.Finding
	for _, f := range fs {
		if f.RuleID != rules.PluginCompat.ID || f.Severity != lint.Notice {
			out = append(out, f)
		}
	}
	return out
}

// pulumicostAdvice matches a message telling the user to set or use a
// PULUMICOST_ variable, which no release reads (naming one as ignored is
// fine).
var pulumicostAdvice = regexp.MustCompile(`(?i)\b(set|export|use|write|reference|add)\b[^.;]{0,40}\$?\{?PULUMICOST_`)

// assertNoPulumicostAdvice holds the default (released) version's
// messages to the variables it reads.
func assertNoPulumicostAdvice(t *testing.T, c goldenCase, fs []lint.Finding) {
	t.Helper()
	if c.version != "" {
		return
	}
	for _, f := range fs {
		if pulumicostAdvice.MatchString(f.Message) {
			t.Errorf("the default plugin version's advice names a PULUMICOST variable: %s", f)
		}
	}
}

func visibleLines(fs []lint.Finding) []string {
	var out []string
	for _, f := range fs {
		if !f.Suppressed {
			out = append(out, f.String())
		}
	}
	return out
}

// TestGolden runs every case under testdata/rules/<id>/: ok cases must
// produce no finding from any rule but plugin-compat's notices (a config
// in the FinFocus docs' style is read differently by the plugin); err/X pairs with X.want, the expected
// String() lines of rule <id>'s findings.
func TestGolden(t *testing.T) {
	dirs, err := os.ReadDir(goldenRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		id := d.Name()
		rule := rules.ByID(id)
		if rule == nil {
			t.Errorf("testdata/rules/%s: no rule has this ID", id)
			continue
		}
		t.Run(id, func(t *testing.T) {
			for _, c := range casesIn(t, filepath.Join(goldenRoot, id), "ok") {
				t.Run(filepath.Base(filepath.Dir(c.path))+"/"+c.name, func(t *testing.T) {
					fs, src := runCase(t, c, rules.Defaults())
					assertNoSecret(t, src, fs)
					assertNoPulumicostAdvice(t, c, fs)
					if got := visibleLines(withoutReadingNotices(fs)); len(got) > 0 {
						t.Errorf("want no findings, got:\n%s", strings.Join(got, "\n"))
					}
				})
			}
			for _, c := range casesIn(t, filepath.Join(goldenRoot, id), "err") {
				t.Run(filepath.Base(filepath.Dir(c.path))+"/"+c.name, func(t *testing.T) {
					selected := []*lint.Rule{rule}
					if rule != lint.IgnoreComment {
						selected = append(selected, lint.IgnoreComment)
					}
					fs, src := runCase(t, c, selected)
					assertNoSecret(t, src, fs)
					assertNoPulumicostAdvice(t, c, fs)
					var got []string
					for _, f := range fs {
						if !f.Suppressed && f.RuleID == id {
							got = append(got, f.String())
						}
					}
					wantPath := filepath.Join(filepath.Dir(c.path), c.name+".want")
					if *update {
						if err := os.WriteFile(wantPath, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
							t.Fatal(err)
						}
						return
					}
					b, err := os.ReadFile(wantPath)
					if err != nil {
						t.Fatalf("missing %s (run go test ./rules -update): %v", wantPath, err)
					}
					want := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
					if len(got) == 0 {
						t.Fatalf("rule %s reported nothing; an err case must produce findings", id)
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("findings differ (-want +got):\n%s", diff)
					}
				})
			}
		})
	}
}

var idRe = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// TestRegistry validates rules.All: unique kebab-case IDs, summaries in
// the house style, a check, a documentation page and golden cases.
func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range rules.All {
		t.Run(r.ID, func(t *testing.T) {
			if !idRe.MatchString(r.ID) {
				t.Errorf("ID %q is not kebab-case", r.ID)
			}
			if seen[r.ID] {
				t.Errorf("duplicate ID %q", r.ID)
			}
			seen[r.ID] = true
			switch s := r.Summary; {
			case s == "":
				t.Error("no summary")
			case len(s) >= 60:
				t.Errorf("summary is %d characters; keep it under 60", len(s))
			case strings.HasSuffix(s, "."):
				t.Error("summary ends with a period")
			case strings.ToLower(s[:1]) != s[:1]:
				t.Error("summary does not start lowercase")
			}
			if r.Severity < lint.Notice || r.Severity > lint.Error {
				t.Errorf("bad default severity %v", r.Severity)
			}
			engine := r == lint.IgnoreComment || r == lint.StaleBaseline || slices.Contains(rules.Live, r) || r == rules.PluginEnv
			if r.Check == nil && r.CheckAll == nil && !engine {
				t.Error("no Check or CheckAll")
			}
			doc, err := os.ReadFile(filepath.Join("..", "docs", "rules", r.ID+".md"))
			if err != nil {
				t.Fatalf("no docs/rules/%s.md: %v", r.ID, err)
			}
			if !strings.HasPrefix(string(doc), "# "+r.ID+"\n") {
				t.Errorf("docs/rules/%s.md must start with the heading # %s", r.ID, r.ID)
			}
			// stale-baseline and token-in-history need a baseline file and a
			// git history: the CLI tests exercise them.
			if !engine && r != rules.TokenInHistory {
				for _, sub := range []string{"ok", "err"} {
					if len(listCases(t, filepath.Join(goldenRoot, r.ID, sub))) == 0 {
						t.Errorf("no golden cases in testdata/rules/%s/%s", r.ID, sub)
					}
				}
			}
		})
	}
	var docs []string
	files, _ := filepath.Glob(filepath.Join("..", "docs", "rules", "*.md"))
	for _, f := range files {
		docs = append(docs, strings.TrimSuffix(filepath.Base(f), ".md"))
	}
	sort.Strings(docs)
	for _, d := range docs {
		if rules.ByID(d) == nil {
			t.Errorf("docs/rules/%s.md documents no rule", d)
		}
	}
}

// applyFix returns src with one fix applied; columns count runes.
func applyFix(t *testing.T, src string, x *lint.Fix) string {
	t.Helper()
	lines := strings.SplitAfter(src, "\n")
	offset := func(line, col int) int {
		if line < 1 || line > len(lines) {
			t.Fatalf("fix line %d outside the file (%d lines)", line, len(lines))
		}
		n := 0
		for _, l := range lines[:line-1] {
			n += len(l)
		}
		r := []rune(lines[line-1])
		if col < 1 || col > len(r)+1 {
			t.Fatalf("fix column %d outside line %d", col, line)
		}
		return n + len(string(r[:col-1]))
	}
	a, b := offset(x.Line, x.Col), offset(x.EndLine, x.EndCol)
	return src[:a] + x.Text + src[b:]
}

type place struct {
	rule string
	sev  lint.Severity
	line int
}

// TestFixesRecheck applies every one-edit fix any rule offers, across the
// golden corpus and the real-world configs, under every plugin version,
// and checks again: the finding is gone and no error or warning appears
// that was not there before. No rule's fix may raise another's finding.
func TestFixesRecheck(t *testing.T) {
	var cases []goldenCase
	dirs, _ := os.ReadDir(goldenRoot)
	for _, d := range dirs {
		for _, kind := range []string{"ok", "err"} {
			cases = append(cases, casesIn(t, filepath.Join(goldenRoot, d.Name()), kind)...)
		}
	}
	configs, _ := filepath.Glob("../testdata/realworld/configs/*.yaml")
	for _, p := range configs {
		for _, v := range vantage.PluginVersions {
			cases = append(cases, goldenCase{name: filepath.Base(p), path: p, version: v.Name})
		}
	}
	fixes := 0
	for _, c := range cases {
		if c.isDir {
			continue
		}
		fs, _ := runCase(t, c, rules.Defaults())
		before := map[place]int{}
		for _, f := range fs {
			if !f.Suppressed && f.Severity >= lint.Warning {
				before[place{f.RuleID, f.Severity, f.Line}]++
			}
		}
		src, err := os.ReadFile(c.path)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.Fix == nil || f.Suppressed {
				continue
			}
			fixes++
			fixed := applyFix(t, string(src), f.Fix)
			dir := t.TempDir()
			fc := c
			fc.path = filepath.Join(dir, filepath.Base(c.path))
			if err := os.WriteFile(fc.path, []byte(fixed), 0o600); err != nil {
				t.Fatal(err)
			}
			after, _ := runCase(t, fc, rules.Defaults())
			left := maps.Clone(before)
			left[place{f.RuleID, f.Severity, f.Line}]--
			for _, g := range after {
				if g.Suppressed {
					continue
				}
				if g.RuleID == f.RuleID && g.Line == f.Line && g.Message == f.Message {
					t.Errorf("%s@%s: the fix %q of %s did not remove it", c.path, c.version, f.Fix.Text, f)
				}
				if g.Severity < lint.Warning {
					continue
				}
				k := place{g.RuleID, g.Severity, g.Line}
				if left[k] <= 0 {
					t.Errorf("%s@%s: the fix %q of [%s] line %d raised %s", c.path, c.version, f.Fix.Text, f.RuleID, f.Line, g)
				}
				left[k]--
			}
		}
	}
	if fixes < 10 {
		t.Errorf("only %d fixes were applied across the corpus; the test is not exercising the rules", fixes)
	}
	t.Logf("%d fixes applied and checked", fixes)
}
