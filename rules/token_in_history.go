package rules

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/fatih/semgroup"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
	"github.com/zricethezav/gitleaks/v8/cmd/scm"
	"github.com/zricethezav/gitleaks/v8/sources"
)

// TokenInHistory reports Vantage tokens anywhere in the git history: a
// token removed from the files is still in every clone until revoked. It
// runs with --history.
var TokenInHistory = &lint.Rule{
	ID:       "token-in-history",
	Summary:  "tokens anywhere in the git history",
	Severity: lint.Error,
	Optional: true,
	CheckAll: checkTokenInHistory,
}

func checkTokenInHistory(pass *lint.Pass) error {
	s := pass.Settings
	repos := s.Repos
	if len(repos) == 0 && s.Repo != "" {
		repos = []string{s.Repo}
	}
	if len(repos) == 0 {
		return errors.New("the history scan needs a git work tree")
	}
	var errs []error
	for _, repo := range repos {
		if err := historyOf(pass, repo); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// historyOf scans one repository's history.
func historyOf(pass *lint.Pass, repo string) (err error) {
	s := pass.Settings
	ctx := pass.Context
	if ctx == nil {
		ctx = context.Background()
	}
	// A fresh detector: DetectSource accumulates findings on its detector.
	d, err := newDetector(s.AllSecrets)
	if err != nil {
		return err
	}
	logOpts := ""
	if s.HistoryRange != "" {
		logOpts = "--full-history " + s.HistoryRange
	}
	cmd, err := sources.NewGitLogCmdContext(ctx, repo, logOpts)
	if err != nil {
		return fmt.Errorf("read git history: %w", err)
	}
	// NoPlatform: no links to a forge (gitleaks would dereference a nil
	// remote otherwise, and would run git to find one).
	src := &checkedSource{Source: &sources.Git{Cmd: cmd, Config: &d.Config, Sema: semgroup.NewGroup(ctx, 2),
		Remote: &sources.RemoteInfo{Platform: scm.NoPlatform}}}
	findings, err := d.DetectSource(ctx, src)
	if err != nil {
		return fmt.Errorf("scan git history: %s", vantage.Redact(err.Error()))
	}
	defer func() {
		// gitleaks logs a failing git log and goes on: the scan would end
		// early and say nothing. Here it is an incomplete scan.
		if src.err != nil && err == nil {
			err = fmt.Errorf("%w: git log of %s failed part way (%s), so not all of the history was read; repair or fully fetch the repository (git fsck, git fetch --unshallow)", lint.ErrIncomplete, lint.DisplayName(s.Cwd, repo), vantage.Redact(src.err.Error()))
		}
	}()
	type key struct{ commit, file, secret string }
	seen := map[key]bool{}
	var keys []key
	for _, fd := range findings {
		k := key{fd.Commit, fd.File, fd.Secret}
		if fd.Secret == "" || vantage.IsPlaceholder(fd.Secret) || seen[k] {
			continue
		}
		seen[k] = true
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.file != b.file {
			return a.file < b.file
		}
		return a.commit < b.commit
	})
	for _, k := range keys {
		line, col, date := locateInCommit(ctx, repo, k.commit, k.file, k.secret)
		kind := vantage.ClassifyToken(k.secret)
		what := "a secret"
		if kind.IsSecret() {
			what = "a Vantage " + strings.TrimPrefix(kind.String(), "Vantage ")
		}
		short := k.commit
		if len(short) > 7 {
			short = short[:7]
		}
		name := k.file
		if s.Cwd != "" {
			name = lint.DisplayName(s.Cwd, filepath.Join(repo, filepath.FromSlash(k.file)))
		}
		pass.Report(lint.Diagnostic{Path: name,
			Span: lint.Span{Line: line, Col: col, EndLine: line, EndCol: col + len([]rune(k.secret)), Anchor: k.commit + "\x00" + k.secret},
			Message: fmt.Sprintf("%s (%s) was committed in %s%s and stays in the history even where it was later removed; revoke it in Vantage now (rewriting history does not un-leak it)",
				what, vantage.Mask(k.secret), short, date)})
	}
	return nil
}

// locateInCommit finds the secret in the file as of the commit: its line
// and column, and the commit date for the message.
func locateInCommit(ctx context.Context, repo, commit, file, secret string) (line, col int, date string) {
	line, col = 1, 1
	if out, err := exec.CommandContext(ctx, "git", "-C", repo, "show", "-s", "--format=%as", commit).Output(); err == nil {
		date = " (" + strings.TrimSpace(string(out)) + ")"
	}
	out, err := exec.CommandContext(ctx, "git", "-C", repo, "show", commit+":"+file).Output()
	if err != nil {
		return line, col, date
	}
	if i := bytes.Index(out, []byte(secret)); i >= 0 {
		line, col = lint.NewFile(file, out).Position(i)
	}
	return line, col, date
}

// checkedSource remembers the first error a source reports while yielding
// (gitleaks' detector logs such errors and goes on).
type checkedSource struct {
	sources.Source
	err error
}

// Fragments passes the inner source's fragments on, keeping its errors.
func (c *checkedSource) Fragments(ctx context.Context, yield sources.FragmentsFunc) error {
	return c.Source.Fragments(ctx, func(f sources.Fragment, err error) error {
		if err != nil && c.err == nil {
			c.err = err
		}
		return yield(f, err)
	})
}
