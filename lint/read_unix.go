//go:build unix

package lint

import (
	"errors"
	"fmt"
	"syscall"
)

// readInto reads the file at path into *buf (grown as needed, reused by
// the caller) and returns its content, or errTooLarge past limit bytes.
// It uses the system calls directly: os.Open registers every file with
// the network poller and stats it, which a scan of tens of thousands of
// files pays for in full. O_NONBLOCK keeps a FIFO from hanging the scan.
func readInto(path string, limit int64, buf *[]byte) ([]byte, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	if cap(*buf) < 64<<10 {
		*buf = make([]byte, 64<<10)
	}
	b := (*buf)[:cap(*buf)]
	n := 0
	for {
		if n == len(b) {
			if int64(n) > limit {
				return nil, errTooLarge
			}
			nb := make([]byte, 2*len(b))
			copy(nb, b[:n])
			b = nb
			*buf = nb
		}
		m, err := syscall.Read(fd, b[n:])
		if err == syscall.EINTR {
			continue
		}
		if err == syscall.EAGAIN {
			return nil, errors.New("not a regular file")
		}
		if err != nil {
			return nil, fmt.Errorf("read: %w", err)
		}
		if m == 0 {
			break
		}
		n += m
	}
	if int64(n) > limit {
		return nil, errTooLarge
	}
	return b[:n], nil
}
