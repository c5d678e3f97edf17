package lint

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// git runs a git command in dir and returns its standard output.
func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return nil, fmt.Errorf("git %s: %s", args[0], msg)
	}
	return out, nil
}

// GitRoot returns the top of the git work tree containing dir, or "".
func GitRoot(ctx context.Context, dir string) string {
	if _, err := exec.LookPath("git"); err != nil {
		return ""
	}
	out, err := git(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return ""
	}
	return filepath.Clean(strings.TrimSpace(string(out)))
}

func splitZ(b []byte) []string {
	var out []string
	for _, p := range bytes.Split(b, []byte{0}) {
		if len(p) > 0 {
			out = append(out, string(p))
		}
	}
	return out
}

// underAny reports whether repo-relative path p is one of, or below one
// of, the filters (also repo-relative); no filters means yes.
func underAny(p string, filters []string) bool {
	if len(filters) == 0 {
		return true
	}
	for _, f := range filters {
		if f == "." || p == f || strings.HasPrefix(p, strings.TrimSuffix(f, "/")+"/") {
			return true
		}
	}
	return false
}

// repoRelative turns command-line paths into paths relative to the repo.
func repoRelative(repo, cwd string, paths []string) []string {
	var out []string
	for _, p := range paths {
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(cwd, p)
		}
		if rel, err := filepath.Rel(repo, abs); err == nil {
			out = append(out, filepath.ToSlash(rel))
		}
	}
	return out
}

// StagedInputs lists the staged files (added, copied, modified, renamed)
// below paths, read from the index rather than the work tree: what the
// commit will contain.
func StagedInputs(ctx context.Context, repo, cwd string, paths []string) ([]Input, error) {
	// T: a link (or submodule) that became a file is new content too.
	out, err := git(ctx, repo, "diff", "--cached", "--name-only", "-z", "--no-renames", "--diff-filter=ACMRT")
	if err != nil {
		return nil, err
	}
	filters := repoRelative(repo, cwd, paths)
	var in []Input
	for _, p := range splitZ(out) {
		if !underAny(p, filters) {
			continue
		}
		in = append(in, indexInput(ctx, repo, cwd, p))
	}
	return in, nil
}

// indexInput reads repo-relative path p from the index, streamed: a
// staged file of any size is checked (in windows when large).
func indexInput(ctx context.Context, repo, cwd, p string) Input {
	return Input{
		Name: DisplayName(cwd, filepath.Join(repo, filepath.FromSlash(p))),
		Open: func() (io.ReadCloser, error) { return gitStream(ctx, repo, "cat-file", "blob", ":"+p) },
	}
}

