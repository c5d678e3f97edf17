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
// Text in UTF-16 is decoded first, and its bytes as written are then
// searched too by the Binary rules, as for a file read whole (a byte-order
// mark put before plain text hides nothing); a file with a NUL in its
// first bytes is binary, and only the Binary rules run on its windows.
func (r *Runner) checkWindowed(ctx context.Context, in Input, fail func(error)) ([]Finding, skipReason, error) {
	out, skip, utf16, err := r.windows(ctx, in, fail, true)
	if err != nil || !utf16 || skip == skipLarge {
		return out, skip, err
	}
	raw, _, _, err := r.windows(ctx, in, fail, false)
	if err != nil {
		return nil, notSkipped, err
	}
	return append(out, raw...), skip, nil
}

// windows reads an input window by window, decoding UTF-16 when decode
// is set (utf16 says it was), else searching the bytes as binary.
func (r *Runner) windows(ctx context.Context, in Input, fail func(error), decode bool) (out []Finding, skip skipReason, utf16 bool, err error) {
	var src io.Reader
	if in.Open != nil {
		rc, err := in.Open()
		if err != nil {
			return nil, notSkipped, false, err
		}
		defer rc.Close()
		src = rc
	} else {
		fh, err := openRegular(in.Path, in.Config)
		if err != nil {
			return nil, notSkipped, false, describePathErr(err)
		}
		defer fh.Close()
		src = fh
	}
	br := bufio.NewReaderSize(src, binarySniff)
	head, _ := br.Peek(binarySniff)
	var text io.Reader = br
	if decode {
		text = textReader(br, head)
		utf16 = utf16Of(head) != nil
	}
	buf := make([]byte, WindowSize)
	lineBase, colBase := 0, 0 // of the current window's first byte
	carry := 0                // bytes of the previous window kept at the front
	var total int64
	for first := true; ; first = false {
		if err := ctx.Err(); err != nil {
			return nil, notSkipped, utf16, err
		}
		n, err := io.ReadFull(text, buf[carry:])
		end := carry + n
		total += int64(n)
		if r.MaxFileSize > 0 && total > r.MaxFileSize {
			return nil, skipLarge, utf16, nil
		}
		if first && (!decode || bytes.IndexByte(buf[:min(end, binarySniff)], 0) >= 0) {
			skip = skipBinary
		}
		if end > 0 {
			f := NewFile(in.Name, buf[:end])
			f.lineBase, f.colBase, f.base = lineBase, colBase, in.Base
			f.binary = skip == skipBinary
			out = append(out, r.applyIgnores(r.runRules(ctx, f, true, fail), map[string]*File{f.Name: f})...)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return out, skip, utf16, nil
		}
		if err != nil {
			return nil, notSkipped, utf16, describePathErr(err)
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
