// Package atomicfile writes files so that readers see either the old
// content or the complete new content, never a half-written file: output
// goes to a temporary file in the same folder, which is synced and renamed
// over the target only when the writer commits. On Linux the temporary
// file has no name until the commit (O_TMPFILE), so even a process killed
// with SIGKILL leaves nothing behind; elsewhere it is a hidden file whose
// name starts with TempPrefix.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// TempPrefix starts the name of every temporary file, so that a leftover
// from a killed process is recognisable and never mistaken for output.
const TempPrefix = ".finfocus-vantage-tmp-"

// File is a pending replacement of a file.
type File struct {
	*os.File
	target  string
	done    bool
	direct  bool // the target is a device or pipe: written in place
	unnamed bool // O_TMPFILE: linked to a name only at commit
}

// Create starts writing a replacement for path. The caller must end with
// Commit or Abort; Abort after Commit does nothing, so `defer f.Abort()` is
// the usual pattern.
func Create(path string) (*File, error) {
	// A device or pipe (/dev/null, /dev/stdout, a FIFO) cannot be replaced
	// by renaming, and must not be: write to it directly.
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		return &File{File: f, target: path, direct: true}, nil
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if f, ok := openUnnamed(dir); ok {
		return &File{File: f, target: path, unnamed: true}, nil
	}
	tmp, err := os.CreateTemp(dir, TempPrefix+strings.ReplaceAll(base, "*", "")+"-*")
	if err != nil {
		return nil, fmt.Errorf("create temporary file for %s: %w", path, err)
	}
	return &File{File: tmp, target: path}, nil
}

// Commit flushes the temporary file to disk and renames it over the
// target, keeping the target's permissions when it existed (0644 otherwise).
func (f *File) Commit() error {
	if f.done {
		return errors.New("atomicfile: already finished")
	}
	f.done = true
	if f.direct {
		if err := f.Close(); err != nil {
			return fmt.Errorf("write %s: %w", f.target, err)
		}
		return nil
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(f.target); err == nil {
		mode = fi.Mode().Perm()
	}
	err := errors.Join(f.Chmod(mode), f.Sync())
	name := f.Name()
	if err == nil && f.unnamed {
		dir, base := filepath.Split(f.target)
		name = filepath.Join(dir, fmt.Sprintf("%s%s-%d", TempPrefix, base, os.Getpid()))
		err = linkUnnamed(f.File, name)
	}
	err = errors.Join(err, f.Close())
	if err == nil {
		err = os.Rename(name, f.target)
	}
	if err != nil {
		if !f.unnamed || name != f.Name() {
			os.Remove(name)
		}
		return fmt.Errorf("write %s: %w", f.target, err)
	}
	if d, err := os.Open(filepath.Dir(f.target)); err == nil {
		d.Sync() // best effort: make the rename durable
		d.Close()
	}
	return nil
}

// Abort discards the temporary file and leaves the target untouched.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	if !f.direct && !f.unnamed {
		os.Remove(f.Name())
	}
}

// WriteFile replaces path with data atomically.
func WriteFile(path string, data []byte) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}
