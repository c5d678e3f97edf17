package lint

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// Input is one file to read and check.
type Input struct {
	// Name is the path shown in output.
	Name string
	// Path is where to read the file on disk; ignored when Read is set.
	Path string
	// Read, when set, supplies the content (the git index, a commit).
	Read func() ([]byte, error)
	// Config marks a file named as a plugin config.
	Config bool
}

// DefaultMaxFileSize is the size above which files are skipped.
const DefaultMaxFileSize = 10 << 20

type skipReason int

const (
	notSkipped skipReason = iota
	skipBinary
	skipLarge
)

// binarySniff is how much of a file is searched for a NUL byte.
const binarySniff = 8 << 10

// load reads an input, skipping binary and oversized files.
func (r *Runner) load(in Input) (*File, skipReason, error) {
	limit := r.MaxFileSize
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	var src []byte
	if in.Read != nil {
		b, err := in.Read()
		if err != nil {
			return nil, notSkipped, err
		}
		if int64(len(b)) > limit {
			return nil, skipLarge, nil
		}
		src = b
	} else {
		fh, err := os.Open(in.Path)
		if err != nil {
			return nil, notSkipped, describePathErr(err)
		}
		defer fh.Close()
		fi, err := fh.Stat()
		if err != nil {
			return nil, notSkipped, describePathErr(err)
		}
		if !fi.Mode().IsRegular() {
			return nil, notSkipped, fmt.Errorf("not a regular file")
		}
		if fi.Size() > limit {
			return nil, skipLarge, nil
		}
		src = make([]byte, fi.Size())
		n, err := io.ReadFull(fh, src)
		if err != nil && err != io.ErrUnexpectedEOF {
			return nil, notSkipped, describePathErr(err)
		}
		src = src[:n]
	}
	if !in.Config && bytes.IndexByte(src[:min(len(src), binarySniff)], 0) >= 0 {
		return nil, skipBinary, nil
	}
	f := NewFile(in.Name, src)
	if in.Config {
		f.Config, f.Kind = true, KindYAML
	}
	return f, notSkipped, nil
}

func describePathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
