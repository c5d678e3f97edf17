package lint

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Rule is one check. A rule is a value: its fields say what it is and its
// Check function does the work, reporting through the Pass.
type Rule struct {
	// ID is the stable kebab-case identifier used in output, ignore
	// comments, --only/--disable and docs/rules/<ID>.md.
	ID string
	// Summary is a lowercase phrase under 60 characters, without a period.
	Summary string
	// Severity is the default severity of the rule's findings.
	Severity Severity
	// Kinds limits Check to files of these kinds; empty means every file.
	Kinds []Kind
	// Check inspects pass.File and reports findings. A returned error means
	// the rule itself failed.
	Check func(pass *Pass) error
	// CheckAll, when set, runs once after every file has been checked, with
	// pass.Files holding all of them, for rules that compare files.
	CheckAll func(pass *Pass) error
	// Keywords, when set, limit Check to files containing at least one of
	// them: a cheap prefilter that spares most files any parsing.
	Keywords []string
	// Prefilter, when set, is asked before Check: false skips the file.
	// Files named with --config always pass.
	Prefilter func(*File) bool
	// Optional rules run only when enabled with --enable or --only.
	Optional bool
	// Windowed marks a line-oriented rule that can run on windows of a
	// file too large to hold whole (see WindowThreshold).
	Windowed bool
	// Binary marks a rule that also runs on files that look binary (a NUL
	// in the first 8 KiB): one NUL must not hide a token in a text file.
	// Other rules skip such files, which are counted as binary.
	Binary bool
	// Fallback marks a catch-all rule whose findings give way to a more
	// specific rule's finding on the same line and columns: a token in a
	// Terraform provider block is reported once, by the Terraform rule.
	Fallback bool
}

// appliesTo reports whether the rule's Check wants file f.
func (r *Rule) appliesTo(f *File) bool {
	if len(r.Kinds) == 0 {
		return true
	}
	for _, k := range r.Kinds {
		if k == f.Kind {
			return true
		}
	}
	return false
}

// Settings are what rules may know about the run beyond the file itself.
type Settings struct {
	// Now is "today" for date rules.
	Now time.Time
	// Environment is the environment assumed for configs that name none
	// and whose file name says none (--environment); "" means production.
	Environment string
	// ResolveEnv asks rules to resolve ${NAME} references (--resolve-env).
	ResolveEnv bool
	// LookupEnv looks environment variables up.
	LookupEnv func(name string) (string, bool)
	// ReadFile reads files named by NAME_FILE variables.
	ReadFile func(path string) ([]byte, error)
	// AllowEnv lists variables beyond the documented ones that ${NAME}
	// references may resolve (--allow-env).
	AllowEnv []string
	// AllSecrets adds gitleaks' default rules to secret detection.
	AllSecrets bool
	// Ignored reports whether git ignores a file (by its display name), and
	// whether the file is inside a git work tree at all. nil means unknown.
	Ignored func(name string) (ignored, inRepo bool)
	// Repo is the git work tree the run is in, "" outside git: the
	// repository of the first path scanned.
	Repo string
	// Repos are the work trees of every path scanned, in order, for the
	// modes that ask git about each (--history).
	Repos []string
	// Cwd is the working directory, for naming files relative to it.
	Cwd string
	// RepoFile, when set, reads a file that configures the scan from the
	// top of the repository at root (.gitleaks.toml, .gitleaksignore):
	// under review (--diff) as the base revision holds it, so a change
	// cannot bring its own configuration. nil reads the work tree.
	RepoFile func(root, name string) (src []byte, ok bool)
	// RepoRoot returns the work tree holding a file (as displayed), ""
	// for none; nil means unknown.
	RepoRoot func(name string) string

	appliedMu sync.Mutex
	applied   []string
	partial   []string
	memo      sync.Map
	// ForUse says the files are checked because the caller is about to use
	// them (a pull reading its config): what the caller itself cannot use
	// is an error, not a compatibility warning.
	ForUse bool
	// ReaderVersion names the version of the program that reads the
	// checked files (for finfocus-vantage, the plugin version), for rules
	// whose verdict depends on it; "" means the rules' default.
	ReaderVersion string
	// HistoryRange limits the history scan to a revision range (A..B);
	// "" means all of history.
	HistoryRange string
}

// Memo returns the value built for key during this run, building it once
// on first use: state a rule shares across files of one run (a
// repository's own configuration), never across runs. Safe for concurrent
// use: callers that arrive while it is built wait for it.
func (s *Settings) Memo(key any, build func() any) any {
	type cell struct {
		once sync.Once
		v    any
	}
	c, _ := s.memo.LoadOrStore(key, &cell{})
	cl := c.(*cell)
	cl.once.Do(func() { cl.v = build() })
	return cl.v
}

