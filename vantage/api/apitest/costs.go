package apitest

import (
	"context"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

var providers = []struct {
	name     string
	services []string
	regions  []string // "" means the row's region is null (not regional)
}{
	{"aws", []string{"Amazon Elastic Compute Cloud - Compute", "Amazon Simple Storage Service", "AmazonSNS", "Amazon Relational Database Service", "AWS Lambda"}, []string{"us-east-1", "us-west-2", "eu-west-1"}},
	{"gcp", []string{"Compute Engine", "Cloud Storage", "BigQuery"}, []string{"us-central1", "europe-west1"}},
	{"azure", []string{"Virtual Machines", "Storage", "Azure Kubernetes Service"}, []string{"eastus", "westeurope"}},
	{"datadog", []string{"Infrastructure Hosts", "Log Management"}, []string{""}},
	{"snowflake", []string{"Warehouse Compute", "Storage"}, []string{"aws_us_east_1"}},
}

// accounts are the generated account IDs.
var accounts = func() (a [9]string) {
	for i := range a {
		a[i] = strconv.Itoa(100000000000 + i)
	}
	return a
}()

// Tag is one tag of the fake's rows. The API writes it as one string,
// Key + ":" + Value, and both halves may hold colons: provider keys do
// (aws:ecs:serviceName), and so do values (URLs, ARNs). Only GET /tags,
// which lists the keys, tells where a key ends.
type Tag struct{ Key, Value string }

// String is the tag as the API writes it in a row.
func (t Tag) String() string { return t.Key + ":" + t.Value }

// tagSets are the tags a generated row can carry.
var tagSets = [][]Tag{
	{{"environment", "production"}, {"team", "platform"}, {"aws:ecs:serviceName", "frontend"}},
	{{"environment", "staging"}, {"team", "data"}, {"aws:cloudformation:stack-id", "arn:aws:cloudformation:us-east-1:123456789012:stack/web/0a1b2c3d"}},
	{{"team", "web"}, {"cost-center", "cc:42"}, {"repo", "https://git.example.com:8443/platform/app"}},
	nil,
}

// Tags returns every tag the fake's rows can carry, so a test can check
// what a pull made of the strings the API sent.
func Tags() []Tag {
	var out []Tag
	for _, set := range tagSets {
		out = append(out, set...)
	}
	return out
}

// tagKeys are the distinct keys of tagSets, sorted: what GET /tags lists.
func tagKeys() []string {
	var keys []string
	for _, t := range Tags() {
		if !slices.Contains(keys, t.Key) {
			keys = append(keys, t.Key)
		}
	}
	slices.Sort(keys)
	return keys
}

// Kinds of generated charges. Credits, refunds and tax are rows only when
// the settings include them; otherwise that row is usage.
const (
	kindUsage = iota
	kindTax
	kindCredit
	kindRefund
)

// query is a parsed GET /costs.
type query struct {
	start     time.Time
	days      int
	bin       string
	groupings []string
	settings  map[string]string
	dateForm  string
}

func (q *query) grouped(field string) bool { return slices.Contains(q.groupings, field) }

// tagged reports whether rows carry tags: grouped by "tagged" or by a tag
// key (then only that key's pairs).
func (q *query) tagged() (bool, string) {
	for _, g := range q.groupings {
		if g == "tagged" {
			return true, ""
		}
		if k, ok := strings.CutPrefix(g, "tag:"); ok {
			return true, k
		}
	}
	return false, ""
}

func (q *query) setting(name string) bool { return q.settings[name] == "true" }

type nextHostKey struct{}

func withNextHost(ctx context.Context, host string) context.Context {
	return context.WithValue(ctx, nextHostKey{}, host)
}

// pageLink is the link to page n of the answer to r: r's query with
// page=n, absolute unless RelativeLinks, on another host under a NextHost
// fault.
func (s *Server) pageLink(r *http.Request, n int) string {
	q := r.URL.Query()
	q.Set("page", strconv.Itoa(n))
	path := r.URL.Path + "?" + q.Encode()
	if host, _ := r.Context().Value(nextHostKey{}).(string); host != "" {
		return "http://" + host + path
	}
	if s.RelativeLinks {
		return path
	}
	return "http://" + r.Host + path
}

// row writes generated row i as JSON in the published schema's shape and
// returns its amount in millionths.
func (s *Server) row(b []byte, i int, q *query) ([]byte, int64) {
	h := hash64(s.Seed, uint64(i))
	p := providers[h%uint64(len(providers))]
	svc := p.services[(h>>8)%uint64(len(p.services))]
	region := p.regions[(h>>16)%uint64(len(p.regions))]
	micro := int64((h >> 20) % 500_000_000)
	decimals := 2 + int((h>>50)%5)
	unit := int64(1)
	for d := decimals; d < 6; d++ {
		unit *= 10
	}
	micro -= micro % unit
	kind := kindUsage
	switch {
	case i%13 == 5 && q.setting("include_tax"):
		kind, svc, micro = kindTax, "Tax", micro/10
	case i%17 == 7 && q.setting("include_credits"):
		kind, micro = kindCredit, -micro/4
	case i%19 == 11 && q.setting("include_refunds"):
		kind, micro = kindRefund, -micro/8
	}
	micro -= micro % unit // what is written is what is summed
	day := q.start.AddDate(0, 0, i%max(q.days, 1))
	switch q.bin {
	case "week":
		day = day.AddDate(0, 0, -int(day.Weekday()))
	case "month":
		day = time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
	case "quarter":
		day = time.Date(day.Year(), ((day.Month()-1)/3)*3+1, 1, 0, 0, 0, 0, time.UTC)
	case "hour":
		day = day.Add(time.Duration((h>>24)%24) * time.Hour)
	}
	currency := "USD"
	if s.MixedCurrency && i%7 == 3 {
		currency = "EUR"
	}
	b = append(b, `{"accrued_at":"`...)
	switch {
	case q.bin == "hour" || q.dateForm == "datetime":
		b = day.AppendFormat(b, "2006-01-02T15:04:05Z")
	case q.dateForm == "date":
		b = day.AppendFormat(b, "2006-01-02")
	default:
		b = day.AppendFormat(b, "2006-01-02+00:00")
	}
	b = append(b, `","amount":"`...)
	b = appendMicro(b, micro, decimals)
	b = append(b, `","currency":"`...)
	b = append(b, currency...)
	b = append(b, '"')
	// Every generated value is plain ASCII without quotes or
	// backslashes, so it is written between quotes as it is.
	str := func(name, v string) {
		b = append(b, `,"`...)
		b = append(b, name...)
		b = append(b, `":`...)
		if v == "" {
			b = append(b, "null"...)
			return
		}
		b = append(b, '"')
		b = append(b, v...)
		b = append(b, '"')
	}
	if q.grouped("provider") {
		str("provider", p.name)
	}
	if q.grouped("billing_account_id") {
		str("billing_account_id", "100000000000")
	}
	if q.grouped("account_id") {
		str("account_id", accounts[(h>>30)%9])
	}
	if q.grouped("service") {
		str("service", svc)
	}
	if q.grouped("region") {
		str("region", region)
	}
	if q.grouped("resource_id") {
		if kind == kindUsage {
			id := "i-" + strconv.FormatUint(h>>40, 16)
			str("resource_id", id)
			name := ""
			if (h>>3)%2 == 0 {
				name = "web-" + strconv.FormatUint((h>>44)%100, 10)
			}
			str("resource_name", name)
		} else {
			str("resource_id", "")
			str("resource_name", "")
		}
	}
	if q.grouped("cost_category") {
		// The schema's only example value is "Data Transfer"; usage rows get
		// such names. What Vantage writes on tax, credit and refund rows is
		// not published: "Tax", "Credit" and "Refund" are this fake's
		// assumption (docs/focus.md says what the FOCUS writer does when a
		// row carries neither charge_type nor such a category).
		category := []string{"Data Transfer", "Compute Instance", "Storage"}[(h>>6)%3]
		if kind != kindUsage {
			category = []string{"", "Tax", "Credit", "Refund"}[kind]
		}
		str("cost_category", category)
	}
	if q.grouped("cost_subcategory") {
		str("cost_subcategory", "")
	}
	if ok, key := q.tagged(); ok {
		tags := tagSets[(h>>4)%uint64(len(tagSets))]
		if kind != kindUsage {
			tags = nil
		}
		b = append(b, `,"tags":`...)
		if tags == nil {
			b = append(b, "null"...)
		} else {
			b = append(b, '[')
			n := 0
			for _, t := range tags {
				if key != "" && t.Key != key {
					continue
				}
				if n > 0 {
					b = append(b, ',')
				}
				b = append(b, '"')
				b = append(b, t.String()...)
				b = append(b, '"')
				n++
			}
			b = append(b, ']')
		}
	}
	b = append(b, `,"usage":`...)
	if kind == kindUsage {
		b = append(b, `{"amount":"`...)
		b = strconv.AppendUint(b, (h>>12)%1000, 10)
		b = append(b, `.5","unit":"Hrs"}`...)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, '}')
	return b, micro
}

// appendMicro writes millionths as a decimal with the given decimals.
func appendMicro(b []byte, micro int64, decimals int) []byte {
	if micro < 0 {
		b = append(b, '-')
		micro = -micro
	}
	b = strconv.AppendInt(b, micro/1_000_000, 10)
	b = append(b, '.')
	frac := strconv.FormatInt(1_000_000+micro%1_000_000, 10)[1:]
	return append(b, frac[:decimals]...)
}

// roundCents rounds millionths to 2 decimal places, half up (away from
// zero) or half to even, and writes the result as the API does.
func roundCents(micro int64, halfEven bool) string {
	r := new(big.Rat).SetFrac64(micro, 1_000_000)
	cents := new(big.Rat).Mul(r, big.NewRat(100, 1))
	q, m := new(big.Int).QuoRem(cents.Num(), cents.Denom(), new(big.Int))
	// q truncates toward zero; m has the sign of the amount.
	twice := new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2))
	switch c := twice.Cmp(cents.Denom()); {
	case c > 0, c == 0 && (!halfEven || q.Bit(0) == 1):
		if micro < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return new(big.Rat).SetFrac(q, big.NewInt(100)).FloatString(2)
}

