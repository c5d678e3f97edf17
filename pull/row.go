package pull

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rshade/finfocus-vantage/vantage/api"
)

// A row the API sent is mapped once into what the typed formats need.
// Mapping never drops or rewrites data silently: a row whose date cannot
// be read is an error that stops the pull, and tags are kept both as the
// raw "key:value" strings and as a key-value object.

// row is a cost row with its dates and tags read.
type row struct {
	api.Cost
	// Start and End bound the charge period (End exclusive), in UTC,
	// clipped to the period asked for; Accrued is accrued_at in UTC.
	Start, End, Accrued time.Time
	// Tags is the row's tags split into keys and values; RawTags the
	// strings as sent, as a JSON array ("" when the row had none).
	Tags    []tagPair
	RawTags string
	// UsageAmount and UsageUnit come from the usage object.
	UsageAmount, UsageUnit string
	// ID is the row's identity: the first 128 bits of the SHA-256 of the
	// row as the API sent it, in hex, then "-" and how many rows with the
	// same content came before it in the file (0 for almost every row).
	// The same content is the same ID in every run and every file, and
	// two identical rows stay distinct.
	ID string
}

// rowIDs numbers the rows of one file that have the same content. It
// remembers every row, so it is built for the compact: a set of 63 bits
// of each row's hash, open-addressed (8 bytes a slot, at most 3/4 full:
// 11 to 21 bytes a row), and a map only for the rare content seen more
// than once. Two different rows that share those 63 bits (about one
// chance in 10^7 for a million rows) would number the second 1 rather
// than 0; its ID stays unique, as the 128 bits written differ.
type rowIDs struct {
	slots []uint64 // a hash's first 64 bits with the top bit set (the slot index takes the low bits); 0 is empty
	n     int
	again map[uint64]int32 // how many times content was seen after the first
}

// next returns the ID of raw, the next row of the file.
func (ids *rowIDs) next(raw []byte) string {
	sum := sha256.Sum256(raw)
	n := ids.seen(binary.LittleEndian.Uint64(sum[:8]) | 1<<63)
	return hex.EncodeToString(sum[:16]) + "-" + strconv.Itoa(int(n))
}

// seen adds h and returns how many times it was added before.
func (ids *rowIDs) seen(h uint64) int32 {
	if (ids.n+1)*4 > len(ids.slots)*3 {
		ids.grow()
	}
	mask := uint64(len(ids.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch ids.slots[i] {
		case 0:
			ids.slots[i] = h
			ids.n++
			return 0
		case h:
			if ids.again == nil {
				ids.again = map[uint64]int32{}
			}
			ids.again[h]++
			return ids.again[h]
		}
	}
}

// grow doubles the table (1,024 slots at first) and puts every hash back.
func (ids *rowIDs) grow() {
	old := ids.slots
	ids.slots = make([]uint64, max(1024, 2*len(old)))
	mask := uint64(len(ids.slots) - 1)
	for _, h := range old {
		if h == 0 {
			continue
		}
		i := h & mask
		for ids.slots[i] != 0 {
			i = (i + 1) & mask
		}
		ids.slots[i] = h
	}
}

// tagPair is one tag. HasValue is false for a tag with no colon.
type tagPair struct {
	Key, Value string
	HasValue   bool
}

// dateLayouts are the ISO 8601 forms the API writes accrued_at in: a date
// (the response example), a date with an offset (the schema's example,
// 2023-09-05+00:00), and date-times with Z or an offset (hourly bins).
var dateLayouts = []string{
	"2006-01-02",
	"2006-01-02Z07:00",
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
}

// parseAccruedAt reads accrued_at in any of the forms the API writes, and
// returns it in UTC. A date-only value is midnight UTC.
func parseAccruedAt(s string) (time.Time, error) {
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("accrued_at %q is not an ISO 8601 date or date-time", s)
}

// periodEnd is the exclusive end of a charge period that starts at start
// for the query's date bin.
func periodEnd(start time.Time, bin string) time.Time {
	switch bin {
	case "hour":
		return start.Add(time.Hour)
	case "week":
		return start.AddDate(0, 0, 7)
	case "month":
		return start.AddDate(0, 1, 0)
	case "quarter":
		return start.AddDate(0, 3, 0)
	}
	return start.AddDate(0, 0, 1)
}

// readTags reads the tags array: ["k:v", ...] as the schema says. Any
// other shape is an error, never an empty set.
func readTags(raw json.RawMessage, keys *TagKeys) ([]tagPair, string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, "", nil
	}
	if tags, compact, ok := scanTags(raw, keys); ok {
		return tags, compact, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, "", fmt.Errorf("tags is not an array of \"key:value\" strings: %.80s", raw)
	}
	out := make([]tagPair, len(list))
	for i, s := range list {
		out[i] = keys.split(s)
	}
	compact, _ := json.Marshal(list)
	return out, string(compact), nil
}

// period is how rows' charge periods are made: the date bin's length,
// clipped to the range asked for ([from, to), when set).
type period struct {
	bin      string
	from, to time.Time
	ids      *rowIDs // shared by the copies of one writer's period
	tags     *TagKeys
}

