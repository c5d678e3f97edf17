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
	"sync"
)

// ErrLinkInTree means a path to write passes through a symbolic link that
// lies inside a tree the process does not trust (a scanned repository, the
// working directory): a committed link could point anywhere, so nothing
// is written through it.
var ErrLinkInTree = errors.New("a symbolic link inside the scanned tree or the working directory, which is never followed")

var (
	untrustedMu sync.Mutex
	untrusted   []string
)

// SetUntrusted names the folders whose links writes never follow: every
// path component inside one of them must not be a symbolic link (the
// file itself and its parent folders). Links elsewhere, such as
// /dev/stdout, are followed as before. It replaces the previous list.
func SetUntrusted(dirs ...string) {
	untrustedMu.Lock()
	defer untrustedMu.Unlock()
	untrusted = untrusted[:0]
	for _, d := range dirs {
		// The file system's root is no tree anyone committed (a container
		// whose working directory is / still writes to /dev/stdout).
		if abs, err := filepath.Abs(d); err == nil && filepath.Dir(abs) != abs {
			untrusted = append(untrusted, abs)
		}
	}
}

// CheckNoLinks returns an error wrapping ErrLinkInTree when a component
// of path inside an untrusted folder is a symbolic link.
func CheckNoLinks(path string) error {
	untrustedMu.Lock()
	roots := append([]string(nil), untrusted...)
	untrustedMu.Unlock()
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("resolve %s: %w", path, err)
	}
	for _, root := range roots {
		rel, err := filepath.Rel(root, abs)
		if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		at := root
		for _, part := range strings.Split(rel, string(filepath.Separator)) {
			at = filepath.Join(at, part)
			fi, err := os.Lstat(at)
			if err != nil {
				break // not there yet: created as a plain file
			}
			if fi.Mode()&os.ModeSymlink != 0 {
				return fmt.Errorf("%s: %s is %w; use a path without links", path, at, ErrLinkInTree)
			}
		}
	}
	return nil
}

// TempPrefix starts the name of every temporary file, so that a leftover
// from a killed process is recognisable and never mistaken for output.
const TempPrefix = ".finfocus-vantage-tmp-"

// File is a pending replacement of a file.
type File struct {
	*os.File
	target  string
	perm    os.FileMode // for a new file, before the umask
	done    bool
	direct  bool // the target is a device or pipe: written in place
	unnamed bool // O_TMPFILE: linked to a name only at commit
}

// Create starts writing a replacement for path; a new file gets mode 0666
// less the umask, as any program's would. The caller must end with Commit
// or Abort; Abort after Commit does nothing, so `defer f.Abort()` is the
// usual pattern.
func Create(path string) (*File, error) { return CreateMode(path, 0o666) }

// CreateMode is Create with the mode a new file gets, less the umask
// (0600 for files that may hold cost data). An existing file keeps its
// mode.
//
// What path names decides what is replaced: a device or pipe (/dev/null,
// /dev/stdout, a FIFO, or a link to one) is written in place, never
// replaced; a link to a regular file has its target replaced, never the
// link itself. A path through a link inside an untrusted folder
// (SetUntrusted) is refused before anything is written.
func CreateMode(path string, perm os.FileMode) (*File, error) {
	if err := CheckNoLinks(path); err != nil {
		return nil, err
	}
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		resolved, err := filepath.EvalSymlinks(path)
		switch {
		case err == nil:
			path = resolved
		case errors.Is(err, os.ErrNotExist):
			// A dangling link: create its target, not replace the link.
			target, rerr := os.Readlink(path)
			if rerr != nil {
				return nil, fmt.Errorf("read link %s: %w", path, rerr)
			}
			if !filepath.IsAbs(target) {
				target = filepath.Join(filepath.Dir(path), target)
			}
			path = target
		default:
			return nil, fmt.Errorf("resolve %s: %w", path, err)
		}
	}
	// A device or pipe cannot be replaced by renaming, and must not be:
	// write to it directly. O_NONBLOCK keeps a FIFO with no reader from
	// hanging the open; it is cleared again for the writes.
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		f, err := openDirect(path)
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
		return &File{File: f, target: path, perm: perm, unnamed: true}, nil
	}
	tmp, err := os.CreateTemp(dir, TempPrefix+strings.ReplaceAll(base, "*", "")+"-*")
	if err != nil {
		return nil, fmt.Errorf("create temporary file for %s: %w", path, err)
	}
	return &File{File: tmp, target: path, perm: perm}, nil
}

// umask is the process's file mode creation mask, read once by creating
// a file (changing the umask to read it would race with other threads).
var umask = sync.OnceValue(func() os.FileMode {
	dir, err := os.MkdirTemp("", TempPrefix+"umask-")
	if err != nil {
		return 0o022
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "probe")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o777)
	if err != nil {
		return 0o022
	}
	f.Close()
	fi, err := os.Stat(p)
	if err != nil {
		return 0o022
	}
	return 0o777 &^ fi.Mode().Perm()
})

// Commit flushes the temporary file to disk and renames it over the
// target, keeping the target's permissions when it existed (the mode
// asked for, less the umask, otherwise).
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
	mode := f.perm &^ umask()
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
func WriteFile(path string, data []byte) error { return WriteFileMode(path, data, 0o666) }

// WriteFileMode is WriteFile with the mode a new file gets, less the umask.
func WriteFileMode(path string, data []byte, perm os.FileMode) error {
	f, err := CreateMode(path, perm)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}
