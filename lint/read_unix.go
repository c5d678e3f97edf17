//go:build unix

package lint

import (
	"fmt"
	"os"
	"syscall"
)

// readInto reads the file at path into *buf (grown as needed, reused by
// the caller) and returns its content, or errTooLarge past limit bytes.
// It is the one way the tool opens a file it reads (ReadFile wraps it):
//   - O_NONBLOCK: a FIFO or device never hangs the open;
//   - O_NOFOLLOW unless follow: a symbolic link inside a scanned tree is
//     not followed (a committed link to /etc/passwd is not read);
//   - fstat on the open file: only regular files are read, and the size
//     is checked before reading, so /dev/zero or a huge file cannot grow
//     memory past limit.
//
// It uses the system calls directly: os.Open registers every file with
// the network poller, which a scan of tens of thousands of files pays for
// in full.
func readInto(path string, limit int64, buf *[]byte, follow bool) ([]byte, error) {
	fd, st, err := openFD(path, follow)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	if limit > 0 && st.Size > limit {
		return nil, errTooLarge
	}
	if want := int(st.Size) + 1; cap(*buf) < want {
		*buf = make([]byte, max(want, 2*cap(*buf), 64<<10)) // doubling: a worker's buffer settles
	}
	b := (*buf)[:cap(*buf)]
	n := 0
	for {
		if n == len(b) {
			if limit > 0 && int64(n) > limit {
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
			return nil, errNotRegular
		}
		if err != nil {
			return nil, fmt.Errorf("read: %w", err)
		}
		if m == 0 {
			break
		}
		n += m
		// The size fstat gave is read: stop without another read for
		// EOF (one system call a file, on tens of thousands of files).
		if st.Size > 0 && int64(n) >= st.Size {
			break
		}
	}
	if limit > 0 && int64(n) > limit {
		return nil, errTooLarge
	}
	return b[:n], nil
}

// openRegular opens a regular file for streaming (large files read in
// windows) with the same guarantees as readInto.
func openRegular(path string, follow bool) (*os.File, error) {
	fd, _, err := openFD(path, follow)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), path), nil
}

// openFD opens path without blocking and, unless follow, without following
// a link, and returns it only if it is a regular file, with its stat.
func openFD(path string, follow bool) (int, syscall.Stat_t, error) {
	var st syscall.Stat_t
	flags := syscall.O_RDONLY | syscall.O_CLOEXEC | syscall.O_NONBLOCK
	if !follow {
		flags |= syscall.O_NOFOLLOW
	}
	fd, err := syscall.Open(path, flags, 0)
	if err != nil {
		if err == syscall.ELOOP && !follow {
			return -1, st, errSymlink
		}
		return -1, st, err
	}
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return -1, st, fmt.Errorf("stat: %w", err)
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		syscall.Close(fd)
		return -1, st, errNotRegular
	}
	return fd, st, nil
}