// parseQuery reads and checks GET /costs's parameters, as the API does.
func parseQuery(v url.Values) (*query, string) {
	q := &query{bin: v.Get("date_bin"), settings: map[string]string{
		"include_credits": "false", "include_refunds": "false", "include_discounts": "true",
		"include_tax": "true", "amortize": "true", "unallocated": "false", "aggregate_by": "cost",
	}}
	if q.bin != "" && !slices.Contains([]string{"hour", "day", "week", "month", "quarter"}, q.bin) {
		return nil, "date_bin must be one of day, week, month, quarter, hour"
	}
	for name := range q.settings {
		val, ok := v["settings["+name+"]"]
		if !ok {
			continue
		}
		if name == "aggregate_by" {
			if !slices.Contains([]string{"cost", "usage", "count"}, val[0]) {
				return nil, "settings[aggregate_by] must be one of cost, usage, count"
			}
		} else if val[0] != "true" && val[0] != "false" {
			return nil, "settings[" + name + "] must be true or false"
		}
		q.settings[name] = val[0]
	}
	q.groupings = []string{"provider", "service", "account_id"}
	if g := v.Get("groupings"); g != "" {
		q.groupings = nil
		for _, f := range strings.Split(g, ",") {
			f = strings.TrimSpace(f)
			if !slices.Contains(validGroupings, f) && !strings.HasPrefix(f, "tag:") {
				return nil, "invalid grouping " + strconv.Quote(f)
			}
			q.groupings = append(q.groupings, f)
		}
	}
	start, err1 := time.Parse("2006-01-02", v.Get("start_date"))
	end, err2 := time.Parse("2006-01-02", v.Get("end_date"))
	if err1 != nil {
		start = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	}
	if err2 != nil || end.Before(start) {
		end = start.AddDate(0, 0, 29)
	}
	q.start, q.days = start, int(end.Sub(start).Hours()/24)+1
	return q, ""
}

