package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// CostKey is what a pull sums on every row.
type CostKey struct {
	Amount, Currency, Provider, Service string
}

// ScanCostKey reads amount, currency, provider and service from a row
// without decoding all of it: a single pass over the top-level keys. Rows
// whose strings use escapes are decoded the slow, general way.
func ScanCostKey(raw []byte) (CostKey, error) {
	var k CostKey
	ok, err := scanObject(raw, func(key, val []byte, str bool) {
		if !str {
			return
		}
		switch string(key) {
		case "amount":
			k.Amount = string(val)
		case "currency":
			k.Currency = string(val)
		case "provider":
			k.Provider = string(val)
		case "service":
			k.Service = string(val)
		}
	})
	if err != nil {
		return k, err
	}
	if !ok {
		return slowCostKey(raw)
	}
	return k, nil
}

// ScanCost reads a whole row in one pass, like DecodeCost but several
// times faster; rows whose strings use escapes are decoded by DecodeCost.
func ScanCost(raw []byte) (Cost, error) {
	var c Cost
	ok, err := scanObject(raw, func(key, val []byte, str bool) {
		switch string(key) {
		case "usage", "tags":
			// Raw members keep their JSON form as DecodeCost does: a string
			// (which has no escapes on this path) keeps its quotes, so
			// `"tags":""` is the string "" here too, never "no tags".
			rawVal := json.RawMessage(val)
			if str {
				rawVal = json.RawMessage(`"` + string(val) + `"`)
			}
			if key[0] == 'u' {
				c.Usage = rawVal
			} else {
				c.Tags = rawVal
			}
			return
		}
		if !str {
			return
		}
		switch string(key) {
		case "accrued_at":
			c.AccruedAt = string(val)
		case "amount":
			c.Amount = string(val)
		case "currency":
			c.Currency = string(val)
		case "provider":
			c.Provider = string(val)
		case "account_id":
			c.AccountID = string(val)
		case "billing_account_id":
			c.BillingAccountID = string(val)
		case "service":
			c.Service = string(val)
		case "region":
			c.Region = string(val)
		case "resource_id":
			c.ResourceID = string(val)
		case "resource_name":
			c.ResourceName = string(val)
		case "cost_category":
			c.CostCategory = string(val)
		case "cost_subcategory":
			c.CostSubcategory = string(val)
		case "charge_type":
			c.ChargeType = string(val)
		}
	})
	if err != nil {
		return c, err
	}
	if !ok {
		return DecodeCost(raw)
	}
	return c, nil
}

// scanObject visits the members of a JSON object: key, and either a
// string's content (str true) or another value's raw bytes. ok is false
// when the object uses escapes or is otherwise beyond this fast path; err
// is set when raw is not an object at all.
func scanObject(raw []byte, visit func(key, val []byte, str bool)) (ok bool, err error) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return false, fmt.Errorf("%w: a cost row is not a JSON object", ErrBadResponse)
	}
	i++
	var seen [24][]byte // the keys so far: a row has a dozen
	nseen := 0
	for {
		i = skipSpace(raw, i)
		if i < len(raw) && raw[i] == '}' {
			return true, nil
		}
		key, next, ok := scanString(raw, i)
		// encoding/json matches keys case-insensitively and repairs invalid
		// UTF-8: leave such rows to it, so both readers always agree.
		if !ok || !lowerASCII(key) || nseen == len(seen) {
			return false, nil
		}
		for _, k := range seen[:nseen] {
			if bytes.Equal(k, key) {
				return false, duplicateKey(key)
			}
		}
		seen[nseen] = key
		nseen++
		i = skipSpace(raw, next)
		if i >= len(raw) || raw[i] != ':' {
			return false, nil
		}
		i = skipSpace(raw, i+1)
		if i < len(raw) && raw[i] == '"' {
			val, next, ok := scanString(raw, i)
			if !ok || !utf8.Valid(val) {
				return false, nil
			}
			visit(key, val, true)
			i = next
		} else {
			next, ok := skipValue(raw, i)
			if !ok {
				return false, nil
			}
			visit(key, raw[i:next], false)
			i = next
		}
		i = skipSpace(raw, i)
		if i < len(raw) && raw[i] == ',' {
			i++
			continue
		}
		if i < len(raw) && raw[i] == '}' {
			return true, nil
		}
		return false, nil
	}
}

// ScanObject is scanObject for other packages: it visits the members of a
// flat JSON object; ok is false where the fast path does not apply.
func ScanObject(raw []byte, visit func(key, val []byte, str bool)) bool {
	ok, err := scanObject(raw, visit)
	return ok && err == nil
}

// lowerASCII reports whether a key has no uppercase letter and no
// non-ASCII byte.
func lowerASCII(key []byte) bool {
	for _, b := range key {
		if b-'A' < 26 || b >= 0x80 {
			return false
		}
	}
	return true
}

func slowCostKey(raw []byte) (CostKey, error) {
	c, err := DecodeCost(raw)
	return CostKey{Amount: c.Amount, Currency: c.Currency, Provider: c.Provider, Service: c.Service}, err
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString reads a JSON string without escapes starting at b[i] == '"';
// ok is false for escapes, which the slow path handles.
func scanString(b []byte, i int) (s []byte, next int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, i, false
	}
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '"':
			return b[i+1 : j], j + 1, true
		case '\\':
			return nil, i, false
		}
	}
	return nil, i, false
}

// skipValue skips a number, literal, object or array.
func skipValue(b []byte, i int) (int, bool) {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			_, next, ok := scanString(b, i)
			if !ok {
				return i, false
			}
			i = next - 1
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i, true
			}
			depth--
			if depth == 0 {
				return i + 1, true
			}
		case ',':
			if depth == 0 {
				return i, true
			}
		}
	}
	return i, depth == 0
}

// duplicateKey is the error for a row that names one member twice: readers
// disagree on which one counts (a pull would sum one amount and write the
// other), so the row is refused.
func duplicateKey(key []byte) error {
	return fmt.Errorf("%w: a cost row has the member %q twice (keys differing only in case count as one); the answer is refused", ErrBadResponse, key)
}

// checkKeys refuses an object whose top-level keys repeat, case aside (as
// encoding/json matches them).
func checkKeys(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil // not an object: Unmarshal says so
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		k, _ := t.(string)
		for _, seen := range keys {
			if strings.EqualFold(seen, k) {
				return duplicateKey([]byte(k))
			}
		}
		keys = append(keys, k)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil
		}
	}
	return nil
}
