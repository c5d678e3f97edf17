package lint

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// ErrNoPath is returned by Collect for a path that does not exist.
var ErrNoPath = errors.New("no such file or directory")

// Collect lists the files to check below paths, relative names resolved
// against cwd. A directory inside a git work tree yields what git would
// track there (tracked files plus untracked files that are not ignored,
// exactly as git decides); any other directory is walked. .git is never
// entered and symbolic links found while listing are not followed (what
// they point to inside the tree is listed on its own). A path naming a
// file is always included, ignored or not.
func Collect(ctx context.Context, cwd string, paths []string) ([]Input, error) {
	seen := map[string]bool{}
	var out []Input
	add := func(abs string, listed bool) {
		if seen[abs] {
			return
		}
		seen[abs] = true
		out = append(out, Input{Name: DisplayName(cwd, abs), Path: abs, Listed: listed})
	}
	for _, p := range paths {
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(cwd, p)
		}
		abs = filepath.Clean(abs)
		fi, err := os.Stat(abs)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%s: %w", p, ErrNoPath)
			}
			return nil, fmt.Errorf("%s: %w", p, describePathErr(err))
		}
		if !fi.IsDir() {
			add(abs, false)
			continue
		}
		files, problems, err := listDir(ctx, abs)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", p, err)
		}
		for _, f := range files {
			add(f, true)
		}
		for _, pr := range problems {
			out = append(out, Input{Name: DisplayName(cwd, pr.path), Path: pr.path, Err: pr.err})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// DisplayName returns abs relative to cwd when it is below cwd, else abs,
// with forward slashes.
func DisplayName(cwd, abs string) string {
	if rel, err := filepath.Rel(cwd, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(abs)
}

// listProblem is a folder or entry a listing could not read.
type listProblem struct {
	path string
	err  error
}

// listDir lists the files below dir, through git when dir is in a work
// tree. Links, FIFOs and devices are listed too, to be counted (the reader
// never follows or reads them); folders that cannot be read, and paths too
// long for the system, come back as problems to report, not silence.
func listDir(ctx context.Context, dir string) ([]string, []listProblem, error) {
	if files, ok := gitFiles(ctx, dir); ok {
		return files, nil, nil
	}
	var out []string
	var problems []listProblem
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			problems = append(problems, listProblem{p, describePathErr(err)})
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		out = append(out, p)
		return ctx.Err()
	})
	return out, problems, err
}

// gitFiles asks git for the files it would track below dir. ok is false
// when dir is not in a work tree or git is not installed. Tracked files
// come with their mode from the index, so symbolic links (120000) and
// submodules (160000) are dropped without a stat per file; the few
// untracked ones are checked with lstat.
func gitFiles(ctx context.Context, dir string) (files []string, ok bool) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, false
	}
	tracked, err := git(ctx, dir, "ls-files", "-z", "--stage", "--", ".")
	if err != nil {
		return nil, false
	}
	seen := map[string]bool{}
	for _, entry := range splitZ(tracked) {
		// Submodules are another repository; links are listed, and
		// counted by the reader, which never follows them.
		meta, rel, found := strings.Cut(entry, "\t")
		if !found || strings.HasPrefix(meta, "160000") || seen[rel] {
			continue
		}
		seen[rel] = true
		files = append(files, filepath.Join(dir, filepath.FromSlash(rel)))
	}
	untracked, err := git(ctx, dir, "ls-files", "-z", "--others", "--exclude-standard", "--", ".")
	if err != nil {
		return nil, false
	}
	for _, rel := range splitZ(untracked) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if fi, err := os.Lstat(p); err == nil && !fi.IsDir() {
			files = append(files, p)
		}
	}
	return files, true
}
