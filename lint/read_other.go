//go:build !unix

package lint

import (
	"errors"
	"io"
	"os"
)

var errNotRegular = errors.New("not a regular file")

// readInto reads the file at path into *buf (grown as needed, reused by
// the caller) and returns its content, or errTooLarge past limit bytes.
func readInto(path string, limit int64, buf *[]byte) ([]byte, error) {
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
	if fi.Size() > limit {
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
	if int64(n) > limit {
		return nil, errTooLarge
	}
	return b[:n], nil
}