// Applied records that a file of the scanned repository changed what is
// reported (a secret scanner's own configuration or ignore list), for the
// summary. Safe for concurrent use.
func (s *Settings) Applied(what string) {
	s.appliedMu.Lock()
	defer s.appliedMu.Unlock()
	if !slices.Contains(s.applied, what) {
		s.applied = append(s.applied, what)
	}
}

// Partial records that the scan read less than it was asked to for a
// reason the user chose and a notice explains (a shallow clone's
// history): the report says incomplete, the exit code follows the
// findings. Reading that failed is an error wrapping ErrIncomplete
// instead. Safe for concurrent use.
func (s *Settings) Partial(what string) {
	s.appliedMu.Lock()
	defer s.appliedMu.Unlock()
	if !slices.Contains(s.partial, what) {
		s.partial = append(s.partial, what)
	}
}

// applications returns what Applied recorded, sorted.
func (s *Settings) applications() []string {
	s.appliedMu.Lock()
	defer s.appliedMu.Unlock()
	out := slices.Clone(s.applied)
	slices.Sort(out)
	return out
}

// partials returns what Partial recorded, sorted.
func (s *Settings) partials() []string {
	s.appliedMu.Lock()
	defer s.appliedMu.Unlock()
	out := slices.Clone(s.partial)
	slices.Sort(out)
	return out
}

// PathInRepo names a file (as displayed, relative to Cwd) by its
// slash-separated path in the repository that holds it, else as
// displayed: for anything, such as a fingerprint's anchor, that must not
// depend on where the scan runs.
func (s *Settings) PathInRepo(name string) string {
	if s == nil || s.RepoRoot == nil || name == "" {
		return name
	}
	root := s.RepoRoot(name)
	if root == "" {
		return name
	}
	abs := filepath.FromSlash(name)
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(s.Cwd, abs)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return name
	}
	return filepath.ToSlash(rel)
}

// Span locates a diagnostic in its file. Lines and columns are 1-based and
// count characters; End is exclusive. A zero EndLine means the span ends on
// its start line; a zero EndCol means one character wide.
type Span struct {
	Line, Col, EndLine, EndCol int
	// Anchor is the content the finding's fingerprint is tied to (a key
	// path, a variable name). Empty means the text under the span.
	Anchor string
	// Secret says the text under the span is a credential: snippets show
	// it masked.
	Secret bool
}

// Diagnostic is what a rule reports.
type Diagnostic struct {
	Span
	// Severity overrides the rule's default when set.
	Severity Severity
	// Message says what is wrong and how to fix it: lowercase, quoting keys.
	Message string
	// File is the file reported on; nil means the pass's File.
	File *File
	// Path names the file reported on when it is not a checked File (a
	// file at an old commit); it has no snippet.
	Path string
	// DetectorRule names the secret detector's rule that found what is
	// reported (a gitleaks rule ID), for tools that read findings.
	DetectorRule string
	// Fix, when set, is the one edit that resolves the finding.
	Fix *Fix
	// Commit and AuthorDate place a finding in the git history: the
	// commit that brought it and its author date (YYYY-MM-DD).
	Commit, AuthorDate string
}

// Fix is one edit of the reported file that resolves a finding: the text
// between Line:Col and EndLine:EndCol (1-based; the end column is just
// past the last character) becomes Text. Text never holds a secret.
type Fix struct {
	Description                string
	Line, Col, EndLine, EndCol int
	Text                       string
}

// Pass is one rule's view of the work: the file (or, for CheckAll, all
// files), the run's settings and a way to report.
type Pass struct {
	// Rule is the rule being run.
	Rule *Rule
	// File is the file under check (nil in CheckAll).
	File *File
	// Files holds every checked file (CheckAll only).
	Files []*File
	// Settings are the run's settings; never nil.
	Settings *Settings
	// Context is cancelled when the run is; long rules should honour it.
	Context context.Context

	report func(Diagnostic)
}

// Report reports a diagnostic.
func (p *Pass) Report(d Diagnostic) {
	if d.File == nil && d.Path == "" {
		d.File = p.File
	}
	p.report(d)
}

// Reportf reports a diagnostic at sp with the rule's default severity.
func (p *Pass) Reportf(sp Span, format string, args ...any) {
	p.Report(Diagnostic{Span: sp, Message: fmt.Sprintf(format, args...)})
}
