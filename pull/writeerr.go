package pull

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/rshade/finfocus-vantage/internal/atomicfile"
)

// WriteError is a failure to write the user's output on this machine (a
// missing folder, permissions, a full disk): the user's to fix, never the
// API's. Path is the path the user gave.
type WriteError struct {
	Path string
	Err  error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("cannot write %s: %s", e.Path, e.reason())
}

func (e *WriteError) Unwrap() error { return e.Err }

// reason says what went wrong in plain words, naming the user's folder
// rather than a temporary file.
func (e *WriteError) reason() string {
	dir := filepath.Dir(e.Path)
	switch {
	case errors.Is(e.Err, atomicfile.ErrLinkInTree):
		return e.Err.Error()
	case errors.Is(e.Err, syscall.ENOSPC):
		return "the disk is full; free space or write elsewhere"
	case errors.Is(e.Err, syscall.EROFS):
		return "the file system is read-only"
	case errors.Is(e.Err, syscall.ENOTDIR):
		return fmt.Sprintf("a part of %s is a file, not a folder", dir)
	case errors.Is(e.Err, os.ErrNotExist):
		return fmt.Sprintf("the folder %s does not exist; create it first", dir)
	case errors.Is(e.Err, os.ErrPermission):
		return fmt.Sprintf("permission denied: %s or the folder %s is not writable", filepath.Base(e.Path), dir)
	case errors.Is(e.Err, syscall.EISDIR):
		return "it is a folder"
	}
	var pe *os.PathError
	if errors.As(e.Err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(e.Err, &le) {
		return le.Err.Error()
	}
	return e.Err.Error()
}

// writeErr wraps err as the user's write failure at path (nil stays nil).
func writeErr(path string, err error) error {
	if err == nil {
		return nil
	}
	var we *WriteError
	if errors.As(err, &we) {
		return err
	}
	return &WriteError{Path: path, Err: err}
}