// gitStream runs a git command and streams its standard output. A git
// that fails is an error at the end of the stream, never a short read
// taken for the whole; Close before the end stops git.
func gitStream(ctx context.Context, dir string, args ...string) (io.ReadCloser, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	stderr := &bytes.Buffer{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("git %s: %w", args[0], err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git %s: %w", args[0], err)
	}
	return &gitReader{out: out, cmd: cmd, stderr: stderr, what: args[0]}, nil
}

// gitReader is a running git's standard output.
type gitReader struct {
	out    io.ReadCloser
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	what   string
	waited bool
}

func (g *gitReader) Read(p []byte) (int, error) {
	n, err := g.out.Read(p)
	if err == io.EOF && !g.waited {
		g.waited = true
		if werr := g.cmd.Wait(); werr != nil {
			msg, _, _ := strings.Cut(strings.TrimSpace(g.stderr.String()), "\n")
			return n, fmt.Errorf("git %s: %s", g.what, Printable(msg))
		}
	}
	return n, err
}

// Close stops git if it is still writing and waits for it.
func (g *gitReader) Close() error {
	if !g.waited {
		g.waited = true
		g.out.Close()
		if g.cmd.Process != nil {
			g.cmd.Process.Kill()
		}
		g.cmd.Wait()
	}
	return nil
}

// IndexInputs reads the index content of the named files (what the next
// commit holds), for pre-commit: every named file git tracks, changed or
// not, so `pre-commit run --all-files` checks them all. Links and
// submodules are skipped; a name git does not track is skipped too (it
// has no index content).
func IndexInputs(ctx context.Context, repo, cwd string, paths []string) ([]Input, error) {
	out, err := git(ctx, repo, "ls-files", "-z", "--stage")
	if err != nil {
		return nil, err
	}
	filters := repoRelative(repo, cwd, paths)
	var in []Input
	for _, entry := range splitZ(out) {
		meta, p, found := strings.Cut(entry, "\t")
		if !found || strings.HasPrefix(meta, "120000") || strings.HasPrefix(meta, "160000") || !underAny(p, filters) {
			continue
		}
		in = append(in, indexInput(ctx, repo, cwd, p))
	}
	return in, nil
}

// TrackedNames lists, relative to cwd, every path in the index of the
// repository containing cwd: the names pre-commit may pass.
func TrackedNames(ctx context.Context, cwd string) (map[string]bool, error) {
	out, err := git(ctx, cwd, "ls-files", "-z", "--cached", "--full-name")
	if err != nil {
		return nil, err
	}
	repo := GitRoot(ctx, cwd)
	names := map[string]bool{}
	for _, p := range splitZ(out) {
		names[DisplayName(cwd, filepath.Join(repo, filepath.FromSlash(p)))] = true
	}
	return names, nil
}

// ErrUnknownRevision means --diff named a revision the clone does not
// have, in a clone that is not shallow: a typo or a failed fetch, which
// must not pass as a clean diff.
var ErrUnknownRevision = errors.New("unknown revision")

// DiffInputs lists the files changed between rev and the work tree, plus
// untracked files that are not ignored. A rev the clone does not have is
// an error, unless the clone is shallow (actions/checkout's default):
// then, when HEAD is a merge commit whose first parent is present (a
// pull request's merge), the merge's changes against its first parent
// are scanned; otherwise the whole tree, never nothing. Either fallback
// is said in note. base is the revision diffed against, "" when the whole
// tree was scanned; each input can read itself as base holds it
// (Input.Base), and with no base every file counts as new.
func DiffInputs(ctx context.Context, repo, cwd, rev string, paths []string) (in []Input, base, note string, err error) {
	var changed []string
	base = rev
	if _, verr := git(ctx, repo, "rev-parse", "--verify", "--quiet", rev+"^{commit}"); verr != nil {
		shallow, _ := git(ctx, repo, "rev-parse", "--is-shallow-repository")
		if strings.TrimSpace(string(shallow)) != "true" {
			return nil, "", "", fmt.Errorf("%w %q: this clone has no such commit and is not shallow, so there is nothing to diff against; check the spelling, or fetch it first (git fetch, or actions/checkout with fetch-depth: 0)", ErrUnknownRevision, rev)
		}
		parents, _ := git(ctx, repo, "rev-list", "--parents", "-n", "1", "HEAD")
		_, noFirst := git(ctx, repo, "rev-parse", "--verify", "--quiet", "HEAD^1^{commit}")
		if len(strings.Fields(string(parents))) >= 3 && noFirst == nil {
			base = "HEAD^1"
			note = fmt.Sprintf("%s is not in this shallow clone; HEAD is a merge, so its changes against its first parent were scanned (fetch-depth: 0 gives an exact diff)", rev)
		} else {
			note = fmt.Sprintf("%s is not in this shallow clone and HEAD's parents are absent, so the whole tree was scanned; fetch more history (actions/checkout with fetch-depth: 0) for a diff", rev)
			in, err := Collect(ctx, cwd, filterPaths(paths))
			for i := range in {
				in[i].Base = func() ([]byte, bool) { return nil, false }
			}
			return in, "", note, err
		}
	}
	// T: a link (or submodule) that became a file is new content too.
	out, err := git(ctx, repo, "diff", "--no-ext-diff", "--no-textconv", "--no-renames", "--name-only", "-z", "--diff-filter=ACMRT", "--end-of-options", base)
	if err != nil {
		return nil, "", "", err
	}
	changed = splitZ(out)
	if out, err := git(ctx, repo, "ls-files", "-z", "--others", "--exclude-standard"); err == nil {
		changed = append(changed, splitZ(out)...)
	}
	filters := repoRelative(repo, cwd, paths)
	seen := map[string]bool{}
	for _, p := range changed {
		if seen[p] || !underAny(p, filters) {
			continue
		}
		seen[p] = true
		abs := filepath.Join(repo, filepath.FromSlash(p))
		in = append(in, Input{Name: DisplayName(cwd, abs), Path: abs, Base: func() ([]byte, bool) { return RevFile(ctx, repo, base, p) }})
	}
	return in, base, note, nil
}

// RevFile reads repo-relative path p as revision rev holds it, through
// git's object store (no filter, link or work-tree file is involved); ok
// is false when rev holds no such file.
func RevFile(ctx context.Context, repo, rev, p string) ([]byte, bool) {
	out, err := git(ctx, repo, "cat-file", "blob", rev+":"+p)
	return out, err == nil
}

// IgnoreChecker answers whether git ignores a file, through one
// `git check-ignore` per file asked about (only token-bearing files are),
// and which work tree holds a file. Each file is asked of the work tree
// that holds it, whatever the current directory.
type IgnoreChecker struct {
	Cwd string

	mu    sync.Mutex
	trees map[string]string // folder → its work tree, "" for none
	cache map[string]bool
}

// Ignored reports whether the file named (relative to Cwd) is covered by
// the repository's ignore rules; inRepo is false when there is no repo or
// git cannot answer for it.
func (c *IgnoreChecker) Ignored(name string) (ignored, inRepo bool) {
	repo, abs := c.Root(name)
	if repo == "" {
		return false, false
	}
	rel, err := filepath.Rel(repo, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return false, false
	}
	key := repo + "\x00" + rel
	c.mu.Lock()
	v, ok := c.cache[key]
	c.mu.Unlock()
	if ok {
		return v, true
	}
	// --no-index: ask about the rules even for a tracked file.
	cmd := exec.Command("git", "-C", repo, "check-ignore", "-q", "--no-index", "--", filepath.ToSlash(rel))
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		ignored = true // exit 0: ignored
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		ignored = false // exit 1: not ignored
	default:
		return false, false // not a work tree git can read: no answer
	}
	c.mu.Lock()
	if c.cache == nil {
		c.cache = map[string]bool{}
	}
	c.cache[key] = ignored
	c.mu.Unlock()
	return ignored, true
}

// Root returns the work tree that holds a file (named relative to Cwd),
// "" when none does, and the file's absolute path. The work tree is the
// nearest folder above with a .git entry (a folder, or a file for
// worktrees and submodules): found without running git, and cached.
func (c *IgnoreChecker) Root(name string) (root, abs string) {
	if c == nil || name == "" {
		return "", name
	}
	abs = name
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(c.Cwd, filepath.FromSlash(name))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.trees == nil {
		c.trees = map[string]string{}
	}
	var walked []string
	dir := filepath.Dir(abs)
	for {
		if r, ok := c.trees[dir]; ok {
			root = r
			break
		}
		walked = append(walked, dir)
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			root = dir
			break
		}
		up := filepath.Dir(dir)
		if up == dir {
			break
		}
		dir = up
	}
	for _, d := range walked {
		c.trees[d] = root
	}
	return root, abs
}

// filterPaths is paths, or the current directory when there are none.
func filterPaths(paths []string) []string {
	if len(paths) == 0 {
		return []string{"."}
	}
	return paths
}
