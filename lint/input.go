package lint

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Input is one file to read and check.
type Input struct {
	// Name is the path shown in output.
	Name string
	// Path is where to read the file on disk; ignored when Read is set.
	Path string
	// Read, when set, supplies the content held in memory (a --config
	// checked before a pull).
	Read func() ([]byte, error)
	// Open, when set, streams the content (the git index, a revision):
	// a large stream is checked in windows like a large file on disk.
	Open func() (io.ReadCloser, error)
	// Config marks a file named as a plugin config.
	Config bool
	// Listed marks a file found by listing a folder rather than named: one
	// that no longer exists (deleted since git's index was read) is skipped
	// without a note.
	Listed bool
	// Base, when set, reads the file as the base revision of a review
	// holds it (ok false when it is new there): ignore comments the change
	// adds are told apart from those it inherits.
	Base func() (src []byte, ok bool)
	// Err, when set, is why the listing could not read this path (a
	// folder without permission, a name too long): it is reported, and the
	// scan is incomplete.
	Err error
}

// MaxWholeRead bounds a file read whole when no --max-file-size is set:
// files on disk over WindowThreshold are read in windows instead, so this
// applies to content held in memory anyway (the git index, a --config).
const MaxWholeRead = 64 << 20

type skipReason int

const (
	notSkipped skipReason = iota
	skipBinary
	skipLarge
)

// binarySniff is how much of a file is searched for a NUL byte.
const binarySniff = 8 << 10

// load reads an input, skipping binary and oversized files. Content read
// from disk goes into *buf, grown as needed and reused by the caller once
// the file is done with.
func (r *Runner) load(in Input, buf *[]byte) (*File, skipReason, error) {
	limit := r.MaxFileSize
	if limit <= 0 {
		limit = MaxWholeRead
	}
	var src []byte
	if in.Err != nil {
		return nil, notSkipped, in.Err
	}
	switch {
	case in.Read != nil:
		b, err := in.Read()
		if err != nil {
			return nil, notSkipped, err
		}
		if int64(len(b)) > limit {
			return nil, skipLarge, nil
		}
		src = b
	case in.Open != nil:
		b, err := readStream(in, min(limit, WindowThreshold), buf)
		if errors.Is(err, errTooLarge) {
			return nil, notSkipped, errWindowed
		}
		if err != nil {
			return nil, notSkipped, err
		}
		src = b
	default:
		// A file past the window threshold is read in windows instead,
		// decided on the size the open file reports: no stat beforehand,
		// on tens of thousands of files, for the few that are large.
		whole := limit
		if !in.Config {
			whole = min(limit, WindowThreshold)
		}
		b, err := readInto(in.Path, whole, buf, in.Config)
		if errors.Is(err, errTooLarge) {
			if !in.Config && r.windowed(in) {
				return nil, notSkipped, errWindowed
			}
			return nil, skipLarge, nil
		}
		if err != nil {
			return nil, notSkipped, describePathErr(err)
		}
		src = b
	}
	raw := src
	src = decodeText(src)
	skip := notSkipped
	if !in.Config && bytes.IndexByte(src[:min(len(src), binarySniff)], 0) >= 0 {
		skip = skipBinary // still given to the Binary rules
	}
	f := NewFile(in.Name, src)
	f.binary = skip == skipBinary
	f.base = in.Base
	if len(src) != len(raw) || (len(src) > 0 && &src[0] != &raw[0]) {
		// Decoded from UTF-16: the bytes as written are searched too
		// (Binary rules), so a BOM put before plain text hides nothing.
		f.raw = raw
	}
	if in.Config {
		f.Config, f.Kind = true, KindYAML
	}
	return f, skip, nil
}

// readStream reads a streamed input whole into *buf, or returns
// errTooLarge once it holds more than limit bytes.
func readStream(in Input, limit int64, buf *[]byte) ([]byte, error) {
	rc, err := in.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b := (*buf)[:0]
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := rc.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if int64(len(b)) > limit {
			*buf = b
			return nil, errTooLarge
		}
		if err == io.EOF {
			*buf = b
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

var (
	errTooLarge   = errors.New("larger than the size limit")
	errWindowed   = errors.New("large: read in windows")
	errNotRegular = errors.New("not a regular file (a device, FIFO or socket); not read")
	errSymlink    = errors.New("a symbolic link; links inside a scanned tree are not followed")
)

// ReadLimit bounds what ReadFile reads: configs, baselines, token files
// and Terraform module siblings are small, and nothing an attacker names
// may grow memory past it.
const ReadLimit = 64 << 20

// ReadFile reads a regular file of at most ReadLimit bytes without
// blocking on a FIFO or device. follow says whether a symbolic link at
// path is followed: yes for paths a user names outside the scanned tree
// (--config, --baseline, NAME_FILE, which Kubernetes mounts as links),
// no for files found inside it.
func ReadFile(path string, follow bool) ([]byte, error) {
	var buf []byte
	b, err := readInto(path, ReadLimit, &buf, follow)
	if errors.Is(err, errTooLarge) {
		return nil, fmt.Errorf("%s is larger than %d MiB; that is not a config", path, ReadLimit>>20)
	}
	if err != nil {
		return nil, &os.PathError{Op: "read", Path: path, Err: err}
	}
	return b, nil
}

// CheckOpen reports whether a file can be opened for reading, with the
// guarantees of ReadFile, without reading it: a path to scan may be of
// any size (large files are read in windows).
func CheckOpen(path string, follow bool) error {
	fh, err := openRegular(path, follow)
	if err != nil {
		return &os.PathError{Op: "open", Path: path, Err: describePathErr(err)}
	}
	return fh.Close()
}

func describePathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// ParseSize parses a byte count with an optional KiB, MiB or GiB suffix.
func ParseSize(s string) (int64, error) {
	mult := int64(1)
	upper := strings.ToUpper(strings.TrimSpace(s))
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}} {
		if strings.HasSuffix(upper, u.suffix) {
			upper, mult = strings.TrimSpace(strings.TrimSuffix(upper, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(upper, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size; write a number of bytes or e.g. 10MiB", s)
	}
	return n * mult, nil
}
