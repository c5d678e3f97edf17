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

	"github.com/gitleaks/go-gitdiff/gitdiff"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
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

// historyOf scans one repository's history: every line a commit added,
// read from `git log -p` (on every ref, or on --history-range), with the
// same rules as files. Deleted and binary files are skipped. A git that
// fails, or writes to stderr, part way makes the scan incomplete.
func historyOf(pass *lint.Pass, repo string) error {
	s := pass.Settings
	ctx := pass.Context
	if ctx == nil {
		ctx = context.Background()
	}
	d, err := secretDetector(s.AllSecrets)
	if err != nil {
		return err
	}
	args := []string{"-C", filepath.Clean(repo), "log", "-p", "-U0", "--full-history"}
	if s.HistoryRange != "" {
		args = append(args, "--end-of-options", s.HistoryRange)
	} else {
		args = append(args, "--all", "--diff-filter=tuxdb")
	}
	cmd := exec.CommandContext(ctx, "git", args...)
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("read git history: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("read git history: %w", err)
	}
	files, err := gitdiff.Parse(stdout)
	if err != nil {
		_ = cmd.Wait()
		return fmt.Errorf("read git history: %w", err)
	}
	type key struct{ commit, file, secret string }
	seen := map[key]bool{}
	var keys []key
	for f := range files {
		if f.IsDelete || f.IsBinary || ctx.Err() != nil {
			continue // drain, so the parser ends
		}
		commit := ""
		if f.PatchHeader != nil {
			commit = f.PatchHeader.SHA
		}
		for _, tf := range f.TextFragments {
			if tf == nil {
				continue
			}
			for _, l := range d.detect(fragment{raw: tf.Raw(gitdiff.OpAdd), path: f.NewName, commit: commit}) {
				k := key{commit, f.NewName, l.secret}
				if l.secret == "" || vantage.IsPlaceholder(l.secret) || seen[k] {
					continue
				}
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	waitErr := cmd.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	// What was found is reported either way; a history read part way
	// must not end in "no problems".
	var partial error
	if waitErr != nil || stderr.Len() > 0 {
		why := strings.TrimSpace(stderr.String())
		if why == "" {
			why = waitErr.Error()
		}
		partial = fmt.Errorf("%w: git log of %s failed part way (%s), so not all of the history was read; repair or fully fetch the repository (git fsck, git fetch --unshallow)", lint.ErrIncomplete, lint.DisplayName(s.Cwd, repo), lint.Printable(vantage.Redact(firstLine(why))))
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
	return partial
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

// limitedBuffer keeps the first 4 KiB written to it: enough of git's
// stderr to say what failed, never unbounded.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := 4096 - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// firstLine is s up to its first newline.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
