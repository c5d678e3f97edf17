package lint

import (
	"bufio"
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

// checkWindowed checks a large file, or a large stream, window by window.
// Text in UTF-16 is decoded first; a file with a NUL in its first bytes
// is binary, and only the Binary rules run on its windows.
func (r *Runner) checkWindowed(ctx context.Context, in Input, fail func(error)) ([]Finding, skipReason, error) {
	var src io.Reader
	if in.Open != nil {
		rc, err := in.Open()
		if err != nil {
			return nil, notSkipped, err
		}
		defer rc.Close()
		src = rc
	} else {
		fh, err := openRegular(in.Path, in.Config)
		if err != nil {
			return nil, notSkipped, describePathErr(err)
		}
		defer fh.Close()
		src = fh
	}
	br := bufio.NewReaderSize(src, binarySniff)
	head, _ := br.Peek(binarySniff)
	text := textReader(br, head)
	buf := make([]byte, WindowSize)
	var out []Finding
	skip := notSkipped
	lineBase, colBase := 0, 0 // of the current window's first byte
	carry := 0                // bytes of the previous window kept at the front
	var total int64
	for first := true; ; first = false {
		if err := ctx.Err(); err != nil {
			return nil, notSkipped, err
		}
		n, err := io.ReadFull(text, buf[carry:])
		end := carry + n
		total += int64(n)
		if r.MaxFileSize > 0 && total > r.MaxFileSize {
			return nil, skipLarge, nil
		}
		if first && bytes.IndexByte(buf[:min(end, binarySniff)], 0) >= 0 {
			skip = skipBinary
		}
		if end > 0 {
			f := NewFile(in.Name, buf[:end])
			f.lineBase, f.colBase, f.base = lineBase, colBase, in.Base
			f.binary = skip == skipBinary
			out = append(out, r.applyIgnores(r.runRules(ctx, f, true, fail), map[string]*File{f.Name: f})...)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return out, skip, nil
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
