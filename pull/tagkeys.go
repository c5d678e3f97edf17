package pull

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/rshade/finfocus-vantage/vantage/api"
)

// Vantage writes a tag as one "key:value" string, and both halves may
// hold colons: provider keys do (aws:ecs:serviceName), and so do values
// (URLs, ARNs). Splitting at a guessed colon alters one or the other,
// which FOCUS forbids (Tags-C-010-C), so a tag is split where a key the
// workspace has ends: the keys named by tag:<key> groupings, and the keys
// GET /tags lists when rows are grouped by tagged.

// TagKeys tells the writers where the key of each tag ends. The zero of
// *TagKeys (nil) knows no keys.
type TagKeys struct {
	known map[string]bool
	// longest is the length of the longest known key: no colon after it
	// can end one.
	longest int
	// guessed counts tags split without certainty: no known key fits and
	// the tag holds more than one colon (split at the last), or two known
	// keys fit (split after the longer).
	guessed atomic.Int64
}

// newTagKeys returns the splitter for these keys.
func newTagKeys(keys []string) *TagKeys {
	k := &TagKeys{known: make(map[string]bool, len(keys))}
	for _, key := range keys {
		k.known[key] = true
		k.longest = max(k.longest, len(key))
	}
	return k
}

// Guessed is how many tags were split without certainty so far.
func (k *TagKeys) Guessed() int64 {
	if k == nil {
		return 0
	}
	return k.guessed.Load()
}

// split splits one tag. A tag without a colon is a key without a value.
// Otherwise the key is the longest known key the tag starts with, before
// a colon; failing that, a tag with one colon is split there, and one
// with more at its last colon (provider keys hold colons more often than
// values do), which is counted as a guess.
func (k *TagKeys) split(s string) tagPair {
	first := strings.IndexByte(s, ':')
	if first < 0 {
		return tagPair{Key: s}
	}
	last := strings.LastIndexByte(s, ':')
	if k != nil && len(k.known) > 0 {
		fits := 0
		at := -1
		for i := min(last, k.longest); i >= first; i-- {
			if s[i] == ':' && k.known[s[:i]] {
				fits++
				if at < 0 {
					at = i
				}
			}
		}
		if at >= 0 {
			if fits > 1 {
				k.guessed.Add(1)
			}
			return tagPair{Key: s[:at], Value: s[at+1:], HasValue: true}
		}
	}
	if first != last && k != nil {
		k.guessed.Add(1)
	}
	return tagPair{Key: s[:last], Value: s[last+1:], HasValue: true}
}

// splitsTags reports whether a format splits tags into keys and values
// (jsonl keeps every row as sent).
func splitsTags(format string) bool { return format != "jsonl" }

// loadTagKeys finds the tag keys a pull with these groupings needs: the
// keys of tag:<key> groupings, and, when rows are grouped by tagged,
// every key GET /tags lists (one request per 1,000 keys). When the list
// cannot be had the pull goes on, and say is told why and what that
// means; only a cancelled context is an error.
func loadTagKeys(ctx context.Context, client *api.Client, format string, groupings []string, say func(string)) (*TagKeys, error) {
	if !splitsTags(format) {
		return nil, nil
	}
	var keys []string
	tagged := false
	for _, g := range groupings {
		if k, ok := strings.CutPrefix(g, "tag:"); ok {
			keys = append(keys, k)
		}
		tagged = tagged || g == "tagged"
	}
	if tagged {
		listed, err := client.TagKeys(ctx)
		switch {
		case err == nil:
			keys = append(keys, listed...)
		case ctx.Err() != nil || errors.Is(err, context.Canceled):
			return nil, client.ScrubError(err)
		case say != nil:
			say(fmt.Sprintf("could not list the workspace's tag keys (%v): a tag holding more than one colon is split at its last colon; x_VantageTags and the raw tags keep every tag as sent", client.ScrubError(err)))
		}
	}
	slices.Sort(keys)
	return newTagKeys(slices.Compact(keys)), nil
}

// sayGuessed tells the user of tags split without certainty.
func sayGuessed(k *TagKeys, say func(string)) {
	if n := k.Guessed(); n > 0 && say != nil {
		say(fmt.Sprintf("%d tags were split without certainty: no key GET /tags lists fits them (or two do) and they hold more than one colon; x_VantageTags and the raw tags keep every tag as sent", n))
	}
}
