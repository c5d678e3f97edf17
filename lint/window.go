package lint

import (
	"bytes"
	"context"
	"errors"
	"io"
	"unicode/utf8"
)

// Large files are checked in windows so that memory stays bounded: a file
// over WindowThreshold (and under the size limit) is read WindowSize bytes
// at a time, each window overlapping the previous one by WindowOverlap
// bytes so that a token across a boundary is seen whole in one of them.
// Only rules marked Windowed (the line-oriented ones) run on windows;
// structured rules need the whole file and skip such files.
const (
	WindowThreshold = 16 << 20
	WindowSize      = 4 << 20
	WindowOverlap   = 4 << 10
)

// checkWindowed checks a large file window by window.
func (r *Runner) checkWindowed(ctx context.Context, in Input, fail func(error)) ([]Finding, skipReason, error) {
	fh, err := openRegular(in.Path, in.Config)
	if err != nil {
		return nil, notSkipped, describePathErr(err)
	}
	defer fh.Close()
	buf := make([]byte, WindowSize)
	var out []Finding
	lineBase, colBase := 0, 0 // of the current window's first byte
	carry := 0                // bytes of the previous window kept at the front
	for first := true; ; first = false {
		if err := ctx.Err(); err != nil {
			return nil, notSkipped, err
		}
		n, err := io.ReadFull(fh, buf[carry:])
		end := carry + n
		if first && bytes.IndexByte(buf[:min(end, binarySniff)], 0) >= 0 {
			return nil, skipBinary, nil
		}
		if end > 0 {
			f := NewFile(in.Name, buf[:end])
			f.lineBase, f.colBase = lineBase, colBase
			out = append(out, r.applyIgnores(r.runRules(ctx, f, true, fail), map[string]*File{f.Name: f})...)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return out, notSkipped, nil
		}
		if err != nil {
			return nil, notSkipped, describePathErr(err)
		}
		// The next window starts WindowOverlap bytes before this one ends.
		next := end - WindowOverlap
		consumed := buf[:next]
		if nl := bytes.Count(consumed, []byte{'\n'}); nl > 0 {
			lineBase += nl
			colBase = utf8.RuneCount(consumed[bytes.LastIndexByte(consumed, '\n')+1:])
		} else {
			colBase += utf8.RuneCount(consumed)
		}
		copy(buf, buf[next:end])
		carry = WindowOverlap
	}
}