// validGroupings are the groupings the schema lists (tag:<key> besides).
var validGroupings = []string{"account_id", "billing_account_id", "charge_type", "cost_category", "cost_subcategory", "provider", "region", "resource_id", "service", "tagged", "usage_unit"}

func (s *Server) costs(w http.ResponseWriter, r *http.Request, t Token) {
	if s.PageDelay > 0 {
		select {
		case <-time.After(s.PageDelay):
		case <-r.Context().Done():
			return
		}
	}
	v := r.URL.Query()
	limit := 100
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			writeJSON(w, 400, map[string][]string{"errors": {"limit must be a positive integer"}})
			return
		}
		limit = n
	}
	if limit > 5000 {
		writeJSON(w, 400, map[string][]string{"errors": {"limit must be less than or equal to 5000"}})
		return
	}
	page := 1
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			writeJSON(w, 400, map[string][]string{"errors": {"page must be a positive integer"}})
			return
		}
		page = n
	}
	q, bad := parseQuery(v)
	if bad != "" {
		writeJSON(w, 400, map[string][]string{"errors": {bad}})
		return
	}
	q.dateForm = s.DateForm
	reportTok := v.Get("cost_report_token")
	s.mu.Lock()
	rep, ok := s.reports[reportTok]
	if reportTok == "" {
		for _, candidate := range s.reports {
			if candidate.WorkspaceToken == v.Get("workspace_token") {
				rep, ok = candidate, true
			}
		}
	}
	s.mu.Unlock()
	if !ok {
		writeJSON(w, 404, map[string][]string{"errors": {"Cost report not found"}})
		return
	}

	pages := (rep.Rows + limit - 1) / limit
	if s.EmptyLastPage || pages == 0 {
		pages++
	}
	from, to := (page-1)*limit, min(page*limit, rep.Rows)
	total := s.total(reportTok, rep.Rows, q)
	if s.BadTotal {
		total += 10_000
	}

	link := func(n int) string { return s.pageLink(r, n) }
	b := make([]byte, 0, 64+max(to-from, 0)*360)
	b = append(b, `{"links":{"self":"`...)
	b = append(b, link(page)...)
	b = append(b, `","first":"`...)
	b = append(b, link(1)...)
	b = append(b, `","next":`...)
	switch {
	case s.LoopPages && page == 2:
		b = strconv.AppendQuote(b, link(2))
	case page < pages:
		b = strconv.AppendQuote(b, link(page+1))
	default:
		b = append(b, "null"...)
	}
	b = append(b, `,"prev":`...)
	if page > 1 {
		b = strconv.AppendQuote(b, link(page-1))
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"last":`...)
	b = strconv.AppendQuote(b, link(pages))
	b = append(b, `},"total_cost":{"amount":"`...)
	b = append(b, roundCents(total, s.HalfEven)...)
	b = append(b, `","currency":"USD"},"costs":[`...)
	for i := from; i < to; i++ {
		if i > from {
			b = append(b, ',')
		}
		b, _ = s.row(b, i, q)
	}
	b = append(b, "]}\n"...)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(200)
	w.Write(b)
}

type totalKey struct {
	report, bin, settings string
	rows, days            int
	start                 time.Time
}

// total is the exact sum of a report's rows for a query, computed once.
func (s *Server) total(report string, rows int, q *query) int64 {
	k := totalKey{report, q.bin, q.settings["include_tax"] + q.settings["include_credits"] + q.settings["include_refunds"], rows, q.days, q.start}
	s.mu.Lock()
	if s.totals == nil {
		s.totals = map[totalKey]int64{}
	}
	if v, ok := s.totals[k]; ok {
		s.mu.Unlock()
		return v
	}
	s.mu.Unlock()
	var sum int64
	buf := make([]byte, 0, 512)
	for i := 0; i < rows; i++ {
		var m int64
		buf, m = s.row(buf[:0], i, q)
		sum += m
	}
	s.mu.Lock()
	s.totals[k] = sum
	s.mu.Unlock()
	return sum
}