// bounds is the charge period of a bin that begins at start: the bin,
// clipped to the range asked for. Vantage answers a range shorter than a
// week or month bin with only that range's data, dated by the bin's first
// day (accrued_at), so a month row for 10–15 October covers 10–15 October,
// not the month.
func (p period) bounds(start time.Time) (time.Time, time.Time) {
	end := periodEnd(start, p.bin)
	if !p.from.IsZero() && start.Before(p.from) && end.After(p.from) {
		start = p.from
	}
	if !p.to.IsZero() && end.After(p.to) && start.Before(p.to) {
		end = p.to
	}
	return start, end
}

// mapRow reads a raw row for the typed formats.
func mapRow(raw json.RawMessage, per period) (*row, error) {
	c, err := api.ScanCost(raw)
	if err != nil {
		return nil, err
	}
	r := &row{Cost: c}
	if r.Start, err = parseAccruedAt(c.AccruedAt); err != nil {
		return nil, err
	}
	r.Accrued = r.Start
	r.Start, r.End = per.bounds(r.Start)
	if per.ids != nil {
		r.ID = per.ids.next(raw)
	}
	if r.Tags, r.RawTags, err = readTags(c.Tags, per.tags); err != nil {
		return nil, err
	}
	r.UsageAmount, r.UsageUnit = usage(c.Usage)
	return r, nil
}

// usage extracts amount and unit from the row's usage object.
func usage(raw json.RawMessage) (amount, unit string) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", ""
	}
	ok := api.ScanObject(raw, func(key, val []byte, str bool) {
		if !str && string(val) == "null" {
			return
		}
		switch string(key) {
		case "amount":
			amount = string(val) // a string or a bare number, as sent
		case "unit":
			unit = string(val)
		}
	})
	if ok {
		return amount, unit
	}
	var u struct {
		Amount json.RawMessage `json:"amount"`
		Unit   string          `json:"unit"`
	}
	if json.Unmarshal(raw, &u) != nil {
		return "", ""
	}
	return strings.Trim(string(u.Amount), `"`), u.Unit
}

// tagsObject writes tags as a JSON object (FOCUS's KeyValueFormat), keys
// sorted; a tag without a value maps to null; for a repeated key the last
// value wins (the raw array keeps every one).
func tagsObject(tags []tagPair) string {
	if len(tags) == 0 {
		return "{}"
	}
	m := make(map[string]tagPair, len(tags))
	keys := make([]string, 0, len(tags))
	for _, t := range tags {
		if _, dup := m[t.Key]; !dup {
			keys = append(keys, t.Key)
		}
		m[t.Key] = t
	}
	sortStrings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, k)
		b.WriteByte(':')
		if t := m[k]; t.HasValue {
			writeJSONString(&b, t.Value)
		} else {
			b.WriteString("true") // FOCUS: a key without a value is true
		}
	}
	b.WriteByte('}')
	return b.String()
}

// scanTags reads ["k:v", ...] whose strings have no escapes in one pass,
// returning the array as compact JSON; ok is false for anything else,
// which readTags then decodes the general way.
func scanTags(raw []byte, keys *TagKeys) ([]tagPair, string, bool) {
	i := skipWS(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return nil, "", false
	}
	var tags []tagPair
	var b strings.Builder
	b.Grow(len(raw))
	b.WriteByte('[')
	i = skipWS(raw, i+1)
	if i < len(raw) && raw[i] == ']' {
		return tags, "[]", skipWS(raw, i+1) == len(raw)
	}
	for {
		if i >= len(raw) || raw[i] != '"' {
			return nil, "", false
		}
		j := i + 1
		for j < len(raw) && raw[j] != '"' {
			if c := raw[j]; c == '\\' || c < 0x20 || c >= 0x80 {
				return nil, "", false
			}
			j++
		}
		if j >= len(raw) {
			return nil, "", false
		}
		s := string(raw[i+1 : j])
		if len(tags) > 0 {
			b.WriteByte(',')
		}
		b.Write(raw[i : j+1])
		tags = append(tags, keys.split(s))
		i = skipWS(raw, j+1)
		if i < len(raw) && raw[i] == ',' {
			i = skipWS(raw, i+1)
			continue
		}
		if i < len(raw) && raw[i] == ']' && skipWS(raw, i+1) == len(raw) {
			b.WriteByte(']')
			return tags, b.String(), true
		}
		return nil, "", false
	}
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// isoAccrued writes accrued_at in ISO 8601 as spreadsheets and DuckDB read
// it: a date (2026-10-01) for a bin that starts at midnight UTC, else a
// UTC date-time (2026-10-01T05:00:00Z). The form sent (2026-10-01+00:00)
// is text to both.
func (r *row) isoAccrued() string {
	if r.Accrued.Hour() == 0 && r.Accrued.Minute() == 0 && r.Accrued.Second() == 0 && r.Accrued.Nanosecond() == 0 {
		return r.Accrued.Format("2006-01-02")
	}
	return r.Accrued.Format("2006-01-02T15:04:05Z")
}
