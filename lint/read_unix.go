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
	flags := syscall.O_RDONLY | syscall.O_CLOEXEC | syscall.O_NONBLOCK
	if !follow {
		flags |= syscall.O_NOFOLLOW
	}
	fd, err := syscall.Open(path, flags, 0)
	if err != nil {
		if err == syscall.ELOOP && !follow {
			return nil, errSymlink
		}
		return nil, err
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, fmt.Errorf("stat: %w", err)
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, errNotRegular
	}
	if limit > 0 && st.Size > limit {
		return nil, errTooLarge
	}
	if want := int(st.Size) + 1; cap(*buf) < want || cap(*buf) < 64<<10 {
		*buf = make([]byte, max(want, 64<<10))
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
	}
	if limit > 0 && int64(n) > limit {
		return nil, errTooLarge
	}
	return b[:n], nil
}

// openRegular opens a regular file for streaming (large files read in
// windows) with the same guarantees as readInto.
func openRegular(path string, follow bool) (*os.File, error) {
	flags := syscall.O_RDONLY | syscall.O_CLOEXEC | syscall.O_NONBLOCK
	if !follow {
		flags |= syscall.O_NOFOLLOW
	}
	fd, err := syscall.Open(path, flags, 0)
	if err != nil {
		if err == syscall.ELOOP && !follow {
			return nil, errSymlink
		}
		return nil, err
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		syscall.Close(fd)
		if err != nil {
			return nil, err
		}
		return nil, errNotRegular
	}
	return os.NewFile(uintptr(fd), path), nil
}
