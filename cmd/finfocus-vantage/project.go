package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/rshade/finfocus-vantage/internal/project"
	"github.com/rshade/finfocus-vantage/lint"
)

// loadedProject is the project file of a run, with where it was found.
type loadedProject struct {
	*project.File
	root string // the repository root it applies to
	note string // what the report says of it
}

// loadProject reads .finfocus-vantage.yaml at the root of the repository
// holding the working directory (else the working directory). Under
// --diff only the base revision's copy counts: a change cannot relax its
// own check. An invalid file is exit 2 with its position.
func loadProject(c *cli.Context) (*loadedProject, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	root, _ := (&lint.IgnoreChecker{Cwd: cwd}).Root(".")
	if root == "" {
		root = cwd
	}
	name := filepath.Join(root, project.Name)
	shown := project.Name
	if rel, err := filepath.Rel(cwd, name); err == nil {
		shown = filepath.ToSlash(rel)
	}
	var src []byte
	note := "project file " + shown + " applied"
	if rev := c.String("diff"); rev != "" {
		lint.HardenGit(c.Context, root)
		b, ok := lint.RevFile(c.Context, root, rev, project.Name)
		if !ok {
			if _, err := os.Lstat(name); err == nil {
				return &loadedProject{root: root, note: "the project file was not applied: base revision " + rev + " has none, and a change cannot bring its own"}, nil
			}
			return nil, nil
		}
		src, note = b, "project file "+shown+" read from base revision "+rev+", not from the change"
	} else {
		fi, err := os.Lstat(name)
		switch {
		case errors.Is(err, os.ErrNotExist):
			return nil, nil
		case err != nil:
			return nil, withCode(exitUsage, fmt.Errorf("%s: %w", shown, err))
		case !fi.Mode().IsRegular():
			return nil, usageErrorf("%s is not a regular file (a link or special file is never read as the project file)", shown)
		}
		if src, err = lint.ReadFile(name, false); err != nil {
			return nil, withCode(exitUsage, fmt.Errorf("%s: %w", shown, err))
		}
	}
	f, err := project.Parse(shown, src)
	if err != nil {
		return nil, withCode(exitUsage, err)
	}
	return &loadedProject{File: f, root: root, note: note}, nil
}

// skip is scan.Options.Skip for the project file's skip-paths.
func (p *loadedProject) skip() func(name string) bool {
	if p == nil || p.File == nil || len(p.SkipPaths) == 0 {
		return nil
	}
	cwd, _ := os.Getwd()
	return func(name string) bool {
		abs := name
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(cwd, filepath.FromSlash(name))
		}
		rel, err := filepath.Rel(p.root, abs)
		if err != nil || rel == ".." || filepath.IsAbs(rel) || len(rel) > 2 && rel[:3] == ".."+string(filepath.Separator) {
			return false
		}
		return p.Skip(filepath.ToSlash(rel))
	}
}

// settings returns the project file's, or none.
func (p *loadedProject) settings() *project.File {
	if p == nil || p.File == nil {
		return &project.File{}
	}
	return p.File
}
