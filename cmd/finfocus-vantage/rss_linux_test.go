//go:build linux

package main

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// runPeak runs cmd and returns its combined output and its peak resident
// memory in bytes, read from /proc/PID/status's VmHWM while it runs (the
// high-water mark of its own address space: rusage's maxrss would count
// the test process, whose memory a vforked child inherits until exec).
func runPeak(cmd *exec.Cmd) ([]byte, int64, error) {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	status := "/proc/" + strconv.Itoa(cmd.Process.Pid) + "/status"
	var peak int64
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		if b, err := os.ReadFile(status); err == nil {
			if i := bytes.Index(b, []byte("VmHWM:")); i >= 0 {
				f := bytes.Fields(b[i+len("VmHWM:"):])
				if len(f) > 0 {
					if kb, err := strconv.ParseInt(string(f[0]), 10, 64); err == nil && kb<<10 > peak {
						peak = kb << 10
					}
				}
			}
		}
		select {
		case err := <-done:
			return out.Bytes(), peak, err
		case <-tick.C:
		}
	}
}
