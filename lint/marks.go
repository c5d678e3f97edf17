package lint

import "bytes"

// Marks records which Vantage words a file contains. Every rule about
// Vantage credentials, and the ignore-comment scan, asks it first.
type Marks struct {
	Lower bool // "vantage"
	Title bool // "Vantage"
	Upper bool // "VANTAGE"
	Token bool // "vntg_tkn_"
}

// Any reports whether the file mentions Vantage in any way.
func (m Marks) Any() bool { return m.Lower || m.Title || m.Upper || m.Token }

type marksKey struct{}

// Marks scans the file once for the Vantage words. It looks for the bytes
// 'v' and 'V' with IndexByte (vectorised, and both are rare in text) and
// compares what follows, instead of one substring search per word, whose
// common first letters make them slow.
func (f *File) Marks() Marks {
	return f.Memo(marksKey{}, func() any {
		var m Marks
		src := f.Src
		for i := 0; !(m.Lower && m.Token); {
			j := bytes.IndexByte(src[i:], 'v')
			if j < 0 {
				break
			}
			rest := src[i+j+1:]
			m.Lower = m.Lower || bytes.HasPrefix(rest, []byte("antage"))
			m.Token = m.Token || bytes.HasPrefix(rest, []byte("ntg_tkn_"))
			i += j + 1
		}
		for i := 0; !(m.Title && m.Upper); {
			j := bytes.IndexByte(src[i:], 'V')
			if j < 0 {
				break
			}
			rest := src[i+j+1:]
			m.Title = m.Title || bytes.HasPrefix(rest, []byte("antage"))
			m.Upper = m.Upper || bytes.HasPrefix(rest, []byte("ANTAGE"))
			i += j + 1
		}
		return m
	}).(Marks)
}
