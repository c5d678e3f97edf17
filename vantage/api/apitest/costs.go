package apitest

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

var providers = []struct {
	name     string
	services []string
	regions  []string
}{
	{"aws", []string{"Amazon Elastic Compute Cloud - Compute", "Amazon Simple Storage Service", "AmazonSNS", "Amazon Relational Database Service", "AWS Lambda"}, []string{"us-east-1", "us-west-2", "eu-west-1"}},
	{"gcp", []string{"Compute Engine", "Cloud Storage", "BigQuery"}, []string{"us-central1", "europe-west1"}},
	{"azure", []string{"Virtual Machines", "Storage", "Azure Kubernetes Service"}, []string{"eastus", "westeurope"}},
	{"datadog", []string{"Infrastructure Hosts", "Log Management"}, []string{""}},
	{"snowflake", []string{"Warehouse Compute", "Storage"}, []string{"aws_us_east_1"}},
}

type nextHostKey struct{}

func withNextHost(ctx context.Context, host string) context.Context {
	return context.WithValue(ctx, nextHostKey{}, host)
}

// row writes generated row i as JSON and returns its amount in millionths.
func (s *Server) row(b []byte, i int, start time.Time, days int, bin string) ([]byte, int64) {
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
	day := start.AddDate(0, 0, i%max(days, 1))
	switch bin {
	case "week":
		day = day.AddDate(0, 0, -int(day.Weekday()))
	case "month":
		day = time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
	case "quarter":
		day = time.Date(day.Year(), ((day.Month()-1)/3)*3+1, 1, 0, 0, 0, 0, time.UTC)
	}
	currency := "USD"
	if s.MixedCurrency && i%7 == 3 {
		currency = "EUR"
	}
	account := 100000000000 + (h>>30)%9
	b = append(b, `{"accrued_at":"`...)
	b = day.AppendFormat(b, "2006-01-02")
	b = append(b, `","amount":"`...)
	b = appendMicro(b, micro, decimals)
	b = append(b, `","currency":"`...)
	b = append(b, currency...)
	b = append(b, `","provider":"`...)
	b = append(b, p.name...)
	b = append(b, `","account_id":"`...)
	b = strconv.AppendUint(b, account, 10)
	b = append(b, `","billing_account_id":"`...)
	b = strconv.AppendUint(b, 100000000000, 10)
	b = append(b, `","service":"`...)
	b = append(b, svc...)
	b = append(b, `","region":"`...)
	b = append(b, region...)
	b = append(b, `","resource_id":"`...)
	b = append(b, "i-"...)
	b = strconv.AppendUint(b, h>>40, 16)
	b = append(b, `","usage":{"amount":"`...)
	b = strconv.AppendUint(b, (h>>12)%1000, 10)
	b = append(b, `.5","unit":"Hrs"},"tags":[{"tag_key":"team","tag_value":"`...)
	b = append(b, []string{"platform", "data", "web"}[(h>>4)%3]...)
	b = append(b, `"}]}`...)
	return b, micro
}

// appendMicro writes millionths as a decimal with the given decimals.
func appendMicro(b []byte, micro int64, decimals int) []byte {
	b = strconv.AppendInt(b, micro/1_000_000, 10)
	b = append(b, '.')
	frac := strconv.FormatInt(1_000_000+micro%1_000_000, 10)[1:]
	return append(b, frac[:decimals]...)
}

func (s *Server) costs(w http.ResponseWriter, r *http.Request, t Token) {
	if s.PageDelay > 0 {
		select {
		case <-time.After(s.PageDelay):
		case <-r.Context().Done():
			return
		}
	}
	q := r.URL.Query()
	limit := 100
	if l := q.Get("limit"); l != "" {
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
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			writeJSON(w, 400, map[string][]string{"errors": {"page must be a positive integer"}})
			return
		}
		page = n
	}
	reportTok := q.Get("cost_report_token")
	s.mu.Lock()
	rep, ok := s.reports[reportTok]
	if reportTok == "" {
		for _, candidate := range s.reports {
			if candidate.WorkspaceToken == q.Get("workspace_token") {
				rep, ok = candidate, true
			}
		}
	}
	s.mu.Unlock()
	if !ok {
		writeJSON(w, 404, map[string][]string{"errors": {"Cost report not found"}})
		return
	}
	start, err1 := time.Parse("2006-01-02", q.Get("start_date"))
	end, err2 := time.Parse("2006-01-02", q.Get("end_date"))
	if err1 != nil {
		start = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	}
	if err2 != nil || end.Before(start) {
		end = start.AddDate(0, 0, 29)
	}
	days := int(end.Sub(start).Hours()/24) + 1
	bin := q.Get("date_bin")

	pages := (rep.Rows + limit - 1) / limit
	if s.EmptyLastPage || pages == 0 {
		pages++
	}
	from, to := (page-1)*limit, min(page*limit, rep.Rows)
	total := s.total(reportTok, rep.Rows, start, days, bin)
	if s.BadTotal {
		total += 10_000
	}

	link := func(n int) string {
		qq := url.Values{}
		for k, v := range q {
			qq[k] = v
		}
		qq.Set("page", strconv.Itoa(n))
		path := "/v2/costs?" + qq.Encode()
		if host, _ := r.Context().Value(nextHostKey{}).(string); host != "" {
			return "http://" + host + path
		}
		if s.RelativeLinks {
			return path
		}
		return "http://" + r.Host + path
	}
	b := make([]byte, 0, 64+max(to-from, 0)*330)
	b = append(b, `{"links":{"self":"`...)
	b = append(b, link(page)...)
	b = append(b, `","first":"`...)
	b = append(b, link(1)...)
	b = append(b, `","next":`...)
	switch {
	case s.LoopPages && page == 2:
		b = append(b, '"')
		b = append(b, link(2)...)
		b = append(b, '"')
	case page < pages:
		b = append(b, '"')
		b = append(b, link(page+1)...)
		b = append(b, '"')
	default:
		b = append(b, "null"...)
	}
	b = append(b, `,"prev":`...)
	if page > 1 {
		b = append(b, '"')
		b = append(b, link(page-1)...)
		b = append(b, '"')
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"last":"`...)
	b = append(b, link(pages)...)
	b = append(b, `"},"total_cost":{"amount":"`...)
	b = appendMicro(b, total, 6)
	b = append(b, `","currency":"USD"},"costs":[`...)
	for i := from; i < to; i++ {
		if i > from {
			b = append(b, ',')
		}
		b, _ = s.row(b, i, start, days, bin)
	}
	b = append(b, "]}\n"...)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(200)
	w.Write(b)
}

type totalKey struct {
	report, bin string
	rows, days  int
	start       time.Time
}

// total is the exact sum of a report's rows, computed once per query.
func (s *Server) total(report string, rows int, start time.Time, days int, bin string) int64 {
	k := totalKey{report, bin, rows, days, start}
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
		buf, m = s.row(buf[:0], i, start, days, bin)
		sum += m
	}
	s.mu.Lock()
	s.totals[k] = sum
	s.mu.Unlock()
	return sum
}
