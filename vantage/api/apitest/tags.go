package apitest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// tags answers GET /tags as the schema's Tags model: a page of Tag
// objects ({tag_key, hidden, preferred, providers}), sorted by key
// (sort_direction asc or desc), limit 100 by default and at most 1000,
// with links to the first, previous and next pages.
func (s *Server) tags(w http.ResponseWriter, r *http.Request, _ Token) {
	v := r.URL.Query()
	limit, page := 100, 1
	for name, dst := range map[string]*int{"limit": &limit, "page": &page} {
		raw := v.Get(name)
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			writeJSON(w, 400, map[string][]string{"errors": {name + " must be a positive integer"}})
			return
		}
		*dst = n
	}
	if limit > 1000 {
		writeJSON(w, 400, map[string][]string{"errors": {"limit must be less than or equal to 1000"}})
		return
	}
	keys := tagKeys()
	switch v.Get("sort_direction") {
	case "", "asc":
	case "desc":
		slices.Reverse(keys)
	default:
		writeJSON(w, 400, map[string][]string{"errors": {"sort_direction must be one of asc, desc"}})
		return
	}
	keys = slices.DeleteFunc(keys, func(k string) bool { return slices.Contains(s.UnlistedTagKeys, k) })
	link := func(n int) string { return s.pageLink(r, n) }
	from, to := min((page-1)*limit, len(keys)), min(page*limit, len(keys))
	links := map[string]any{"self": link(page), "first": link(1), "next": nil, "prev": nil, "last": nil}
	if to < len(keys) {
		links["next"] = link(page + 1)
	}
	if page > 1 {
		links["prev"] = link(page - 1)
	}
	list := []map[string]any{}
	for _, k := range keys[from:to] {
		providers := []string{"aws", "azure", "gcp"}
		if strings.HasPrefix(k, "aws:") {
			providers = []string{"aws"}
		}
		list = append(list, map[string]any{"tag_key": k, "hidden": false, "preferred": false, "providers": providers})
	}
	writeJSON(w, 200, map[string]any{"links": links, "tags": list})
}
