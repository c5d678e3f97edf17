//go:build !unix

package lint

import (
	"io"
	"os"
)

// readInto reads the file at path into *buf (grown as needed, reused by
// the caller) and returns its content, or errTooLarge past limit bytes.
// Where the system has no O_NOFOLLOW, a link is refused by Lstat before
// the open (a race a local attacker could win, which a pull request
// cannot); only regular files are read, and their size is checked first.
func readInto(path string, limit int64, buf *[]byte, follow bool) ([]byte, error) {
	if err := refuseLink(path, follow); err != nil {
		return nil, err
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errNotRegular
	}
	if limit > 0 && fi.Size() > limit {
		return nil, errTooLarge
	}
	want := int(fi.Size()) + 1
	if cap(*buf) < want {
		*buf = make([]byte, max(want, 64<<10))
	}
	b := (*buf)[:want]
	n, err := io.ReadFull(fh, b)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	if limit > 0 && int64(n) > limit {
		return nil, errTooLarge
	}
	return b[:n], nil
}

// openRegular opens a regular file for streaming (large files read in
// windows) with the same guarantees as readInto.
func openRegular(path string, follow bool) (*os.File, error) {
	if err := refuseLink(path, follow); err != nil {
		return nil, err
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if fi, err := fh.Stat(); err != nil || !fi.Mode().IsRegular() {
		fh.Close()
		return nil, errNotRegular
	}
	return fh, nil
}

// refuseLink is errSymlink for a link when links are not followed.
func refuseLink(path string, follow bool) error {
	if fi, err := os.Lstat(path); err == nil && !follow && fi.Mode()&os.ModeSymlink != 0 {
		return errSymlink
	}
	return nil
}
