package lint

import "bytes"

// commonBytes are the bytes that fill ordinary text and code: lowercase
// letters other than the rare ones, space, newline, quotes and everyday
// punctuation. A substring search anchored on one of them calls
// IndexByte every few bytes; anchored on a rare byte, it skips ahead in
// long vectorised strides.
var commonBytes = func() (t [256]bool) {
	for _, b := range []byte("etaoinshrdlcumwfgypb .,;:=()[]{}\"'\n\t_-/0123456789") {
		t[b] = true
	}
	return t
}()

// Contains reports whether word occurs in src. It anchors the search on
// the word's rarest-looking byte (an uppercase letter, v, k, x, j, q, z or
// a rare symbol) and compares the rest around each hit, which is several
// times faster than bytes.Contains for words that start with a common
// letter.
func Contains(src []byte, word string) bool {
	anchor := -1
	for i := 0; i < len(word); i++ {
		if !commonBytes[word[i]] {
			anchor = i
			break
		}
	}
	if anchor < 0 || len(word) < 2 {
		return bytes.Contains(src, []byte(word))
	}
	c := word[anchor]
	for i := anchor; i < len(src); {
		j := bytes.IndexByte(src[i:], c)
		if j < 0 {
			return false
		}
		at := i + j - anchor // where the word would start
		if at >= 0 && at+len(word) <= len(src) && string(src[at:at+len(word)]) == word {
			return true
		}
		i += j + 1
	}
	return false
}
